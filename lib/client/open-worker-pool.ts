import 'client-only';

import type { UnlockedOrg } from './account';
import type { OpenOutcome, WorkerJob, WorkerReply, WorkerRequest } from './open-worker-job';

/** What runs a batch of open jobs off the page: the open workers, or a test's stand-in. */
export interface OpenJobRunner {
  /** The outcomes in the jobs' order; null: the batch was not opened (the caller opens it itself). */
  run(jobs: WorkerJob[]): Promise<OpenOutcome[] | null>;
}

interface Member {
  worker: Worker;
  /** Batches sent and not yet answered, by batch number. */
  pending: Map<number, (outcomes: OpenOutcome[] | null) => void>;
  dead: boolean;
}

/**
 * A few dedicated workers that do the per-invoice crypto of a list's full open (grant unwrap,
 * commitment, manifest signature, header decryption and format: runOpenJob) while the page keeps
 * the keyring's decisions and assembles the rows (issue #13: ~0.8 ms an invoice on the main thread
 * for the first open of an inbox). One pool per list open: the org's current keys are sent once,
 * as CryptoKeys (non-extractable keys stay so; no key bytes are copied), and the workers are
 * terminated when the list is done, which is the only copy of them gone.
 *
 * A worker that fails (does not load, errs, or answers a batch with a failure) answers null for
 * its batches, which the page then opens itself: nothing is shown as verified because a worker died.
 */
export class OpenWorkerPool implements OpenJobRunner {
  /** Fewer invoices than this in a chunk are opened on the page: starting the workers would take longer. */
  static readonly MIN_INVOICES = 200;
  private readonly members: Member[] = [];
  private nextBatch = 0;

  private constructor() {}

  /** A pool for this org's list open; null where the browser has no module workers (or they fail at once). */
  static start(org: UnlockedOrg, size = OpenWorkerPool.defaultSize()): OpenWorkerPool | null {
    if (typeof Worker === 'undefined') return null;
    const pool = new OpenWorkerPool();
    try {
      for (let i = 0; i < size; i++) {
        const worker = new Worker(new URL('./open-invoice.worker.ts', import.meta.url), { type: 'module', name: 'zkinvoice-open' });
        const member: Member = { worker, pending: new Map(), dead: false };
        pool.members.push(member);
        worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
          const answer = member.pending.get(event.data.batch);
          member.pending.delete(event.data.batch);
          answer?.(event.data.outcomes);
        });
        // A worker that did not load (a blocked script) or broke: its batches go back to the page.
        const fail = () => {
          performance.mark('zkinvoice:open-worker-failed');
          pool.fail(member);
        };
        worker.addEventListener('error', fail);
        worker.addEventListener('messageerror', fail);
        const keys: WorkerRequest = {
          type: 'keys',
          org: { orgId: org.orgId, keyVersion: org.keyVersion, keys: { encryptionPrivateKey: org.keys.encryptionPrivateKey, encryptionPublicKey: org.keys.encryptionPublicKey }, dekWrapKey: org.dekWrapKey },
        };
        worker.postMessage(keys);
      }
    } catch {
      // No module workers here, or CryptoKeys that cannot be sent to one: the page opens everything.
      pool.close();
      return null;
    }
    // For the inbox bench's waterfall (bench/inbox.ts): how many workers, and whether one failed.
    performance.mark(`zkinvoice:open-workers-${size}`);
    return pool;
  }

  /** One worker per core, at most four: the page's own thread still assembles rows and fetches pages. */
  static defaultSize(): number {
    const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
    return Math.max(1, Math.min(4, cores));
  }

  run(jobs: WorkerJob[]): Promise<OpenOutcome[] | null> {
    const alive = this.members.filter((m) => !m.dead);
    if (!alive.length) return Promise.resolve(null);
    const member = alive.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const batch = this.nextBatch++;
    return new Promise((resolve) => {
      member.pending.set(batch, resolve);
      try {
        member.worker.postMessage({ type: 'open', batch, jobs } satisfies WorkerRequest);
      } catch {
        this.fail(member);
      }
    });
  }

  /** Ends the workers and, with them, their copies of the org's keys; unanswered batches answer null. */
  close(): void {
    for (const member of this.members) this.fail(member);
  }

  private fail(member: Member): void {
    member.dead = true;
    member.worker.terminate();
    const pending = [...member.pending.values()];
    member.pending.clear();
    for (const answer of pending) answer(null);
  }
}
