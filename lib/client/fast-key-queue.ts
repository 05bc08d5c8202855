import { toBase64Url } from '@/lib/crypto/encoding';
import { wrapDekFast, type FastBinding } from '@/lib/crypto/envelope';
import { FAST_KEYS_PER_REQUEST } from '@/lib/shared/schemas/invoice';
import type { UnlockedOrg } from './account';
import { api } from './api';

interface Batch {
  orgId: string;
  keyVersion: number;
  keys: { invoiceId: string; wrappedDek: string }[];
}

export type SendFastKeys = (batch: Batch) => Promise<unknown>;

const sendToServer: SendFastKeys = (batch) => api('/api/invoices/fast-keys', { method: 'PUT', body: batch });

/**
 * Collects the org's fast-path copies of DEKs opened through their HPKE grants (DESIGN §6) and
 * stores them many per request: one PUT per invoice made the first open of a 10,000-invoice inbox
 * wait for 10,000 requests (Chromium failed those past a few thousand with
 * ERR_INSUFFICIENT_RESOURCES, including the keyring update the list waits for). A batch goes out
 * when full or shortly after the last copy queued; at most two requests at a time, leaving
 * Chromium's other connections to this host free for navigation.
 *
 * One queue per list or invoice page that opens invoices (not module state), so what one page
 * queued is sent, or dropped, with that page's own lifetime. A lost copy only means the next open
 * takes the HPKE path for that invoice again.
 */
export class FastKeyQueue {
  static readonly IN_FLIGHT = 2;
  static readonly FLUSH_DELAY_MS = 50;
  /** Held copies wrapped at a time on release. */
  static readonly RELEASE_SLICE = 250;
  private readonly pending = new Map<string, Batch>();
  private readonly waiting: (() => void)[] = [];
  private readonly sending = new Set<Promise<void>>();
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Copies added while the queue is held, not yet wrapped (see `hold`); null when not held. */
  private held: { org: UnlockedOrg; dek: Uint8Array; binding: FastBinding }[] | null;

  /**
   * `hold`: keep every copy until release() (or flush()), neither wrapped nor sent. A list's first
   * open holds them until the list is on screen: wrapping them and storing them (20 requests of 500
   * for 10,000 invoices, some 3.7 s of the server's time) otherwise competed with the opening for
   * the machine's cores, as the list index's segment once did (it too waits for the list).
   */
  constructor(
    private readonly send: SendFastKeys = sendToServer,
    options: { hold?: boolean } = {},
  ) {
    this.held = options.hold ? [] : null;
  }

  /** Wraps the DEK under the org's fast-path key, bound to the manifest and header it verified, and queues it. */
  async add(org: UnlockedOrg, dek: Uint8Array, binding: FastBinding): Promise<void> {
    if (this.held) {
      this.held.push({ org, dek, binding });
      return;
    }
    const { invoiceId } = binding;
    const wrappedDek = toBase64Url(await wrapDekFast(org.dekWrapKey, dek, binding));
    const slot = `${org.orgId}|${org.keyVersion}`;
    const batch = this.pending.get(slot) ?? { orgId: org.orgId, keyVersion: org.keyVersion, keys: [] };
    this.pending.set(slot, batch);
    batch.keys.push({ invoiceId, wrappedDek });
    if (batch.keys.length >= FAST_KEYS_PER_REQUEST) {
      this.pending.delete(slot);
      this.dispatch(batch);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.pending.size ? setTimeout(() => this.flush(), FastKeyQueue.FLUSH_DELAY_MS) : null;
  }

  /** Ends holding: wraps what was held and queues it, a slice at a time, handing the main thread back between slices. */
  async release(): Promise<void> {
    const held = this.held;
    this.held = null;
    if (!held) return;
    for (let i = 0; i < held.length; i += FastKeyQueue.RELEASE_SLICE) {
      await Promise.all(held.slice(i, i + FastKeyQueue.RELEASE_SLICE).map(({ org, dek, binding }) => this.add(org, dek, binding)));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Sends what is queued now (and what was held); resolves when every request sent so far has finished. */
  async flush(): Promise<void> {
    await this.release();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const batch of this.pending.values()) this.dispatch(batch);
    this.pending.clear();
    await Promise.all(this.sending);
  }

  private dispatch(batch: Batch): void {
    const task = (async () => {
      if (this.inFlight >= FastKeyQueue.IN_FLIGHT) await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.inFlight++;
      try {
        await this.send(batch).catch(() => {});
      } finally {
        this.inFlight--;
        this.waiting.shift()?.();
      }
    })();
    this.sending.add(task);
    void task.finally(() => this.sending.delete(task));
  }
}
