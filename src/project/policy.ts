// AppProject rules, enforced before anything is applied: which repositories an Application may use,
// which destinations it may deploy to, and which kinds it may create. Patterns are globs, and a
// leading `!` denies (a deny wins over any allow), as in Argo CD.
import picomatch from 'picomatch';
import { parseAppProjectSpec, type AppProjectSpec } from '../api/application.js';

function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  return picomatch.isMatch(value, pattern, { dot: true, nocase: false, bash: true });
}

/** Allowed when some allow pattern matches and no `!` pattern does. */
export function allowedByPatterns(patterns: readonly string[], value: string): boolean {
  const denies = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const allows = patterns.filter((p) => !p.startsWith('!'));
  if (denies.some((p) => globMatch(p, value))) return false;
  return allows.some((p) => globMatch(p, value));
}

export function checkSourceRepo(project: string, spec: AppProjectSpec, repoURL: string): string | undefined {
  return allowedByPatterns(spec.sourceRepos, repoURL) ? undefined
    : `repository ${repoURL} is not permitted in project ${project} (sourceRepos: ${spec.sourceRepos.join(', ') || 'none'})`;
}

export interface Destination { readonly server?: string | undefined; readonly name?: string | undefined; readonly namespace?: string | undefined }

const unbang = (p: string | undefined): string | undefined => (p?.startsWith('!') ? p.slice(1) : p);
const isDeny = (d: Destination): boolean => [d.server, d.name, d.namespace].some((p) => p?.startsWith('!'));

function destinationMatches(d: Destination, dest: Destination): boolean {
  const server = unbang(d.server);
  const name = unbang(d.name);
  const clusterOk = (server !== undefined && dest.server !== undefined && globMatch(server, dest.server))
    || (name !== undefined && dest.name !== undefined && globMatch(name, dest.name));
  return clusterOk && globMatch(unbang(d.namespace) ?? '*', dest.namespace ?? '');
}

/** Allowed when a plain entry matches and no entry with a `!` part (a deny) matches. */
export function checkDestination(project: string, spec: AppProjectSpec, dest: Destination): string | undefined {
  const denied = spec.destinations.some((d) => isDeny(d) && destinationMatches(d, dest));
  const allowed = spec.destinations.some((d) => !isDeny(d) && destinationMatches(d, dest));
  if (allowed && !denied) return undefined;
  return `destination ${dest.server ?? dest.name ?? ''} namespace ${dest.namespace || '(none)'} is not permitted in project ${project}`;
}

interface KindRule { readonly group: string; readonly kind: string; readonly name?: string | undefined }

function ruleMatches(rules: readonly KindRule[] | undefined, group: string, kind: string, name: string): boolean {
  return (rules ?? []).some((r) => globMatch(r.group || '""', group || '""') && globMatch(r.kind, kind) && (r.name === undefined || globMatch(r.name, name)));
}

/**
 * Whether the project lets an Application manage this kind. Cluster-scoped kinds need a whitelist
 * entry (none by default); namespaced kinds are allowed unless blacklisted or not whitelisted.
 */
export function checkKind(project: string, spec: AppProjectSpec, target: { group: string; kind: string; name: string; namespaced: boolean }): string | undefined {
  const gk = `${target.group || 'core'}/${target.kind}`;
  if (!target.namespaced) {
    if (!ruleMatches(spec.clusterResourceWhitelist, target.group, target.kind, target.name)) return `cluster-scoped ${gk} ${target.name} is not permitted in project ${project} (clusterResourceWhitelist)`;
    if (ruleMatches(spec.clusterResourceBlacklist, target.group, target.kind, target.name)) return `cluster-scoped ${gk} ${target.name} is denied in project ${project} (clusterResourceBlacklist)`;
    return undefined;
  }
  if (spec.namespaceResourceWhitelist && !ruleMatches(spec.namespaceResourceWhitelist, target.group, target.kind, target.name)) return `${gk} ${target.name} is not permitted in project ${project} (namespaceResourceWhitelist)`;
  if (ruleMatches(spec.namespaceResourceBlacklist, target.group, target.kind, target.name)) return `${gk} ${target.name} is denied in project ${project} (namespaceResourceBlacklist)`;
  return undefined;
}

/**
 * Whether Fjord may contact an Application's repository at all: its project exists, is valid and
 * permits the URL. The revision poller asks only such repositories, so an Application cannot make
 * Fjord reach a URL its project forbids (the reconcile refuses it with a condition anyway).
 */
/** Parsed AppProject specs by object: informer objects keep their identity until they change. */
const parsedProjects = new WeakMap<object, ReturnType<typeof parseAppProjectSpec>>();

function parsedProject(obj: Readonly<Record<string, unknown>>): ReturnType<typeof parseAppProjectSpec> {
  let parsed = parsedProjects.get(obj);
  if (!parsed) {
    parsed = parseAppProjectSpec(obj['spec']);
    parsedProjects.set(obj, parsed);
  }
  return parsed;
}

export function repoPermitted(app: Readonly<Record<string, unknown>>, project: (name: string) => Readonly<Record<string, unknown>> | undefined): boolean {
  const spec = app['spec'] as { project?: string; source?: { repoURL?: string }; sources?: { repoURL?: string }[] } | undefined;
  const url = spec?.source?.repoURL ?? spec?.sources?.[0]?.repoURL;
  const name = spec?.project ?? 'default';
  const obj = url ? project(name) : undefined;
  const parsed = obj ? parsedProject(obj) : undefined;
  return url !== undefined && parsed?.ok === true && checkSourceRepo(name, parsed.spec, url) === undefined;
}
