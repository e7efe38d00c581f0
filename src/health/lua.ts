// User-defined health checks in Lua, with Argo CD's contract so existing
// `resource.customizations.health.<group>_<Kind>` scripts work unchanged: the object is the global
// `obj`, the script returns a table `{status = "Healthy"|"Progressing"|…, message = "…"}`. Scripts run
// in a fresh Lua state with only the base, table, string and math libraries (no io, os or require)
// and at most a million instructions, so a bad script cannot hang or reach out of the controller.
import fengari from 'fengari';
import type { KubeObject } from '../kube/client.js';
import type { HealthCheck } from './health.js';
import { isHealthStatus, type HealthResult } from './types.js';

const { lua, lauxlib, lualib, to_luastring: ls, to_jsstring: js } = fengari;
type State = ReturnType<typeof lauxlib.luaL_newstate>;

const MAX_INSTRUCTIONS = 1_000_000;
const HOOK_EVERY = 10_000;

function push(L: State, v: unknown): void {
  if (v === null || v === undefined) lua.lua_pushnil(L);
  else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
  else if (typeof v === 'number') lua.lua_pushnumber(L, v);
  else if (typeof v === 'string') lua.lua_pushstring(L, ls(v));
  else if (Array.isArray(v)) {
    lua.lua_createtable(L, v.length, 0);
    v.forEach((x, i) => { push(L, x); lua.lua_rawseti(L, -2, i + 1); });
  } else if (typeof v === 'object') {
    const entries = Object.entries(v);
    lua.lua_createtable(L, 0, entries.length);
    for (const [k, x] of entries) { push(L, x); lua.lua_setfield(L, -2, ls(k)); }
  } else {
    lua.lua_pushnil(L);
  }
}

function freshState(): State {
  const L = lauxlib.luaL_newstate();
  for (const [name, open] of [['_G', lualib.luaopen_base], ['table', lualib.luaopen_table], ['string', lualib.luaopen_string], ['math', lualib.luaopen_math]] as const) {
    lauxlib.luaL_requiref(L, ls(name), open, 1);
    lua.lua_pop(L, 1);
  }
  for (const unsafe of ['dofile', 'loadfile', 'load', 'require', 'collectgarbage']) { lua.lua_pushnil(L); lua.lua_setglobal(L, ls(unsafe)); }
  let used = 0;
  lua.lua_sethook(L, (state) => {
    used += HOOK_EVERY;
    if (used > MAX_INSTRUCTIONS) lauxlib.luaL_error(state, ls('instruction limit exceeded'));
  }, lua.LUA_MASKCOUNT, HOOK_EVERY);
  return L;
}

function stringField(L: State, name: string): string | undefined {
  lua.lua_getfield(L, -1, ls(name));
  const raw = lua.lua_type(L, -1) === lua.LUA_TSTRING ? lua.lua_tostring(L, -1) : null;
  lua.lua_pop(L, 1);
  return raw ? js(raw) : undefined;
}

/** Runs a health script on one object; throws with the Lua error when the script fails. */
export function runLuaHealth(script: string, obj: KubeObject): HealthResult | undefined {
  const L = freshState();
  push(L, obj);
  lua.lua_setglobal(L, ls('obj'));
  if (lauxlib.luaL_loadstring(L, ls(script)) !== 0 || lua.lua_pcall(L, 0, 1, 0) !== 0) {
    const err = lua.lua_tostring(L, -1);
    throw new Error(`Lua: ${err ? js(err) : 'unknown error'}`);
  }
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) return undefined;
  const status = stringField(L, 'status');
  const message = stringField(L, 'message');
  if (!status || !isHealthStatus(status)) throw new Error(`Lua: the script returned status ${JSON.stringify(status)}, not one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown`);
  return { status, ...(message ? { message } : {}) };
}

/** Health checks from a ConfigMap's `resource.customizations.health.<group>_<Kind>` keys, keyed like groupKindKey. */
export function luaHealthChecks(data: Record<string, string> | undefined): Map<string, HealthCheck> {
  const checks = new Map<string, HealthCheck>();
  const prefix = 'resource.customizations.health.';
  for (const [key, script] of Object.entries(data ?? {})) {
    if (!key.startsWith(prefix)) continue;
    const gk = key.slice(prefix.length);
    const i = gk.lastIndexOf('_');
    const group = i >= 0 ? gk.slice(0, i) : '';
    const kind = i >= 0 ? gk.slice(i + 1) : gk;
    checks.set(`${group}/${kind}`, (obj) => runLuaHealth(script, obj));
  }
  return checks;
}
