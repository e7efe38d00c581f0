// Status icons: one shape and colour per sync and health state, so status reads at a glance and
// without relying on colour alone.
import type { HealthCode, SyncCode } from '../api/types';

const HEALTH_PATH: Record<HealthCode, string> = {
  Healthy: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm3.1 4.6-3.7 4.3a.8.8 0 0 1-1.2 0L4.6 8.6l1.1-1.1 1.1 1.2 3.1-3.6Z',
  Progressing: 'M8 1.5A6.5 6.5 0 1 0 14.5 8H13A5 5 0 1 1 8 3Z',
  Degraded: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm-.8 3h1.6v4.6H7.2Zm0 5.8h1.6v1.6H7.2Z',
  Suspended: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM5.8 5h1.5v6H5.8Zm2.9 0h1.5v6H8.7Z',
  Missing: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm0 1.6a4.9 4.9 0 1 1 0 9.8 4.9 4.9 0 0 1 0-9.8ZM4.5 7.2h7v1.6h-7Z',
  Unknown: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm0 2.7c1.5 0 2.6.9 2.6 2.2 0 1.4-1.4 1.8-1.8 2.4v.6H7.3v-.8c0-1.2 1.7-1.6 1.7-2.3 0-.5-.4-.8-1-.8-.6 0-1 .3-1.2.9l-1.4-.6c.4-1 1.4-1.6 2.6-1.6Zm-.8 6.5h1.6v1.6H7.2Z',
};

const SYNC_PATH: Record<SyncCode, string> = {
  Synced: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm3.1 4.6-3.7 4.3a.8.8 0 0 1-1.2 0L4.6 8.6l1.1-1.1 1.1 1.2 3.1-3.6Z',
  OutOfSync: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM4.2 7h3.1V5l3.5 3-3.5 3V9H4.2Z',
  Unknown: HEALTH_PATH.Unknown,
};

export function HealthIcon({ status, size = 16 }: { status: HealthCode | undefined; size?: number }): React.JSX.Element {
  const s = status ?? 'Unknown';
  return (
    <svg className={`icon health-${s}${s === 'Progressing' ? ' spin' : ''}`} width={size} height={size} viewBox="0 0 16 16" role="img" aria-label={s}>
      <title>{s}</title>
      <path d={HEALTH_PATH[s]} fill="currentColor" />
    </svg>
  );
}

export function SyncIcon({ status, size = 16 }: { status: SyncCode | undefined; size?: number }): React.JSX.Element {
  const s = status ?? 'Unknown';
  return (
    <svg className={`icon sync-${s}`} width={size} height={size} viewBox="0 0 16 16" role="img" aria-label={s}>
      <title>{s}</title>
      <path d={SYNC_PATH[s]} fill="currentColor" />
    </svg>
  );
}

export function HealthBadge({ status }: { status: HealthCode | undefined }): React.JSX.Element {
  const s = status ?? 'Unknown';
  return <span className={`badge health-${s}`} data-health={s}><HealthIcon status={s} size={14} />{s}</span>;
}

export function SyncBadge({ status }: { status: SyncCode | undefined }): React.JSX.Element {
  const s = status ?? 'Unknown';
  return <span className={`badge sync-${s}`} data-sync={s}><SyncIcon status={s} size={14} />{s}</span>;
}

export function PhaseBadge({ phase }: { phase: string }): React.JSX.Element {
  return <span className={`badge phase-${phase}`} data-phase={phase}>{phase}</span>;
}

/** A short, recognisable label for a Kubernetes kind (deploy, rs, pod, svc, …). */
export function kindLabel(kind: string): string {
  const known: Record<string, string> = {
    Application: 'app', Deployment: 'deploy', ReplicaSet: 'rs', Pod: 'pod', Service: 'svc', ConfigMap: 'cm',
    Secret: 'secret', StatefulSet: 'sts', DaemonSet: 'ds', Job: 'job', CronJob: 'cronjob', Ingress: 'ing',
    ServiceAccount: 'sa', Namespace: 'ns', PersistentVolumeClaim: 'pvc', HorizontalPodAutoscaler: 'hpa',
    Role: 'role', RoleBinding: 'rb', ClusterRole: 'crole', ClusterRoleBinding: 'crb', EndpointSlice: 'eps', Endpoints: 'ep',
  };
  return known[kind] ?? (kind.replace(/[a-z]/g, '').toLowerCase().slice(0, 4) || kind.slice(0, 4).toLowerCase());
}
