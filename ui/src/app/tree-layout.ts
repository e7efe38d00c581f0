// Lays the resource tree out left to right: the Application in column 0, its managed resources in
// column 1, what they own (ReplicaSets, then Pods) further right. Leaves take one row each, a parent
// sits at the middle of its children, so edges never cross within a subtree.
import type { ResourceNode, ResourceStatus } from '../api/types';
import { resourceId } from '../common/format';

export interface TreeNode {
  id: string;
  node: ResourceNode;
  depth: number;
  x: number;
  y: number;
  children: TreeNode[];
  /** From the Application's status.resources: false for objects only found by ownerReferences. */
  managed: boolean;
}

export interface TreeLayout { root: TreeNode; nodes: TreeNode[]; edges: { from: TreeNode; to: TreeNode }[]; width: number; height: number }

/** Node size and gaps; a compact set keeps more of the graph in view in a narrow window. */
export interface Dims { w: number; h: number; colGap: number; rowGap: number }
export const WIDE: Dims = { w: 256, h: 54, colGap: 64, rowGap: 14 };
export const COMPACT: Dims = { w: 168, h: 48, colGap: 24, rowGap: 10 };

/** Builds the graph: tree nodes plus managed resources missing from the cluster, under `rootNode`. */
export function buildTree(rootNode: ResourceNode, treeNodes: readonly ResourceNode[], managed: readonly ResourceStatus[]): TreeNode {
  const root: TreeNode = { id: resourceId(rootNode), node: rootNode, depth: 0, x: 0, y: 0, children: [], managed: true };
  const byUid = new Map<string, TreeNode>();
  const byId = new Map<string, TreeNode>();
  const managedIds = new Set(managed.map((m) => resourceId(m)));
  const all: TreeNode[] = treeNodes.map((n) => ({ id: resourceId(n), node: n, depth: 0, x: 0, y: 0, children: [], managed: managedIds.has(resourceId(n)) }));
  for (const t of all) { byId.set(t.id, t); if (t.node.uid) byUid.set(t.node.uid, t); }
  for (const m of managed) {
    const id = resourceId(m);
    if (byId.has(id)) continue;
    const node: ResourceNode = { ...m, ...(m.health ? { health: m.health } : { health: { status: 'Missing' } }), ...(m.status ? { status: m.status } : {}) };
    const t: TreeNode = { id, node, depth: 0, x: 0, y: 0, children: [], managed: true };
    byId.set(id, t);
    all.push(t);
  }
  for (const t of all) {
    const ref = t.node.parentRefs?.[0];
    const parent = ref ? ((ref.uid ? byUid.get(ref.uid) : undefined) ?? byId.get(resourceId(ref))) : undefined;
    (parent && parent !== t ? parent : root).children.push(t);
  }
  sortChildren(root);
  return root;
}

function sortChildren(t: TreeNode): void {
  t.children.sort((a, b) => kindRank(a.node.kind) - kindRank(b.node.kind) || a.node.kind.localeCompare(b.node.kind) || a.node.name.localeCompare(b.node.name));
  for (const c of t.children) sortChildren(c);
}

const ORDER = ['Namespace', 'ServiceAccount', 'Secret', 'ConfigMap', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Ingress'];
function kindRank(kind: string): number {
  const i = ORDER.indexOf(kind);
  return i < 0 ? ORDER.length : i;
}

export function layoutTree(root: TreeNode, d: Dims = WIDE): TreeLayout {
  const nodes: TreeNode[] = [];
  const edges: { from: TreeNode; to: TreeNode }[] = [];
  let row = 0;
  let maxDepth = 0;
  const place = (t: TreeNode, depth: number, seen: Set<string>): void => {
    t.depth = depth;
    maxDepth = Math.max(maxDepth, depth);
    t.x = depth * (d.w + d.colGap);
    nodes.push(t);
    const kids = t.children.filter((c) => !seen.has(c.id));
    for (const c of kids) { seen.add(c.id); edges.push({ from: t, to: c }); place(c, depth + 1, seen); }
    if (kids.length === 0) { t.y = row * (d.h + d.rowGap); row++; return; }
    const first = kids[0];
    const last = kids[kids.length - 1];
    t.y = first && last ? (first.y + last.y) / 2 : 0;
  };
  place(root, 0, new Set([root.id]));
  return { root, nodes, edges, width: (maxDepth + 1) * (d.w + d.colGap) - d.colGap, height: Math.max(1, row) * (d.h + d.rowGap) - d.rowGap };
}

/** An S-shaped edge from the right side of `a` to the left side of `b`. */
export function edgePath(a: TreeNode, b: TreeNode, d: Dims = WIDE): string {
  const x1 = a.x + d.w;
  const y1 = a.y + d.h / 2;
  const x2 = b.x;
  const y2 = b.y + d.h / 2;
  const mx = (x1 + x2) / 2;
  return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}
