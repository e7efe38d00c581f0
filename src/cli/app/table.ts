// Aligned columns, the way `kubectl get` and `argocd app list` print them: each column as wide as its
// widest cell plus two spaces, no trailing blanks, empty cells shown as '-' unless told otherwise.

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((r) => headers.map((_, i) => clean(r[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 2))).join('').trimEnd();
  return [line(headers), ...cells.map(line)].map((l) => `${l}\n`).join('');
}

/** `Label:` blocks with the values aligned: the summary at the top of `fjord app get`. */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([k]) => k.length + 1));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}\n`).join('');
}

/** One line, no tabs or control characters, so a cell never breaks the columns. */
function clean(v: string | undefined): string {
  if (v === undefined || v === '') return '-';
  return v.replace(/[\t\r\n]+/g, ' ').replace(/\p{Cc}/gu, '');
}

/** The first line of a text, shortened to `max` characters with an ellipsis. */
export function firstLine(text: string | undefined, max = 60): string {
  const line = (text ?? '').split('\n')[0]?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
