// A minimal path router over the History API: `/applications` and `/applications/NAME`.
import { useEffect, useState } from 'react';

export type Route = { page: 'list' } | { page: 'app'; name: string; node?: string };

export function parseRoute(path: string, search: string): Route {
  const m = /^\/applications\/([^/]+)\/?$/.exec(path);
  if (m?.[1]) {
    const node = new URLSearchParams(search).get('node');
    return node ? { page: 'app', name: decodeURIComponent(m[1]), node } : { page: 'app', name: decodeURIComponent(m[1]) };
  }
  return { page: 'list' };
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to); else history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const on = (): void => { setRoute(parseRoute(location.pathname, location.search)); };
    window.addEventListener('popstate', on);
    return () => { window.removeEventListener('popstate', on); };
  }, []);
  return route;
}

/** A link that navigates without a reload (and still opens in a new tab with a modifier key). */
export function onLinkClick(to: string): (e: React.MouseEvent) => void {
  return (e) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
}
