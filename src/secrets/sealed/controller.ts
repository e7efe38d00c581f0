// A Bitnami-compatible Sealed Secrets controller (pkg/controller/controller.go): watches SealedSecrets
// in all namespaces and writes each one's unsealed Secret (same name and namespace, controlled by the
// SealedSecret, so Kubernetes garbage-collects it with its owner). An existing Secret it does not
// control is only taken over when annotated sealedsecrets.bitnami.com/managed=true. The outcome lands
// in the SealedSecret's Synced condition (via /status) and in Events. Event-driven: no polling.
import { EventRecorder } from '../../controller/events.js';
import { WorkQueue } from '../../controller/queue.js';
import { KubeApiError, type KubeClient, type KubeObject } from '../../kube/client.js';
import { createInformer, type Informer, type WatchEventType } from '../../kube/watch.js';
import type { Logger } from '../../util/log.js';
import { ANNOTATION_PREFIX } from './crypto.js';
import { SEALED_SECRET_API_VERSION, SEALED_SECRET_PLURAL, ensureSealedSecretCrd } from './crd.js';
import { DEFAULT_KEY_RENEW_PERIOD_MS, KeyRing } from './key-ring.js';
import { unsealSecret, type SealedSecretObject, type UnsealedSecret } from './sealed-secret.js';

export const FIELD_MANAGER = 'fjord-sealed-secrets';
export const MANAGED_ANNOTATION = `${ANNOTATION_PREFIX}managed`;
const SEALED_SECRETS_PATH = `/apis/${SEALED_SECRET_API_VERSION}/${SEALED_SECRET_PLURAL}`;

export interface SealedSecretsControllerOptions {
  kube: KubeClient;
  /** Where the sealing keys live (Bitnami: the controller's namespace). */
  namespace: string;
  log: Logger;
  /** RSA size of a generated key; default 4096 as Bitnami. */
  keyBits?: number;
  /** Parallel reconciles; default 4. */
  concurrency?: number;
  /** Bitnami's --key-renew-period: a new sealing key when the newest is older than this; 0 disables. Default 30 days. */
  keyRenewPeriodMs?: number;
  /** Only SealedSecrets of this namespace (Bitnami's `--all-namespaces=false`); default: all namespaces. */
  watchNamespace?: string;
}

export interface SyncedCondition {
  type: 'Synced';
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

interface SealedSecretStatus { observedGeneration?: number; conditions?: (Omit<SyncedCondition, 'type'> & { type: string })[] }

type LiveSealedSecret = SealedSecretObject & {
  metadata: SealedSecretObject['metadata'] & { uid?: string; generation?: number; deletionTimestamp?: string };
  status?: SealedSecretStatus;
};

interface OwnerReference { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }

interface LiveSecret { metadata?: { annotations?: Record<string, string>; ownerReferences?: OwnerReference[] } }

interface Outcome { status: 'True' | 'False'; reason: string; message: string }

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether anything but the status changed: a status write must not trigger another reconcile. */
function specOrMetaChanged(obj: KubeObject, old: KubeObject | undefined): boolean {
  if (!old) return true;
  const m = obj.metadata ?? {};
  const o = old.metadata ?? {};
  return m['generation'] !== o['generation'] || m['uid'] !== o['uid'] || JSON.stringify(m['annotations'] ?? {}) !== JSON.stringify(o['annotations'] ?? {});
}

/**
 * Label on the Secrets Fjord unseals, so a watch of only those Secrets notices one deleted by hand and
 * puts it back (Bitnami's controller would wait for the SealedSecret to change).
 */
export const UNSEALED_LABEL = 'sealedsecrets.fjord.dev/unsealed';

export class SealedSecretsController {
  private readonly events: EventRecorder;
  private readonly queue: WorkQueue;
  private readonly informer: Informer;
  private readonly secrets: Informer;
  private keyRing: KeyRing | undefined;

