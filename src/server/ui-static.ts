// The web UI's built files (ui/dist) at `/`: files by path, with `index.html` for any other path that
// is not an API path (the single-page app routes itself). Paths cannot leave the folder.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Route } from './http.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2', '.map': 'application/json',
};

const RESERVED = ['/api/', '/v1/', '/metrics', '/healthz', '/readyz'];

async function fileIn(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const full = normalize(join(root, decoded));
  if (full !== root && !full.startsWith(root + sep)) return undefined;
  try {
    return (await stat(full)).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

export function uiRoute(root: string): Route {
  const base = normalize(root);
  return async (req, res, url) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || RESERVED.some((p) => url.pathname.startsWith(p))) return false;
    const file = (await fileIn(base, url.pathname)) ?? (await fileIn(base, '/index.html'));
    if (!file) return false;
    const body = await readFile(file);
    const immutable = url.pathname.startsWith('/assets/');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
      ...(extname(file) === '.html' ? { 'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'" } : {}),
    }).end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/** The web UI's files: the given folder, else ui/dist of this package when it was built. */
export function builtUiDir(flag?: string): string | undefined {
  if (flag) return flag;
  const built = join(import.meta.dirname, '..', '..', 'ui', 'dist');
  return existsSync(join(built, 'index.html')) ? built : undefined;
}
