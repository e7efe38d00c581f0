// `sync` and `rollback` wait for the operation they started, not an earlier one: the states the
// controller writes one after another, and a refused request, decide when the wait is over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Application, OperationState } from '../../client/types.js';
import { operationFinished } from './operation.js';
import { startProgress } from './progress.js';

function state(startedAt: string, phase: OperationState['phase']): OperationState {
  return { operation: { sync: { revision: 'r', prune: false }, initiatedBy: { username: 'ci' } }, phase, message: '', startedAt };
}

function app(over: { operation?: unknown; op?: OperationState; conditions?: { type: string; message: string }[] }): Application {
  return {
    metadata: { name: 'web' }, spec: { destination: {} }, ...(over.operation ? { operation: over.operation } : {}),
    status: { ...(over.op ? { operationState: over.op } : {}), conditions: (over.conditions ?? []).map((c) => ({ ...c, lastTransitionTime: 't' })) },
  };
}

test('the wait ends when the new operation finishes, not on the earlier one or the moment the request is taken', () => {
  const before = app({ op: state('t1', 'Failed') });
  const done = operationFinished(before);
  assert.equal(done(before), false, 'the earlier operation does not count');
  assert.equal(done(app({ operation: { sync: {} }, op: state('t1', 'Failed') })), false, 'requested');
  assert.equal(done(app({ op: state('t1', 'Failed') })), false, 'request taken, status not written yet');
  assert.equal(done(app({ op: state('t2', 'Running') })), false, 'running');
  assert.equal(done(app({ op: state('t2', 'Succeeded') })), true);
  assert.equal(operationFinished(undefined)(app({ op: state('t2', 'Error') })), true, 'the first operation ever');
  assert.equal(done(undefined), false);
});

test('a refused request ends the wait, but only after the request was seen and with a refusal condition', () => {
  const refused = { type: 'SyncError', message: 'sync to revision abc refused: automated sync is enabled' };
  const done = operationFinished(app({}));
  assert.equal(done(app({ conditions: [refused] })), false, 'a stale refusal before our request was seen');
  assert.equal(done(app({ operation: { sync: {} } })), false);
  assert.equal(done(app({ conditions: [{ type: 'SyncError', message: 'apply failed' }] })), false);
  assert.equal(done(app({ conditions: [refused] })), true);
  const taken = operationFinished(app({}), () => app({ operation: { sync: {} } }));
  assert.equal(taken(app({ conditions: [refused] })), true, 'the request, as the sync call returned it, counts as seen');
});

test('the progress line is drawn on a terminal only and cleared at the end', () => {
  const sink = (isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } => {
    let text = '';
    const w = new Writable({ write: (chunk: Buffer, _enc, cb) => { text += chunk.toString(); cb(); } });
    return { stream: Object.assign(w, { isTTY, columns: 80 }) as unknown as NodeJS.WriteStream, text: () => text };
  };
  const tty = sink(true);
  const p = startProgress('web', tty.stream);
  p.update(app({ op: state('t', 'Running') }));
  p.stop();
  assert.ok(tty.text().includes('\r\x1b[2Kweb  sync: Unknown  health: Unknown  operation: Running  0s'), JSON.stringify(tty.text()));
  assert.ok(tty.text().endsWith('\r\x1b[2K'), 'the line is cleared');
  const pipe = sink(false);
  const q = startProgress('web', pipe.stream);
  q.update(app({}));
  q.stop();
  assert.equal(pipe.text(), '');
});