  private constructor(private readonly opts: SealedSecretsControllerOptions) {
    const log = opts.log;
    this.events = new EventRecorder(opts.kube, log, FIELD_MANAGER);
    this.queue = new WorkQueue({
      name: 'sealed-secrets',
      concurrency: opts.concurrency ?? 4,
      baseBackoffMs: 500,
      maxBackoffMs: 60_000,
      handler: (key) => this.reconcile(key),
      onError: (key, err, retryInMs) => { log.warn('sealed secret reconcile failed; retrying', { sealedSecret: key, error: errorMessage(err), retryInMs }); },
    });
    this.informer = createInformer(opts.kube, {
      path: opts.watchNamespace ? `/apis/${SEALED_SECRET_API_VERSION}/namespaces/${opts.watchNamespace}/${SEALED_SECRET_PLURAL}` : SEALED_SECRETS_PATH,
      onEvent: (type, obj, old) => { this.onEvent(type, obj, old); },
      onError: (e) => { log.warn(e.message); },
      log: (msg) => { log.debug(msg); },
    });
    this.secrets = createInformer(opts.kube, {
      path: opts.watchNamespace ? `/api/v1/namespaces/${opts.watchNamespace}/secrets` : '/api/v1/secrets',
      labelSelector: `${UNSEALED_LABEL}=true`,
      onEvent: (type, obj) => { if (type === 'DELETED') this.onSecretDeleted(obj); },
      onError: (e) => { log.warn(e.message); },
    });
  }

  private onSecretDeleted(secret: KubeObject): void {
    const refs = (secret.metadata?.['ownerReferences'] ?? []) as { kind?: string; name?: string }[];
    const owner = refs.find((r) => r.kind === 'SealedSecret')?.name;
    const ns = secret.metadata?.namespace;
    if (owner && ns) this.queue.add(`${ns}/${owner}`);
  }

  /** Installs the CRD when absent, loads (or generates) the sealing keys and starts watching SealedSecrets. */
  static async start(opts: SealedSecretsControllerOptions): Promise<SealedSecretsController> {
    const log = opts.log.child({ component: 'sealed-secrets' });
    const o = { ...opts, log };
    await ensureSealedSecretCrd(opts.kube, FIELD_MANAGER);
    const controller = new SealedSecretsController(o);
    try {
      controller.keyRing = await KeyRing.start({
        kube: opts.kube, namespace: opts.namespace, log, keyBits: opts.keyBits ?? 4096, fieldManager: FIELD_MANAGER,
        renewPeriodMs: opts.keyRenewPeriodMs ?? DEFAULT_KEY_RENEW_PERIOD_MS, onChange: () => { controller.retryFailed(); },
      });
      controller.informer.start();
      controller.secrets.start();
      await Promise.all([controller.informer.synced(), controller.secrets.synced()]);
    } catch (e) {
      await controller.stop();
      throw e;
    }
    const keys = controller.ring().keys();
    log.info('sealed secrets controller started', { keyNamespace: opts.namespace, keys: keys.length, sealingKey: keys[0]?.name });
    return controller;
  }

  private ring(): KeyRing {
    if (!this.keyRing) throw new Error('sealed secrets controller: not started');
    return this.keyRing;
  }

  /** The certificate of the newest key, the one to seal with (kubeseal --cert). */
  certificatePem(): string {
    return this.ring().certificatePem();
  }

  /** Every sealing key's private key, newest first (all are tried when unsealing). */
  privateKeys(): string[] {
    return this.ring().privateKeys();
  }

  /** A new key may open SealedSecrets that failed before (e.g. a key brought in after them). */
  private retryFailed(): void {
    for (const ss of this.informer.list() as unknown as LiveSealedSecret[]) {
      const synced = ss.status?.conditions?.find((c) => c.type === 'Synced');
      if (synced?.status === 'False' && ss.metadata.namespace) this.queue.add(`${ss.metadata.namespace}/${ss.metadata.name}`);
    }
  }

  async stop(): Promise<void> {
    await this.keyRing?.stop();
    await this.secrets.stop();
    await this.informer.stop();
    await this.queue.shutdown();
    await this.events.flush(5000);
  }

  private onEvent(type: WatchEventType, obj: KubeObject, old: KubeObject | undefined): void {
    if (type === 'DELETED') return; // the Secret goes with its owner (Kubernetes garbage collection)
    if (type === 'MODIFIED' && !specOrMetaChanged(obj, old)) return;
    const ns = obj.metadata?.namespace;
    const name = obj.metadata?.name;
    if (ns && name) this.queue.add(`${ns}/${name}`);
  }

