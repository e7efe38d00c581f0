// A windowed list: only the rows in (and just around) the viewport are in the DOM, so 5,000
// applications scroll as smoothly as 50. Rows have one fixed height; the container scrolls itself.
import { useLayoutEffect, useRef, useState } from 'react';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  renderRow: (item: T, index: number) => React.ReactNode;
  rowKey: (item: T) => string;
  /** Called when the last rendered row is within `overscan` rows of the end (to load the next page). */
  onNearEnd?: () => void;
  overscan?: number;
  className?: string;
}

export function VirtualList<T>({ items, rowHeight, renderRow, rowKey, onNearEnd, overscan = 8, className }: Props<T>): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = (): void => { setView({ top: el.scrollTop, height: el.clientHeight }); };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    el.addEventListener('scroll', update, { passive: true });
    return () => { ro.disconnect(); el.removeEventListener('scroll', update); };
  }, []);
  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  const nearEnd = items.length > 0 && last >= items.length - overscan;
  useLayoutEffect(() => { if (nearEnd && onNearEnd) onNearEnd(); }, [nearEnd, onNearEnd, items.length]);
  const rows: React.ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i];
    if (item === undefined) continue;
    rows.push(
      <div key={rowKey(item)} className="vrow" role="row" aria-rowindex={i + 1} style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight }}>
        {renderRow(item, i)}
      </div>,
    );
  }
  return (
    <div ref={ref} className={`vlist ${className ?? ''}`} role="rowgroup">
      <div className="vlist-inner" style={{ height: items.length * rowHeight }}>{rows}</div>
    </div>
  );
}
