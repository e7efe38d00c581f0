// Argo CD matches spec.source.directory include/exclude with gobwas/glob and no separators, so `*`
// also crosses '/' ('*.yaml' matches 'sub/x.yaml') and '{a,b}' lists work. picomatch treats '/'
// specially, so both the pattern and the path swap '/' for NUL, a character no path can contain.
import picomatch from 'picomatch';

const SLASH_STAND_IN = '\u0000';

export type PathMatcher = (relativePath: string) => boolean;

export function globMatcher(pattern: string): PathMatcher {
  const match = picomatch(pattern.replaceAll('/', SLASH_STAND_IN), { dot: true, nonegate: true, noextglob: true });
  return (relativePath) => match(relativePath.replaceAll('/', SLASH_STAND_IN));
}

/** Whether a file passes spec.source.directory's exclude (checked first) and include globs. */
export function includeFilter(include: string | undefined, exclude: string | undefined): PathMatcher {
  const inc = include ? globMatcher(include) : undefined;
  const exc = exclude ? globMatcher(exclude) : undefined;
  return (p) => !(exc?.(p) ?? false) && (inc?.(p) ?? true);
}
