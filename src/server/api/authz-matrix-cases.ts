// The table of api-authz-matrix.int.test.ts: for every route of the API server, what each kind of
// caller gets. Anonymous and bad-token callers get 401 (settings excepted, docs/api.md); read-only
// reads and is refused every change with a 403 naming the permission; a project member reads and
// syncs in its own project, is refused what its role lacks, and finds every Application of another
// project "not found"; admin does everything. Mutations aim at throwaway Applications.
import type { Principal } from '../auth/tokens.js';

export type Caller = 'anonymous' | 'badToken' | 'readonly' | 'member' | 'memberForeign' | 'admin';

/** What the test set up; the table is built from it. */
export interface World {
  readonly namespace: string;
  readonly dest: string;
  /** The member's project and another one. */
  readonly project: string;
  readonly otherProject: string;
  readonly apps: {
    /** Project `project`: manages the Secret and a ConfigMap, synced once (history id 0). */
    readonly main: string;
    /** Project `otherProject`, never synced. */
    readonly foreign: string;
    /** Synced by the member, and by admin (another project), to show both may. */
    readonly memberSync: string;
    readonly adminSync: string;
    /** Operations stuck Running (a claim never bound): terminated by the member and by admin. */
    readonly memberStuck: string;
    readonly adminStuck: string;
    /** Deleted by admin. */
    readonly throwaway: string;
  };
  /** The commit the Applications were compared with. */
  readonly revision: string;
  readonly secretName: string;
  readonly subjects: Readonly<Record<'readonly' | 'member' | 'admin', Principal>>;
}

export interface Case {
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  /** The error message of a refusal must match. */
  readonly error?: RegExp;
  /** The Application a refused mutation must leave as it was. */
  readonly untouched?: string;
  /** For 200: what the body must show (throws an assertion error otherwise). */
  readonly check?: (body: unknown) => void;
  /** The server-sent event stream: `check` gets the names of the Applications it delivered. */
  readonly stream?: true;
}

export interface Row {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly pattern: string;
  readonly cases: Readonly<Record<Exclude<Caller, 'memberForeign'>, Case>> & { readonly memberForeign?: Case };
}

const APP = '/api/v1/applications/:name';
const UNAUTHENTICATED = /authentication required/;

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

function names(body: unknown): string[] {
  return ((body as { items?: { metadata?: { name?: string }; name?: string }[] }).items ?? []).map((i) => i.metadata?.name ?? i.name ?? '');
}

/** A check that the Application names seen include `want` and none of `never`. */
function sees(want: readonly string[], never: readonly string[] = []): (seen: string[]) => void {
  return (seen) => {
    for (const n of want) expect(seen.includes(n), `expected ${n} among ${seen.join(', ')}`);
    for (const n of never) expect(!seen.includes(n), `${n} must not be visible, got ${seen.join(', ')}`);
  };
}

function denied(action: string, object: string, subject: string): RegExp {
  return new RegExp(`permission denied: ${action.replace(/[*]/g, '\\*')}, ${object.replace(/[*]/g, '\\*')} \\(subject ${subject} `);
}

function notFound(app: string): RegExp {
  return new RegExp(`^application ${app} not found in namespace `);
}

interface AppTargets { readonly readonly: Partial<Case> & { app: string }; readonly member: Partial<Case> & { app: string }; readonly admin: Partial<Case> & { app: string } }

