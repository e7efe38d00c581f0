// The Applications the fault suite syncs while it breaks things: each has a PreSync and a PostSync hook
// (Jobs, which KWOK runs to completion), ConfigMaps in sync waves -1 and 1 and a Deployment in wave 2.
// Every commit changes each app's ConfigMaps and hooks (annotation `fjord.test/rev`), so every commit
// is a full sync with both hooks. A recorder watches Job creations to prove no hook ran twice for one
// revision, and `convergence` checks what a user checks afterwards.
import type { ApplicationStatus } from '../controller/app-status.js';
import type { WorkingCopy } from '../dev/git/repos.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { createInformer, type Informer } from '../kube/watch.js';
import { configMap, deploymentYaml } from '../testing/manifests.js';

export const REV_ANNOTATION = 'fjord.test/rev';

const hookJob = (name: string, hook: string, rev: number): string => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:
    argocd.argoproj.io/hook: ${hook}
    ${REV_ANNOTATION}: "${rev}"
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: registry.example.com/${hook.toLowerCase()}:1
`;

/** The files of app `i` at revision `rev` (under `app<i>/`). */
export function appFiles(i: number, rev: number): Record<string, string> {
  return {
    [`app${i}/pre.yaml`]: hookJob(`pre-${i}`, 'PreSync', rev),
    [`app${i}/post.yaml`]: hookJob(`post-${i}`, 'PostSync', rev),
    [`app${i}/a.yaml`]: configMap(`a-${i}`, { rev: String(rev) }, { 'argocd.argoproj.io/sync-wave': '-1' }),
    [`app${i}/b.yaml`]: configMap(`b-${i}`, { rev: String(rev) }, { 'argocd.argoproj.io/sync-wave': '1' }),
    [`app${i}/web.yaml`]: deploymentYaml(`web-${i}`, 1).replace('metadata:\n  name:', 'metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: "2"\n  name:'),
  };
}

/** Writes revision `rev` of every app, commits and pushes; returns the commit SHA. */
export async function pushRevision(repo: WorkingCopy, apps: number, rev: number): Promise<string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < apps; i++) Object.assign(files, appFiles(i, rev));
  repo.write(files);
  const sha = await repo.commit(`rev ${rev}`);
  await repo.push();
  return sha;
}

/** Every Job created in a namespace (by uid), seen through a watch that outlives the controller. */
export class JobRecorder {
  private constructor(private readonly informer: Informer, private readonly seen: Map<string, { name: string; rev: string }>) {}

  static async start(kube: KubeClient, namespace: string): Promise<JobRecorder> {
    const seen = new Map<string, { name: string; rev: string }>();
    const informer = createInformer(kube, {
      path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
      onEvent: (type, obj) => {
        const uid = obj.metadata?.['uid'] as string | undefined;
        if (type === 'DELETED' || !uid || seen.has(uid)) return;
        const rev = (obj.metadata?.['annotations'] as Record<string, string> | undefined)?.[REV_ANNOTATION] ?? '?';
        seen.set(uid, { name: obj.metadata?.name ?? '', rev });
      },
    });
    informer.start();
    await informer.synced();
    return new JobRecorder(informer, seen);
  }

  /** Hook runs so far. */
  get runs(): number {
    return this.seen.size;
  }

  /** `hook@rev` of every hook that was created more than once for the same revision. */
  duplicates(): string[] {
    const counts = new Map<string, number>();
    for (const { name, rev } of this.seen.values()) counts.set(`${name}@${rev}`, (counts.get(`${name}@${rev}`) ?? 0) + 1);
    return [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
  }

  /** Hooks of `names` that never got a Job for revision `rev`. */
  missing(names: readonly string[], rev: number): string[] {
    const ran = new Set([...this.seen.values()].filter((j) => j.rev === String(rev)).map((j) => j.name));
    return names.filter((n) => !ran.has(n)).map((n) => `${n}@${rev}`);
  }

  async stop(): Promise<void> {
    await this.informer.stop();
  }
}

export interface Convergence {
  /** What is not right yet, one line per problem; empty when everything converged. */
  readonly problems: string[];
  /** Objects of the final revision missing from the cluster or still at an older revision. */
  readonly objectsLost: number;
}

/** Problems in an Application's history: ids must be unique and consecutive. */
export function historyProblems(app: string, s: ApplicationStatus): string[] {
  const ids = (s.history ?? []).map((h) => h.id);
  const bad = ids.some((id, k) => k > 0 && id !== (ids[k - 1] ?? 0) + 1);
  return bad ? [`${app}: history ids ${ids.join(',')} have a gap or a duplicate`] : [];
}

function statusProblems(app: string, obj: KubeObject, sha: string): string[] {
  const s = obj['status'] as ApplicationStatus | undefined;
  if (!s) return [`${app}: no status`];
  const op = s.operationState;
  const out: string[] = [];
  if (s.sync.status !== 'Synced' || s.sync.revision !== sha) out.push(`${app}: sync ${s.sync.status} at ${s.sync.revision ?? '-'}, want Synced at ${sha}`);
  if (s.health.status !== 'Healthy') out.push(`${app}: health ${s.health.status}`);
  if (op?.phase !== 'Succeeded' || op.operation.sync.revision !== sha) out.push(`${app}: operation ${op?.phase ?? 'none'} for ${op?.operation.sync.revision ?? '-'}: ${op?.message ?? ''}`);
  if (obj['operation']) out.push(`${app}: an operation request is still pending`);
  if (s.history?.at(-1)?.revision !== sha) out.push(`${app}: last history entry is not ${sha}`);
  return [...out, ...historyProblems(app, s)];
}

/** Checks every app against the final commit `sha` (revision number `rev`). */
export async function convergence(kube: KubeClient, want: { appsPath: string; names: readonly string[]; dest: string; sha: string; rev: number }): Promise<Convergence> {
  const { appsPath, names, dest, sha, rev } = want;
  const problems: string[] = [];
  let objectsLost = 0;
  for (const [i, name] of names.entries()) {
    problems.push(...statusProblems(name, await kube.get(`${appsPath}/${name}`), sha));
    for (const cm of [`a-${i}`, `b-${i}`]) {
      const live = await kube.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${dest}/configmaps/${cm}`);
      if (live?.data?.['rev'] !== String(rev)) { objectsLost++; problems.push(`${name}: ConfigMap ${cm} has rev ${live?.data?.['rev'] ?? '(missing)'}, want ${rev}`); }
    }
    if (!(await kube.getOrUndefined(`/apis/apps/v1/namespaces/${dest}/deployments/web-${i}`))) { objectsLost++; problems.push(`${name}: Deployment web-${i} missing`); }
  }
  return { problems, objectsLost };
}
