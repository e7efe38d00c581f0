// The resource tree as a left-to-right graph: SVG edges under absolutely placed HTML node cards,
// coloured and iconed by health and sync. Clicking a node selects it.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ResourceNode, ResourceStatus } from '../api/types';
import { HealthIcon, SyncIcon, kindLabel } from '../common/icons';
import { buildTree, COMPACT, edgePath, layoutTree, WIDE, type Dims, type TreeNode } from './tree-layout';

interface Props {
  root: ResourceNode;
  nodes: readonly ResourceNode[];
  managed: readonly ResourceStatus[];
  selected: string | undefined;
  onSelect: (node: ResourceNode, id: string) => void;
}

export function ResourceTree({ root, nodes, managed, selected, onSelect }: Props): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const [dims, setDims] = useState<Dims>(WIDE);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => { setDims(el.clientWidth < 640 ? COMPACT : WIDE); });
    ro.observe(el);
    return () => { ro.disconnect(); };
  }, []);
  const layout = useMemo(() => layoutTree(buildTree(root, nodes, managed), dims), [root, nodes, managed, dims]);
  const pad = dims === COMPACT ? 10 : 16;
  const rootY = layout.root.y;
  // Start with the Application in view: on a tall tree (or a short window) it sits mid-way down.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = Math.max(0, rootY + pad + dims.h / 2 - el.clientHeight / 2);
  }, [rootY, pad, dims]);
  return (
    <div ref={scroller} className="tree-scroll" data-testid="resource-tree">
      <div className={`tree${dims === COMPACT ? ' compact' : ''}`} style={{ width: layout.width + 2 * pad, height: layout.height + 2 * pad }}>
        <svg className="tree-edges" width={layout.width + 2 * pad} height={layout.height + 2 * pad} aria-hidden="true">
          <g transform={`translate(${pad},${pad})`}>
            {layout.edges.map((e) => <path key={`${e.from.id}>${e.to.id}`} d={edgePath(e.from, e.to, dims)} className={`edge health-${e.to.node.health?.status ?? 'none'}`} />)}
          </g>
        </svg>
        {layout.nodes.map((t) => <NodeCard key={t.id} t={t} pad={pad} dims={dims} selected={selected === t.id} onSelect={onSelect} />)}
      </div>
    </div>
  );
}

function NodeCard({ t, pad, dims, selected, onSelect }: { t: TreeNode; pad: number; dims: Dims; selected: boolean; onSelect: Props['onSelect'] }): React.JSX.Element {
  const n = t.node;
  const health = n.health?.status;
  const info = infoLine(n.info);
  return (
    <button type="button" className={`node${selected ? ' selected' : ''} node-health-${health ?? 'none'}${n.status === 'OutOfSync' ? ' node-outofsync' : ''}${t.depth === 0 ? ' node-root' : ''}`}
      style={{ left: t.x + pad, top: t.y + pad, width: dims.w, height: dims.h }}
      onClick={() => { onSelect(n, t.id); }} data-kind={n.kind} data-name={n.name} data-health={health ?? ''} data-sync={n.status ?? ''}
      title={`${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}${n.health?.message ? `\n${n.health.message}` : ''}`}>
      <span className={`kind kind-${kindLabel(n.kind)}`}>{kindLabel(n.kind)}</span>
      <span className="node-text">
        <span className="node-name">{n.name}</span>
        <span className="node-sub">{n.kind}{info ? ` · ${info}` : ''}</span>
      </span>
      <span className="node-status">
        {health && <HealthIcon status={health} size={15} />}
        {n.status && <SyncIcon status={n.status} size={15} />}
      </span>
    </button>
  );
}

/** A node's info in a few words: `Running · 1/1 ready · 2 restarts` (zero restarts left out). */
function infoLine(info: ResourceNode['info']): string {
  return (info ?? []).flatMap((i) => {
    if (i.name === 'Status' || i.name === 'Revision') return [i.value];
    if (i.name === 'Containers') return [`${i.value} ready`];
    if (i.name === 'Restarts') return i.value === '0' ? [] : [`${i.value} restarts`];
    return [`${i.name} ${i.value}`];
  }).join(' · ');
}