/** A route on one Application: callers without a token aim where read-only does, the member's foreign case at `foreign`. */
function appRow(w: World, method: Row['method'], suffix: string, t: AppTargets, body?: unknown): Row {
  const at = (app: string): string => `/api/v1/applications/${app}${suffix}`;
  const one = ({ app, ...x }: Partial<Case> & { app: string }, ok: number): Case => {
    const status = x.status ?? ok;
    const untouched = method !== 'GET' && status >= 400 ? { untouched: app } : {};
    return { path: at(app), status, ...untouched, ...(body === undefined ? {} : { body }), ...x };
  };
  return {
    method, pattern: `${APP}${suffix.split('?')[0] ?? ''}`.replace(`/${w.revision}/`, '/:revision/'),
    cases: {
      anonymous: one({ app: t.readonly.app, error: UNAUTHENTICATED }, 401),
      badToken: one({ app: t.readonly.app, error: UNAUTHENTICATED }, 401),
      readonly: one(t.readonly, 200),
      member: one(t.member, 200),
      memberForeign: one({ app: w.apps.foreign, error: notFound(w.apps.foreign) }, 404),
      admin: one(t.admin, 200),
    },
  };
}

/** The read routes of one Application: everyone with a role reads `main`. */
function readRow(w: World, suffix: string, check?: (body: unknown) => void): Row {
  const x = { app: w.apps.main, ...(check ? { check } : {}) };
  return appRow(w, 'GET', suffix, { readonly: x, member: x, admin: x });
}

function appRows(w: World): Row[] {
  const { main } = w.apps;
  const obj = (app: string): string => `${w.project}/${app}`;
  const refuse = (action: string, app: string, who: 'readonly' | 'member'): Partial<Case> & { app: string } => ({ app, status: 403, error: denied(`applications, ${action}`, obj(app), w.subjects[who].subject) });
  const hasName = (body: unknown): void => { expect((body as { metadata?: { name?: string } }).metadata?.name === main, 'the Application itself'); };
  return [
    readRow(w, '', hasName),
    readRow(w, '/resource-tree', (b) => { expect((b as { nodes: { name: string }[] }).nodes.some((n) => n.name === w.secretName), 'the Secret in the tree'); }),
    readRow(w, '/managed-resources', (b) => { expect((b as { items: { kind: string; name: string }[] }).items.some((i) => i.kind === 'Secret' && i.name === w.secretName), 'the Secret among the managed resources'); }),
    readRow(w, `/resource?group=&version=v1&kind=Secret&namespace=${w.dest}&name=${w.secretName}`, (b) => { expect(/^\+{8}/.test(Object.values((b as { manifest: { data: Record<string, string> } }).manifest.data).join()), 'masked'); }),
    readRow(w, '/events'),
    readRow(w, `/revisions/${w.revision}/metadata`, (b) => { expect((b as { sha?: string }).sha?.startsWith(w.revision) === true, 'the commit'); }),
    appRow(w, 'DELETE', '', { readonly: refuse('delete', main, 'readonly'), member: refuse('delete', main, 'member'), admin: { app: w.apps.throwaway, path: `/api/v1/applications/${w.apps.throwaway}?cascade=false` } }),
    appRow(w, 'POST', '/sync', { readonly: refuse('sync', main, 'readonly'), member: { app: w.apps.memberSync }, admin: { app: w.apps.adminSync } }, {}),
    appRow(w, 'POST', '/rollback', { readonly: refuse('rollback', main, 'readonly'), member: refuse('rollback', main, 'member'), admin: { app: main, body: { id: 0, dryRun: true } } }, { id: 0 }),
    appRow(w, 'DELETE', '/operation', { readonly: refuse('sync', w.apps.memberStuck, 'readonly'), member: { app: w.apps.memberStuck }, admin: { app: w.apps.adminStuck } }),
  ];
}

function open(w: World, method: Row['method'], pattern: string, cases: Pick<Row['cases'], 'readonly' | 'member' | 'admin'> & { memberForeign?: Case }): Row {
  const path = pattern.replace(':name', w.project);
  return { method, pattern, cases: { anonymous: { path, status: 401, error: UNAUTHENTICATED }, badToken: { path, status: 401, error: UNAUTHENTICATED }, ...cases } };
}

