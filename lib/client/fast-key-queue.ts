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
  private readonly pending = new Map<string, Batch>();
  private readonly waiting: (() => void)[] = [];
  private readonly sending = new Set<Promise<void>>();
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly send: SendFastKeys = sendToServer) {}

  /** Wraps the DEK under the org's fast-path key, bound to the manifest and header it verified, and queues it. */
  async add(org: UnlockedOrg, dek: Uint8Array, binding: FastBinding): Promise<void> {
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

  /** Sends what is queued now; resolves when every request sent so far has finished. */
  async flush(): Promise<void> {
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
