// Repository URLs at the boundary: which ones Fjord accepts, the canonical form used as a cache key,
// and the redacted form that is safe to print. Nothing here runs git.

const SCHEME_URL = /^([a-z][a-z0-9+.-]*):\/\//i;
/** `user@host:path` (git's scp-like syntax): a ':' before any '/', optional user, IPv6 in brackets. */
const SCP_LIKE = /^(?:([^@/:]+)@)?(\[[^\]]+\]|[^:/[\]]+):(.*)$/;
const TRANSPORT_HELPER = /^[a-z][a-z0-9+.-]*::/i;
// eslint-disable-next-line no-control-regex
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
const NETWORK_SCHEMES = new Set(['http', 'https', 'ssh']);

export type RepoUrlKind = 'http' | 'https' | 'ssh' | 'file';

export interface ParsedRepoUrl {
  readonly kind: RepoUrlKind;
  /** Lower-case host, with `:port` when not the scheme's default; '' for file URLs. */
  readonly host: string;
  readonly username: string;
  readonly password: string;
  /** Path without leading '/'. */
  readonly path: string;
  /** True for `user@host:path`. */
  readonly scpLike: boolean;
}

function invalid(url: string, reason: string): Error {
  return new Error(`invalid repository URL "${redactUrl(url)}": ${reason}`);
}

function parseScpLike(url: string): ParsedRepoUrl | undefined {
  if (SCHEME_URL.test(url)) return undefined;
  const m = SCP_LIKE.exec(url);
  if (!m) return undefined;
  const [, user = '', host = '', path = ''] = m;
  return { kind: 'ssh', host: host.toLowerCase(), username: user, password: '', path: path.replace(/^\/+/, ''), scpLike: true };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseSchemeUrl(url: string): ParsedRepoUrl | undefined {
  const scheme = SCHEME_URL.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || !(NETWORK_SCHEMES.has(scheme) || scheme === 'file')) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const port = u.port !== '' && !(scheme === 'ssh' && u.port === '22') ? `:${u.port}` : '';
  return {
    kind: scheme as RepoUrlKind,
    host: `${u.hostname.toLowerCase()}${port}`,
    username: safeDecode(u.username),
    password: safeDecode(u.password),
    path: safeDecode(u.pathname).replace(/^\/+/, ''),
    scpLike: false,
  };
}

/** Parses an accepted URL form; undefined for anything else (validate first for a reason). */
export function parseRepoUrl(url: string): ParsedRepoUrl | undefined {
  return parseSchemeUrl(url) ?? parseScpLike(url);
}

function refusal(url: string, allowFile: boolean): string | undefined {
  if (url.length === 0) return 'it is empty';
  if (WHITESPACE_OR_CONTROL.test(url)) return 'it contains whitespace or control characters';
  if (url.startsWith('-')) return "it starts with '-'";
  if (TRANSPORT_HELPER.test(url)) return 'transport helpers (<transport>::<address>, e.g. ext::) are not allowed';
  const scheme = SCHEME_URL.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'file' && !allowFile) return 'file:// URLs are not allowed';
  if (scheme !== undefined && scheme !== 'file' && !NETWORK_SCHEMES.has(scheme)) return `the ${scheme}:// transport is not allowed`;
  const parsed = parseRepoUrl(url);
  if (!parsed) return scheme === undefined ? 'expected https://, http://, ssh:// or user@host:path' : 'it cannot be parsed';
  if (parsed.kind !== 'file' && parsed.host === '') return 'it has no host';
  if (parsed.host.startsWith('-') || parsed.username.startsWith('-')) return "its host or user starts with '-'";
  if (parsed.path === '') return 'it has no repository path';
  return undefined;
}

/** Throws unless `url` is an https://, http://, ssh:// or scp-like URL (file:// only with allowFile). */
export function validateRepoUrl(url: string, opts: { allowFile?: boolean } = {}): void {
  const reason = refusal(url, opts.allowFile ?? false);
  if (reason !== undefined) throw invalid(url, reason);
}

function stripGitSuffix(path: string): string {
  let p = path;
  for (;;) {
    const next = p.replace(/\/+$/, '').replace(/\.git$/, '');
    if (next === p) return p;
    p = next;
  }
}

/** The canonical key of a repository: `git@Host:org/repo.git/` and `ssh://git@host/org/repo` are one key. */
const normalized = new Map<string, string>();

/** Memoised: the poller asks this for every Application on every tick. */
export function normalizeRepoUrl(url: string): string {
  const known = normalized.get(url);
  if (known !== undefined) return known;
  const value = normalizeUncached(url);
  if (normalized.size >= 10_000) normalized.clear();
  normalized.set(url, value);
  return value;
}

function normalizeUncached(url: string): string {
  const p = parseRepoUrl(url.trim());
  if (!p) return stripGitSuffix(url.trim());
  const path = stripGitSuffix(p.path);
  if (p.kind === 'file') return `file:///${path}`;
  const user = p.kind === 'ssh' && p.username !== '' ? `${p.username}@` : '';
  return `${p.kind}://${user}${p.host}/${path}`;
}

function redactUserinfo(scheme: string, userinfo: string): string {
  if (scheme.toLowerCase().startsWith('ssh')) {
    const user = userinfo.split(':')[0] ?? '';
    return user === '' ? '' : `${user}@`;
  }
  return '';
}

/** The URL without secrets: no user:password@ for http(s); only the user name for ssh. */
export function redactUrl(url: string): string {
  return redactUrlsIn(url);
}

/** Replaces the userinfo of every scheme://user:password@ URL inside a text (stderr, messages). */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*):\/\/([^\s/@'"]*)@/gi, (_m, scheme: string, info: string) =>
    `${scheme}://${redactUserinfo(scheme, info)}`);
}

/**
 * The URL to hand to git: http(s) without userinfo (credentials go through askpass instead), ssh and
 * file URLs as given. `validateRepoUrl` must have accepted it.
 */
export function gitFacingUrl(url: string): string {
  const p = parseRepoUrl(url);
  if (p?.kind !== 'http' && p?.kind !== 'https') return url;
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}
