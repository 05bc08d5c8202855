import { runOpenJob, type OpenOutcome, type WorkerJob, type WorkerReply, type WorkerRequest } from './open-worker-job';

// One of the open workers (open-worker-pool.ts): the per-invoice crypto of a list's first open, off
// the main thread. It holds the org's current keys as the non-extractable CryptoKeys the page sent,
// for the one list open the pool lives for; it sees nothing else of the account, keeps nothing
// anywhere but in memory, and is terminated when the list is done.

type Scope = {
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
};
const scope = globalThis as unknown as Scope;

let org: Extract<WorkerRequest, { type: 'keys' }>['org'] | null = null;

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (request.type === 'keys') {
    org = request.org;
    return;
  }
  void openBatch(request.batch, request.jobs).then(
    (outcomes) => {
      // The DEKs and hashes are this batch's own copies: moved to the page, not copied.
      const transfer = outcomes.flatMap((o) => [o.served.manifestSha256.buffer, o.served.headerSha256.buffer, ...(o.dek ? [o.dek.buffer] : [])]) as ArrayBuffer[];
      scope.postMessage({ batch: request.batch, outcomes }, transfer);
    },
    // The page opens this batch itself; the reason stays here (it could name an invoice's bytes).
    () => scope.postMessage({ batch: request.batch, outcomes: null }, []),
  );
});

async function openBatch(_batch: number, jobs: WorkerJob[]): Promise<OpenOutcome[]> {
  if (!org) throw new Error('no keys');
  const keys = org;
  const outcomes = await Promise.all(
    jobs.map((job) =>
      // Only invoices whose keys for this org are all of the current version are sent here; an older
      // epoch's keys stay on the page (org-epochs.ts).
      runOpenJob(job, keys, async () => null, async () => job.certified),
    ),
  );
  return outcomes.map((o) => ({
    ...o,
    dek: o.dek && o.dek.slice(),
    served: { manifestSha256: o.served.manifestSha256.slice(), headerSha256: o.served.headerSha256.slice() },
  }));
}