function catalogRows(w: World): Row[] {
  const { main, foreign } = w.apps;
  const elsewhere = [foreign, w.apps.adminSync, w.apps.adminStuck];
  const member = w.subjects.member.subject;
  const list = '/api/v1/applications';
  const stream = '/api/v1/stream/applications';
  const ok = (path: string, check?: (body: unknown) => void): Case => ({ path, status: 200, ...(check ? { check } : {}) });
  const projects = (want: string[], never: string[] = []) => (b: unknown): void => { sees(want, never)(names(b)); };
  const repo = (b: unknown): void => { expect((b as { items: { repo: string }[] }).items.some((r) => r.repo.includes('authz-repo')), 'the repository'); };
  const forbidden = (path: string, resource: string, object: string): Case => ({ path, status: 403, error: denied(`${resource}, get`, object, member) });
  return [
    open(w, 'GET', list, {
      readonly: ok(list, (b) => { sees([main, foreign])(names(b)); }), admin: ok(list, (b) => { sees([main, foreign])(names(b)); }),
      member: ok(list, (b) => { sees([main, w.apps.memberSync], elsewhere)(names(b)); }),
      memberForeign: ok(`${list}?project=${w.otherProject}`, (b) => { expect(names(b).length === 0, 'nothing of another project'); }),
    }),
    open(w, 'GET', stream, {
      readonly: { ...ok(stream, sees([main, foreign]) as (b: unknown) => void), stream: true },
      member: { ...ok(stream, sees([main, w.apps.memberSync], elsewhere) as (b: unknown) => void), stream: true },
      admin: { ...ok(stream, sees([main, foreign]) as (b: unknown) => void), stream: true },
    }),
    open(w, 'GET', '/api/v1/projects', {
      readonly: ok('/api/v1/projects', projects([w.project, w.otherProject])), admin: ok('/api/v1/projects', projects([w.project, w.otherProject])),
      member: ok('/api/v1/projects', projects([w.project], [w.otherProject])),
    }),
    open(w, 'GET', '/api/v1/projects/:name', {
      readonly: ok(`/api/v1/projects/${w.project}`), member: ok(`/api/v1/projects/${w.project}`), admin: ok(`/api/v1/projects/${w.otherProject}`),
      // Refused alike whether the project exists or not, so nothing leaks.
      memberForeign: forbidden(`/api/v1/projects/${w.otherProject}`, 'projects', w.otherProject),
    }),
    open(w, 'GET', '/api/v1/repositories', { readonly: ok('/api/v1/repositories', repo), member: forbidden('/api/v1/repositories', 'repositories', '*'), admin: ok('/api/v1/repositories', repo) }),
    open(w, 'GET', '/api/v1/clusters', { readonly: ok('/api/v1/clusters'), member: forbidden('/api/v1/clusters', 'clusters', '*'), admin: ok('/api/v1/clusters') }),
    open(w, 'GET', '/api/v1/session/userinfo', {
      readonly: ok('/api/v1/session/userinfo', (b) => { expect((b as { subject: string }).subject === w.subjects.readonly.subject, 'its subject'); }),
      member: ok('/api/v1/session/userinfo', (b) => { expect((b as { subject: string }).subject === member, 'its subject'); }),
      admin: ok('/api/v1/session/userinfo', (b) => { expect((b as { subject: string }).subject === w.subjects.admin.subject, 'its subject'); }),
    }),
    settingsRow(w),
  ];
}

/** Public by design (docs/api.md): the same four harmless fields for everyone, token or not. */
function settingsRow(w: World): Row {
  const path = '/api/v1/settings';
  const check = (b: unknown): void => {
    expect(JSON.stringify(Object.keys(b as object).sort()) === '["compat","group","namespace","version"]', `settings has only namespace, group, compat, version: ${JSON.stringify(b)}`);
    expect((b as { namespace: string }).namespace === w.namespace, 'its namespace');
  };
  const c: Case = { path, status: 200, check };
  return { method: 'GET', pattern: path, cases: { anonymous: c, badToken: c, readonly: c, member: c, admin: c } };
}

export function authzRows(w: World): Row[] {
  return [...appRows(w), ...catalogRows(w)];
}
