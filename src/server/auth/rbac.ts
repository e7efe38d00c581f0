// Authorisation. `role:admin` may do everything, `role:readonly` every `get`; `proj:<project>:<role>`
// gets the policies of that role in the AppProject's `spec.roles[]`, in Argo CD's CSV form
// `p, proj:<project>:<role>, applications, <action>, <project>/<app glob>, allow|deny` (deny wins).
// A project role only ever reaches Applications of its own project, whatever its policies say.
import picomatch from 'picomatch';
import type { KubeObject } from '../../kube/client.js';
import type { Principal } from './tokens.js';

export type Action = 'get' | 'sync' | 'rollback' | 'delete' | 'override' | 'action' | 'create' | 'update';
export type Resource = 'applications' | 'projects' | 'repositories' | 'clusters';

export interface Permission {
  readonly resource: Resource;
  readonly action: Action;
  /** `<project>/<app>` for applications, the name for projects; `*` for lists. */
  readonly object: string;
}

interface Policy { subject: string; resource: string; action: string; object: string; effect: 'allow' | 'deny' }

function parsePolicy(line: string): Policy | undefined {
  const parts = line.split(',').map((p) => p.trim());
  if (parts.length < 5 || parts[0] !== 'p') return undefined;
  const [, subject = '', resource = '', action = '', object = '', effect = 'allow'] = parts;
  return { subject, resource, action, object, effect: effect === 'deny' ? 'deny' : 'allow' };
}

function projectPolicies(project: KubeObject | undefined, subject: string): Policy[] {
  const roles = ((project?.['spec'] as { roles?: { name?: string; policies?: string[] }[] } | undefined)?.roles) ?? [];
  const roleName = subject.split(':')[2];
  return roles.filter((r) => r.name === roleName).flatMap((r) => (r.policies ?? []).map(parsePolicy).filter((p): p is Policy => p?.subject === subject));
}

function matches(glob: string, value: string): boolean {
  return glob === '*' || glob === value || picomatch.isMatch(value, glob, { dot: true });
}

function projectOf(p: Permission): string {
  return p.resource === 'applications' ? (p.object.split('/')[0] ?? '') : p.object;
}

function projectRoleAllows(role: string, p: Permission, project: KubeObject | undefined): boolean {
  const [, proj] = role.split(':');
  if (proj !== projectOf(p)) return false;
  const policies = projectPolicies(project, role).filter((x) => matches(x.resource, p.resource) && matches(x.action, p.action) && matches(x.object, p.object));
  return policies.length > 0 && !policies.some((x) => x.effect === 'deny');
}

/**
 * Whether the principal holds the permission. `projectOf` gives the AppProject object that owns the
 * permission's object (its roles are read from there).
 */
export function allowed(who: Principal, p: Permission, project: (name: string) => KubeObject | undefined): boolean {
  return who.roles.some((role) => {
    if (role === 'role:admin') return true;
    if (role === 'role:readonly') return p.action === 'get';
    if (role.startsWith('proj:')) return projectRoleAllows(role, p, project(role.split(':')[1] ?? ''));
    return false;
  });
}

export function describePermission(p: Permission): string {
  return `${p.resource}, ${p.action}, ${p.object}`;
}
