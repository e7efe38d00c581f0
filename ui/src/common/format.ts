// Small formatting helpers shared by the screens.
import type { ResourceKey } from '../api/types';

export function shortSha(rev: string | undefined): string {
  if (!rev) return '';
  return /^[0-9a-f]{40}$/i.test(rev) ? rev.slice(0, 7) : rev;
}

export function timeAgo(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function dateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function resourceId(r: ResourceKey): string {
  return `${r.group}/${r.kind}/${r.namespace}/${r.name}`;
}

/** A short label for a repository URL: host-less path without `.git`. */
export function repoLabel(url: string | undefined): string {
  if (!url) return '';
  const scp = /^[^@/:]+@[^/:]+:(.+?)(?:\.git)?\/?$/.exec(url);
  if (scp?.[1]) return scp[1];
  try {
    return new URL(url).pathname.replace(/^\/+/, '').replace(/(\.git)?\/?$/, '') || url;
  } catch {
    return url;
  }
}

/** The destination cluster as people say it: its name, or `in-cluster` for the local API server. */
export function clusterLabel(d: { server?: string; name?: string } | undefined): string {
  if (d?.name) return d.name;
  if (!d?.server || d.server === 'https://kubernetes.default.svc') return 'in-cluster';
  return d.server.replace(/^https?:\/\//, '');
}

/**
 * A web URL for a commit of a GitHub-, GitLab-, Gitea- or Bitbucket-style host, or null when the host is
 * not recognisably one of those (a local Git server, say): then the SHA stays plain text.
 */
export function commitUrl(repoURL: string | undefined, sha: string): string | null {
  if (!repoURL || !/^[0-9a-f]{7,40}$/i.test(sha)) return null;
  const m = /^(?:https?:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/|ssh:\/\/[^@/]+@([^/:]+)(?::\d+)?\/|[^@/]+@([^/:]+):)(.+?)(?:\.git)?\/?$/i.exec(repoURL);
  if (!m) return null;
  const host = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
  const path = m[4] ?? '';
  if (/(^|\.)github\./.test(host) || /(^|\.)gitea\./.test(host) || host === 'codeberg.org') return `https://${host}/${path}/commit/${sha}`;
  if (/(^|\.)gitlab\./.test(host)) return `https://${host}/${path}/-/commit/${sha}`;
  if (host === 'bitbucket.org') return `https://${host}/${path}/commits/${sha}`;
  return null;
}

/** YAML for display (a readable subset: maps, lists, scalars; strings quoted when ambiguous). */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value.map((v) => `${indent}- ${nested(v, `${indent}  `).trimStart()}`).join('\n');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return entries.map(([k, v]) => `${indent}${scalar(k)}:${isBlock(v) ? `\n${toYaml(v, Array.isArray(v) ? indent : `${indent}  `)}` : ` ${nested(v, `${indent}  `)}`}`).join('\n');
  }
  return scalar(value);
}

function isBlock(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

function nested(v: unknown, indent: string): string {
  return isBlock(v) ? (Array.isArray(v) ? `\n${toYaml(v, indent)}` : toYaml(v, indent).trimStart()) : scalar(v);
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') return JSON.stringify(v);
  if (v.includes('\n')) return `|\n${v.split('\n').map((l) => `  ${l}`).join('\n')}`;
  const plain = /^[A-Za-z0-9_./@-][A-Za-z0-9 _./@:,=+-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|~|[-+]?[0-9.]+(e[-+]?\d+)?)$/i.test(v) && !/:\s|\s$/.test(v);
  return plain ? v : JSON.stringify(v);
}
