// RFC 6901 JSON pointers, for ignoreDifferences: removing a pointed-at value from an object.
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with /`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Removes the value at `pointer` from `doc` in place; a missing path is not an error. */
export function removeAtPointer(doc: unknown, pointer: string): void {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) return;
  let cur: unknown = doc;
  for (const t of tokens) {
    if (cur === null || typeof cur !== 'object') return;
    cur = Array.isArray(cur) ? cur[Number(t)] : (cur as Record<string, unknown>)[t];
  }
  if (Array.isArray(cur)) {
    const i = Number(last);
    if (Number.isInteger(i) && i >= 0 && i < cur.length) cur.splice(i, 1);
  } else if (cur !== null && typeof cur === 'object') {
    Reflect.deleteProperty(cur, last);
  }
}