  private async reconcile(key: string): Promise<void> {
    const [ns = '', name = ''] = key.split('/');
    const ss = this.informer.get(ns, name) as LiveSealedSecret | undefined;
    if (!ss || ss.metadata.deletionTimestamp) return;
    const ref: KubeObject = { ...ss, apiVersion: SEALED_SECRET_API_VERSION, kind: 'SealedSecret' };
    const log = this.opts.log.child({ sealedSecret: key });

    let secret: UnsealedSecret;
    try {
      secret = unsealSecret(this.privateKeys(), ss);
    } catch (e) {
      // UnsealError (and key parsing) messages name keys and scopes, never values.
      const message = `Failed to unseal: ${errorMessage(e)}`;
      log.warn('cannot unseal', { error: message });
      this.events.record(ref, 'Warning', 'ErrUnsealFailed', message);
      await this.writeStatus(ss, { status: 'False', reason: 'ErrUnsealFailed', message });
      return; // permanent until the SealedSecret (or the keys) change
    }

    const path = `/api/v1/namespaces/${ns}/secrets/${name}`;
    const uid = ss.metadata.uid ?? '';
    const existing = await this.opts.kube.getOrUndefined<LiveSecret>(path);
    if (existing) {
      const controlled = existing.metadata?.ownerReferences?.some((r) => r.controller === true && r.uid === uid) ?? false;
      if (!controlled && existing.metadata?.annotations?.[MANAGED_ANNOTATION] !== 'true') {
        const message = `Resource "${name}" already exists and is not managed by SealedSecret`;
        log.warn(message);
        this.events.record(ref, 'Warning', 'ErrUpdateFailed', message);
        await this.writeStatus(ss, { status: 'False', reason: 'ErrUpdateFailed', message });
        return;
      }
    }

    const { labels, annotations } = secret.metadata;
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace: ns,
        labels: { ...labels, [UNSEALED_LABEL]: 'true' },
        ...(annotations ? { annotations } : {}),
        ownerReferences: [{ apiVersion: SEALED_SECRET_API_VERSION, kind: 'SealedSecret', name, uid, controller: true }],
      },
      ...(secret.type ? { type: secret.type } : {}),
      ...(secret.immutable !== undefined ? { immutable: secret.immutable } : {}),
      data: secret.data,
    };
    try {
      await this.opts.kube.apply(path, body, { fieldManager: FIELD_MANAGER, force: true });
    } catch (e) {
      if (!(e instanceof KubeApiError) || e.status === 0) throw e;
      // The API server's answer names fields, not the values sent.
      const message = `Failed to write the Secret: ${e.message}`;
      this.events.record(ref, 'Warning', 'ErrUpdateFailed', message);
      await this.writeStatus(ss, { status: 'False', reason: 'ErrUpdateFailed', message });
      throw e;
    }
    this.events.record(ref, 'Normal', 'Unsealed', 'SealedSecret unsealed successfully');
    await this.writeStatus(ss, { status: 'True', reason: 'Unsealed', message: '' });
  }

  /** Sets the Synced condition through /status; skipped when nothing would change. */
  private async writeStatus(ss: LiveSealedSecret, outcome: Outcome): Promise<void> {
    const current = ss.status?.conditions?.find((c) => c.type === 'Synced');
    const generation = ss.metadata.generation;
    if (current && current.status === outcome.status && (current.reason ?? '') === outcome.reason
      && (current.message ?? '') === outcome.message && ss.status?.observedGeneration === generation) return;
    const now = new Date().toISOString();
    const condition: SyncedCondition = {
      type: 'Synced',
      status: outcome.status,
      reason: outcome.reason,
      ...(outcome.message ? { message: outcome.message } : {}),
      lastUpdateTime: now,
      lastTransitionTime: current?.status === outcome.status ? (current.lastTransitionTime ?? now) : now,
    };
    const ns = ss.metadata.namespace ?? '';
    try {
      await this.opts.kube.request('PATCH', `/apis/${SEALED_SECRET_API_VERSION}/namespaces/${ns}/${SEALED_SECRET_PLURAL}/${ss.metadata.name}/status`, {
        body: { status: { ...(generation !== undefined ? { observedGeneration: generation } : {}), conditions: [condition] } },
        contentType: 'application/merge-patch+json',
      });
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return; // deleted meanwhile
      throw e;
    }
  }
}
