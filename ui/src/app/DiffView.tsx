// A unified diff rendered with colours: additions green, removals red, hunk headers muted.
export function DiffView({ diff }: { diff: string | undefined }): React.JSX.Element {
  if (!diff || diff.trim() === '') return <p className="muted">No difference between Git and the live object.</p>;
  // The `Index:`/`====` preamble of some diff writers says nothing a reader needs.
  const lines = diff.replace(/\n$/, '').split('\n').filter((l) => !/^(Index: |={8,}$)/.test(l));
  return (
    <pre className="diff" data-testid="diff">
      {lines.map((l, i) => <span key={i} className={`dl ${lineClass(l)}`}>{l === '' ? ' ' : l}{'\n'}</span>)}
    </pre>
  );
}

function lineClass(l: string): string {
  if (l.startsWith('+++') || l.startsWith('---')) return 'dl-file';
  if (l.startsWith('@@')) return 'dl-hunk';
  if (l.startsWith('+')) return 'dl-add';
  if (l.startsWith('-')) return 'dl-del';
  return 'dl-ctx';
}
