import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth } from './health.js';
import { luaHealthChecks, runLuaHealth } from './lua.js';

const certificateScript = `
hs = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for i, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" and condition.status == "False" then
      hs.status = "Degraded"
      hs.message = condition.message
      return hs
    end
    if condition.type == "Ready" and condition.status == "True" then
      hs.status = "Healthy"
      hs.message = condition.message
      return hs
    end
  end
end
hs.status = "Progressing"
hs.message = "Waiting for certificate"
return hs
`;

const cert = (status?: string, message = ''): Record<string, unknown> => ({
  apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'tls' },
  ...(status ? { status: { conditions: [{ type: 'Ready', status, message }] } } : {}),
});

test('an Argo CD style Lua health script from the ConfigMap decides the health of its kind', () => {
  const checks = luaHealthChecks({ 'resource.customizations.health.cert-manager.io_Certificate': certificateScript, 'timeout.reconciliation': '180s' });
  assert.deepEqual([...checks.keys()], ['cert-manager.io/Certificate']);
  assert.deepEqual(assessHealth(cert('True', 'issued'), checks), { status: 'Healthy', message: 'issued' });
  assert.deepEqual(assessHealth(cert('False', 'ACME challenge failed'), checks), { status: 'Degraded', message: 'ACME challenge failed' });
  assert.deepEqual(assessHealth(cert(), checks), { status: 'Progressing', message: 'Waiting for certificate' });
});

test('a broken, looping, escaping or nonsensical script gives a clear error, never a hang', () => {
  assert.throws(() => runLuaHealth('return {status = ', cert()), /Lua: .*unexpected symbol|Lua: .*expected/);
  assert.throws(() => runLuaHealth('while true do end', cert()), /instruction limit exceeded/);
  assert.throws(() => runLuaHealth('return {status = io.read()}', cert()), /Lua: .*io/);
  assert.throws(() => runLuaHealth('os.exit(1)', cert()), /Lua: .*os/);
  assert.throws(() => runLuaHealth('return {status = "Fine"}', cert()), /returned status "Fine"/);
  const checks = luaHealthChecks({ 'resource.customizations.health.cert-manager.io_Certificate': 'error("boom")' });
  const h = assessHealth(cert('True'), checks);
  assert.ok(h);
  assert.equal(h.status, 'Unknown');
  assert.match(h.message ?? '', /boom/);
});

test('core kinds are keyed without a group', () => {
  const checks = luaHealthChecks({ 'resource.customizations.health.ConfigMap': 'return {status = "Suspended", message = obj.data.mode}' });
  assert.deepEqual(assessHealth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { mode: 'paused' } }, checks), { status: 'Suspended', message: 'paused' });
});
