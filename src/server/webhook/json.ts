// Reading untrusted JSON payloads without trusting their shape: every accessor returns undefined
// (or an empty list) when a field is missing or of another type.

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** `at(payload, 'repository', 'links', 'html', 'href')`: a nested field or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let cur: unknown = value;
  for (const key of path) cur = obj(cur)?.[key];
  return cur;
}
