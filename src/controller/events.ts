// Kubernetes Events on Applications, so `kubectl describe` and the UI show what Fjord did and why.
// Repeats of the same event within a minute are folded into one.
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Logger } from '../util/log.js';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  private readonly recent = new Map<string, number>();

  constructor(private readonly kube: KubeClient, private readonly log: Logger, private readonly component = 'fjord-controller') {}

  async record(app: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const ns = app.metadata?.namespace ?? 'default';
    const name = app.metadata?.name ?? '';
    const key = `${ns}/${name}/${reason}/${message}`;
    const now = Date.now();
    if ((this.recent.get(key) ?? 0) > now - 60_000) return;
    this.recent.set(key, now);
    if (this.recent.size > 5000) this.recent.clear();
    const ts = new Date(now).toISOString();
    try {
      await this.kube.create(`/api/v1/namespaces/${ns}/events`, {
        apiVersion: 'v1', kind: 'Event',
        metadata: { generateName: `${name}.`, namespace: ns },
        involvedObject: { apiVersion: app.apiVersion, kind: app.kind, name, namespace: ns, uid: app.metadata?.['uid'] },
        reason, message: message.slice(0, 1024), type, source: { component: this.component },
        firstTimestamp: ts, lastTimestamp: ts, count: 1, reportingComponent: this.component,
      });
    } catch (e) {
      this.log.warn('could not record event', { app: name, reason, error: (e as Error).message });
    }
  }
}
