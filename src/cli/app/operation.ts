// After `sync` or `rollback` started an operation: wait for that operation (not an earlier one) to
// finish, print its result, and fail with the reasons when it did not succeed.
import type { FjordApiClient } from '../../client/api-client.js';
import type { Application } from '../../client/types.js';
import { FailedError } from './command.js';
import { failureLines, formatResults, shortRevision } from './format.js';
import { formatFields } from './table.js';
import { waitForApplication } from './waiter.js';

const FINISHED = new Set(['Succeeded', 'Failed', 'Error']);

/**
 * The operation started after `before` (whose operationState is an older one, or none) has finished,
 * or the controller refused the request: it removed the `operation` we saw and recorded a SyncError
 * condition saying why, without starting anything. `requested` is what the sync/rollback call
 * returned (with our `operation`), since the controller may take the request before the wait sees it.
 */
export function operationFinished(before: Application | undefined, requested: () => Application | undefined = () => undefined): (app: Application | undefined) => boolean {
  const earlier = before?.status?.operationState?.startedAt;
  let seenRequest = false;
  return (app) => {
    if (!app) return false;
    if (requested()?.operation) seenRequest = true;
    if (app.operation) { seenRequest = true; return false; }
    const op = app.status?.operationState;
    if (op && op.startedAt !== earlier) return FINISHED.has(op.phase);
    return seenRequest && refusal(app) !== undefined;
  };
}

/** The controller's reason for refusing a requested operation, if the status carries one. */
export function refusal(app: Application): string | undefined {
  return app.status?.conditions?.find((c) => c.type === 'SyncError' && / refused: /.test(c.message))?.message;
}

export function formatOperationResult(app: Application): string {
  const op = app.status?.operationState;
  if (!op) return '';
  const fields = formatFields([
    ['Operation', `Sync${op.operation.initiatedBy.username ? ` by ${op.operation.initiatedBy.username}` : ''}`],
    ['Phase', op.phase],
    ['Message', op.message || '-'],
    ['Revision', shortRevision(op.syncResult?.revision ?? op.operation.sync.revision) || '-'],
    ['Started', op.startedAt],
    ['Finished', op.finishedAt ?? '-'],
  ]);
  const results = op.syncResult?.resources ?? [];
  return results.length > 0 ? `${fields}\n${formatResults(results)}` : fields;
}

export interface AwaitOptions {
  readonly timeoutMs: number;
  readonly quiet?: boolean;
}

/**
 * Sends the request (`start`, e.g. the sync call) once the event stream is open, waits for the
 * operation, prints the result table on stdout, and throws (exit 1) with the failures when it failed.
 */
export async function awaitOperation(client: FjordApiClient, name: string, before: Application | undefined, start: () => Promise<Application>, opts: AwaitOptions): Promise<number> {
  let requested: Application | undefined;
  const app = await waitForApplication(client, name, operationFinished(before, () => requested), {
    timeoutMs: opts.timeoutMs, what: 'to finish its operation', start: async () => { requested = await start(); },
  });
  if (!app) throw new FailedError(`application ${name} was deleted during the operation`);
  const op = app.status?.operationState;
  const refused = refusal(app);
  if ((!op || op.startedAt === before?.status?.operationState?.startedAt) && refused) throw new FailedError(`application ${name}: ${refused}`);
  if (!opts.quiet) process.stdout.write(formatOperationResult(app));
  const phase = app.status?.operationState?.phase;
  if (phase !== 'Succeeded') throw new FailedError(`operation on application ${name} ${phase === 'Error' ? 'errored' : 'failed'}:\n  ${failureLines(app).join('\n  ')}`);
  return 0;
}
