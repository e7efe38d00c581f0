// Calls Fjord's JSON API with the bearer token from the login screen. A 401 logs the user out.
import type { AppList, Application, KubeEvent, ManagedResource, ResourceKey, ResourceNode, SyncRequest, UserInfo } from './types';

const TOKEN_KEY = 'fjord.token';
const listeners = new Set<() => void>();

export function getToken(): string | null { return localStorage.getItem(TOKEN_KEY); }
export function setToken(token: string | null): void {
  if (token === null) localStorage.removeItem(TOKEN_KEY); else localStorage.setItem(TOKEN_KEY, token);
  for (const l of listeners) l();
}
export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** An API error: HTTP status and the server's one-line message (which names the object and the cause). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); this.name = 'ApiError'; }
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token === null ? {} : { authorization: `Bearer ${token}` };
}

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  const init: RequestInit = { method, headers };
  if (body !== undefined) { headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
  if (signal) init.signal = signal;
  const res = await fetch(path, init);
  const text = await res.text();
  if (!res.ok) {
    if (res.status === 401 && getToken() !== null) setToken(null);
    throw new ApiError(res.status, errorText(res.status, text, `${method} ${path}`));
  }
  return (text === '' ? {} : JSON.parse(text)) as T;
}

function errorText(status: number, text: string, what: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch { /* not JSON */ }
  return `${what}: HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

const app = (name: string): string => `/api/v1/applications/${encodeURIComponent(name)}`;

export interface ListQuery { projects: string[]; sync: string; health: string; search: string }

export function listApplications(q: ListQuery, limit: number, cont: string | undefined, signal?: AbortSignal): Promise<AppList> {
  const p = new URLSearchParams();
  for (const pr of q.projects) p.append('project', pr);
  if (q.sync) p.set('sync', q.sync);
  if (q.health) p.set('health', q.health);
  if (q.search) p.set('search', q.search);
  p.set('limit', String(limit));
  if (cont !== undefined) p.set('continue', cont);
  return request<AppList>('GET', `/api/v1/applications?${p.toString()}`, undefined, signal);
}

export const api = {
  userInfo: (): Promise<UserInfo> => request('GET', '/api/v1/session/userinfo'),
  settings: (): Promise<{ version?: string; namespace?: string }> => request('GET', '/api/v1/settings'),
  projects: (): Promise<{ items: { metadata: { name: string } }[] }> => request('GET', '/api/v1/projects'),
  get: (name: string, refresh?: 'normal' | 'hard'): Promise<Application> =>
    request('GET', refresh ? `${app(name)}?refresh=${refresh}` : app(name)),
  tree: (name: string): Promise<{ nodes: ResourceNode[] }> => request('GET', `${app(name)}/resource-tree`),
  managed: (name: string): Promise<{ items: ManagedResource[] }> => request('GET', `${app(name)}/managed-resources`),
  events: (name: string): Promise<{ items: KubeEvent[] }> => request('GET', `${app(name)}/events`),
  resource: (name: string, r: ResourceKey): Promise<{ manifest: Record<string, unknown> }> => {
    const p = new URLSearchParams({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name, version: r.version ?? '' });
    return request('GET', `${app(name)}/resource?${p.toString()}`);
  },
  sync: (name: string, body: SyncRequest): Promise<Application> => request('POST', `${app(name)}/sync`, body),
  rollback: (name: string, id: number, prune: boolean): Promise<Application> => request('POST', `${app(name)}/rollback`, { id, prune }),
  terminate: (name: string): Promise<unknown> => request('DELETE', `${app(name)}/operation`),
};
