// The sealing keys of the Sealed Secrets controller, kept as Bitnami keeps them (see keys.ts) and
// watched, so a key Secret brought in later (bring-your-own-key) is used at once. Renewal follows
// Bitnami's --key-renew-period: when the newest key is older than the period, a new key is generated
// and becomes the sealing key; every older key is kept and still tried when unsealing. A period of 0
// disables renewal. The current certificate is also published in a ConfigMap (CERT_CONFIGMAP), so
// `fjord seal` can fetch it with only read access to ConfigMaps where the API server cannot proxy to
// Fjord (see docs/adr/0009-secrets.md).
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { createInformer, type Informer } from '../../kube/watch.js';
import type { Logger } from '../../util/log.js';
import { createSealingKey, KEY_LABEL, KEY_LABEL_VALUE, sealingKeyFromSecret, sortNewestFirst, type SealingKey } from './keys.js';

/** Bitnami's default --key-renew-period (30 days). */
export const DEFAULT_KEY_RENEW_PERIOD_MS = 30 * 24 * 3_600_000;
/** The ConfigMap (in the key namespace) holding the current sealing certificate under CERT_CONFIGMAP_KEY. */
export const CERT_CONFIGMAP = 'sealed-secrets-cert';
export const CERT_CONFIGMAP_KEY = 'cert.pem';
/** setTimeout's limit; a longer wait is split (the due time is recomputed when the timer fires). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface KeyRingOptions {
  readonly kube: KubeClient;
  readonly namespace: string;
  readonly log: Logger;
  readonly keyBits: number;
  /** Renew the sealing key when the newest is older than this; 0 disables. */
  readonly renewPeriodMs: number;
  readonly fieldManager: string;
  /** Called when the set of keys changes (a key added or removed). */
  readonly onChange?: () => void;
}

/** When the newest key is due for renewal (ms since the epoch), or undefined when renewal is off. */
export function renewalDueAt(newest: SealingKey | undefined, periodMs: number): number | undefined {
  if (periodMs <= 0) return undefined;
  if (!newest) return 0;
  const created = Date.parse(newest.creationTimestamp);
  return Number.isNaN(created) ? 0 : created + periodMs;
}

export class KeyRing {
  private readonly informer: Informer;
  /** Keys this process created, until the watch shows them (so the newest key is used at once). */
  private readonly created = new Map<string, SealingKey>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private publishedCert = '';
  private renewing: Promise<void> | undefined;
  /** After a failed renewal, the next attempt waits until then. */
  private retryAt = 0;
  /** Key Secrets already warned about (keys() runs on every unseal). */
  private readonly warned = new Set<string>();

  private constructor(private readonly opts: KeyRingOptions) {
    this.informer = createInformer(opts.kube, {
      path: `/api/v1/namespaces/${opts.namespace}/secrets`,
      labelSelector: `${KEY_LABEL}=${KEY_LABEL_VALUE}`,
      onEvent: () => { this.changed(); },
      onError: (e) => { opts.log.warn(e.message); },
    });
  }

  static async start(opts: KeyRingOptions): Promise<KeyRing> {
    const ring = new KeyRing(opts);
    ring.informer.start();
    await ring.informer.synced();
    try {
      if (ring.keys().length === 0) await ring.generate('no sealing key yet');
      await ring.renewIfDue();
      await ring.publishCertificate();
    } catch (e) {
      await ring.stop();
      throw e;
    }
    ring.schedule();
    return ring;
  }

  /** All usable keys, newest (the sealing key) first. */
  keys(): SealingKey[] {
    const invalid = (secret: string): void => {
      if (this.warned.has(secret)) return;
      this.warned.add(secret);
      this.opts.log.warn('sealing key Secret lacks tls.crt or tls.key; ignored', { secret: `${this.opts.namespace}/${secret}` });
    };
    const watched = this.informer.list().map((s) => sealingKeyFromSecret(s, invalid)).filter((k): k is SealingKey => k !== undefined);
    for (const k of watched) this.created.delete(k.name);
    return sortNewestFirst([...watched, ...this.created.values()]);
  }

  privateKeys(): string[] {
    return this.keys().map((k) => k.keyPem);
  }

  certificatePem(): string {
    const newest = this.keys()[0];
    if (!newest) throw new Error(`sealed secrets: no sealing key in namespace ${this.opts.namespace}`);
    return newest.certPem;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.renewing?.catch(() => undefined);
    await this.informer.stop();
  }

  private changed(): void {
    if (this.stopped) return;
    this.opts.onChange?.();
    this.publishCertificate().catch((e: unknown) => { this.opts.log.warn('cannot publish the sealing certificate', { configMap: `${this.opts.namespace}/${CERT_CONFIGMAP}`, error: (e as Error).message }); });
  }

  private async generate(why: string): Promise<void> {
    const key = await createSealingKey(this.opts.kube, this.opts.namespace, this.opts.keyBits, this.opts.log);
    this.created.set(key.name, key);
    this.opts.log.info('new sealing key', { secret: key.name, reason: why });
    this.changed();
  }

  private async renewIfDue(): Promise<void> {
    const due = renewalDueAt(this.keys()[0], this.opts.renewPeriodMs);
    if (due !== undefined && due <= Date.now()) await this.generate(`the newest key is older than the renewal period (${this.opts.renewPeriodMs} ms)`);
  }

  /** Arms a timer for the next renewal; each firing renews when due and re-arms. */
  private schedule(): void {
    if (this.stopped) return;
    const due = renewalDueAt(this.keys()[0], this.opts.renewPeriodMs);
    if (due === undefined) return;
    const wait = Math.min(Math.max(due, this.retryAt) - Date.now(), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.renewing = this.renewIfDue()
        .catch((e: unknown) => {
          this.retryAt = Date.now() + 60_000;
          this.opts.log.warn('sealing key renewal failed; retrying in a minute', { error: (e as Error).message });
        })
        .finally(() => { this.renewing = undefined; this.schedule(); });
    }, Math.max(wait, 0));
    this.timer.unref();
  }

  /** Server-side applies the ConfigMap holding the current certificate (skipped when unchanged). */
  private async publishCertificate(): Promise<void> {
    const cert = this.keys()[0]?.certPem;
    if (!cert || cert === this.publishedCert) return;
    const { namespace, fieldManager } = this.opts;
    const body: KubeObject = {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: CERT_CONFIGMAP, namespace, labels: { 'app.kubernetes.io/managed-by': 'fjord' } },
      data: { [CERT_CONFIGMAP_KEY]: cert },
    };
    await this.opts.kube.apply(`/api/v1/namespaces/${namespace}/configmaps/${CERT_CONFIGMAP}`, body, { fieldManager, force: true });
    this.publishedCert = cert;
  }
}
