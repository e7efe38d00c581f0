// Waiting for an Application to reach a state, driven by the API's event stream
// (`/api/v1/stream/applications?name=`). Falls back to polling once a second when the stream is
// unavailable; reconnects when the server closes it. The stream is aborted when the wait ends.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FjordApiClient } from '../../client/api-client.js';
import { ApiError } from '../../client/errors.js';
import type { Application } from '../../client/types.js';
import { FailedError } from './command.js';
import { NO_PROGRESS, startProgress, type Progress } from './progress.js';

/** Whether the wait is over; `undefined` means the Application does not exist (any more). */
export type Until = (app: Application | undefined) => boolean;

export interface WaitOptions {
  /** Infinity for no limit. */
  readonly timeoutMs: number;
  /** What is awaited, for the timeout message: "to be synced and healthy". */
  readonly what: string;
  readonly progress?: boolean;
  /** Run once the stream is open (e.g. the sync request), so no change it causes is missed. */
  readonly start?: () => Promise<void>;
}

export async function getOrUndefined(client: FjordApiClient, name: string): Promise<Application | undefined> {
  try {
    return await client.getApplication(name);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** Resolves with the Application (or undefined when gone) once `until` holds; fails at the timeout. */
export async function waitForApplication(client: FjordApiClient, name: string, until: Until, opts: WaitOptions): Promise<Application | undefined> {
  const abort = new AbortController();
  const timer = Number.isFinite(opts.timeoutMs) ? setTimeout(() => { abort.abort(); }, opts.timeoutMs) : undefined;
  const progress = opts.progress === false ? NO_PROGRESS : startProgress(name);
  const state: WaitState = { client, name, until, signal: abort.signal, progress, last: undefined, start: opts.start };
  try {
    return await waitLoop(state);
  } catch (e) {
    if (!abort.signal.aborted) throw e; // only the timer aborts before `finally`
    throw new FailedError(`timed out after ${formatMs(opts.timeoutMs)} waiting for application ${name} ${opts.what}; ${describeState(state.last)}`);
  } finally {
    if (timer) clearTimeout(timer);
    abort.abort();
    progress.stop();
  }
}

interface WaitState {
  readonly client: FjordApiClient;
  readonly name: string;
  readonly until: Until;
  readonly signal: AbortSignal;
  readonly progress: Progress;
  last: Application | undefined;
  start: (() => Promise<void>) | undefined;
}

async function started(s: WaitState): Promise<void> {
  const start = s.start;
  s.start = undefined;
  if (start) await start();
}

/** Observes one state; true when the wait is over. */
function observe(s: WaitState, app: Application | undefined): boolean {
  s.last = app;
  s.progress.update(app);
  if (s.until(app)) return true;
  if (!app) throw new FailedError(`application ${s.name} not found (deleted?)`);
  return false;
}

async function waitLoop(s: WaitState): Promise<Application | undefined> {
  for (;;) {
    let events: AsyncGenerator<{ type: string; application: Application }>;
    try {
      events = await s.client.watchApplications(s.name, s.signal);
    } catch (e) {
      if (s.signal.aborted || (e instanceof ApiError && (e.status === 401 || e.status === 403))) throw e;
      return pollLoop(s);
    }
    await started(s);
    if (observe(s, await getOrUndefined(s.client, s.name))) return s.last;
    for await (const ev of events) {
      if (ev.application.metadata.name !== s.name) continue;
      if (observe(s, ev.type === 'DELETED' ? undefined : ev.application)) return s.last;
    }
    await sleep(500, undefined, { signal: s.signal });
  }
}

async function pollLoop(s: WaitState): Promise<Application | undefined> {
  await started(s);
  for (;;) {
    if (observe(s, await getOrUndefined(s.client, s.name))) return s.last;
    await sleep(1000, undefined, { signal: s.signal });
  }
}

export function describeState(app: Application | undefined): string {
  if (!app) return 'the application was not found';
  const s = app.status;
  const op = s?.operationState;
  return [
    `sync ${s?.sync?.status ?? 'Unknown'}`,
    `health ${s?.health?.status ?? 'Unknown'}${s?.health?.message ? ` (${s.health.message})` : ''}`,
    `operation ${op ? `${op.phase}${op.message ? ` (${op.message})` : ''}` : app.operation ? 'requested' : 'none'}`,
  ].join(', ');
}

export function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const RUNNING = new Set(['Running', 'Terminating']);

/** No operation requested and none running. */
export function operationIdle(app: Application): boolean {
  return !app.operation && !RUNNING.has(app.status?.operationState?.phase ?? '');
}
