// A 50 MiB document through the real encrypt-and-upload path (the New-invoice page: File.stream →
// encryptFileStream → 1 MiB parts → PUT, then the signed commit) against (a) the same number of
// unencrypted bytes PUT through the same upload API in parts of the same size (no commit), `ratio`,
// and (b) the same parts PUT to a bare Node `http` server started in this process that writes each
// part to its own file and fsyncs it, `ratioToBare`: what the machine's loopback and disk allow.
// All three send PART_UPLOAD_CONCURRENCY parts at a time from the same Chromium.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { AuthPages } from '@/e2e/pages/auth-pages';
import { InvoicePages } from '@/e2e/pages/invoice-pages';
import { ciphertextLengthFor } from '@/lib/crypto/envelope';
import { PART_BYTES, PART_UPLOAD_CONCURRENCY } from '@/lib/shared/upload';
import { launchBrowser, newUserPage } from './lib/browser';
import { machineInfo, mbPerSecond, median, MIB, report, round } from './lib/report';
import { sampleRss } from './lib/rss';
import { startBenchServer } from './lib/server';

const SIZE = Number(process.env.BENCH_MIB ?? 50) * MIB;
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3);
const KIND = (process.env.BENCH_DB ?? 'pglite') as 'pglite' | 'postgres';
const PORT = Number(process.env.BENCH_PORT ?? 3590);

const person = (label: string) => {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return { displayName: `Bench ${label} ${id}`, email: `${label}-${id}@example.test`, orgName: `${label} org ${id}` };
};

interface EncryptedRun {
  totalMs: number;
  partsMs: number;
  commitMs: number;
  medianPartRequestMs: number;
  parts: number;
  serverRssGrowthMiB: number;
}

type FetchLog = { url: string; start: number; end: number }[];

/**
 * Wraps fetch in every page of the context to log upload requests with their timing: Chromium
 * reports these PUTs neither to Playwright's request events nor to Resource Timing.
 */
async function logUploadFetches(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const log: { url: string; start: number; end: number }[] = [];
    const original = window.fetch.bind(window);
    (window as unknown as { uploadFetchLog: typeof log }).uploadFetchLog = log;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      const start = performance.now();
      try {
        return await original(input, init);
      } finally {
        if (url.includes('/api/uploads/')) log.push({ url, start, end: performance.now() });
      }
    };
  });
}

/** Sends one invoice with the document through the UI and times the phases from the fetch log. */
async function sendThroughUi(page: Page, invoices: InvoicePages, customerHandle: string, file: string, serverPid: number, n: number): Promise<EncryptedRun> {
  await invoices.chooseRecipient(customerHandle);
  await invoices.fillInvoice({ number: `BENCH-${n}`, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00' });
  await page.getByLabel('Add documents').setInputFiles(file);
  const rss = sampleRss(serverPid);
  const clickedAt = await page.evaluate(() => {
    (window as unknown as { uploadFetchLog: FetchLog }).uploadFetchLog.length = 0;
    return performance.now();
  });
  const started = Date.now();
  await page.getByRole('button', { name: 'Encrypt and send' }).click();
  await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/, { timeout: 600_000 });
  const totalMs = Date.now() - started;
  const memory = rss.stop();
  const entries = await page.evaluate(() => (window as unknown as { uploadFetchLog: FetchLog }).uploadFetchLog);
  const parts = entries.filter((e) => /\/parts\/\d+$/.test(e.url));
  const commit = entries.find((e) => e.url.endsWith('/commit'));
  return {
    totalMs,
    partsMs: round(Math.max(...parts.map((p) => p.end)) - clickedAt),
    commitMs: commit ? round(commit.end - commit.start) : NaN,
    medianPartRequestMs: round(median(parts.map((p) => p.end - p.start))),
    parts: parts.length,
    serverRssGrowthMiB: round((memory.peak - memory.baseline) / MIB, 1),
  };
}

/**
 * A bare Node `http` server: answers GET / with an empty page (so a page of its own origin can PUT
 * to it without CORS) and stores each PUT body in its own file, written as it arrives and fsynced
 * before the answer, as the blob store does with a part.
 */
async function startBareServer(port: number, dir: string): Promise<Server> {
  let n = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bare</title>');
      return;
    }
    void (async () => {
      const handle = await open(path.join(dir, `bare-${n++}.part`), 'w');
      try {
        for await (const chunk of req) await handle.write(chunk as Buffer);
        await handle.sync();
      } finally {
        await handle.close();
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(port, 'localhost', resolve));
  return server;
}

interface PlainRun {
  ms: number;
  parts: number;
  medianPartRequestMs: number;
}

/**
 * PUTs `size` random bytes in PART_BYTES parts, `concurrency` at a time as the real path does, to
 * `urlFor(index)`; timed in the page. Runs in whatever origin the page is on.
 */
function putParts(page: Page, urls: string[], size: number, concurrency: number): Promise<PlainRun> {
  return page.evaluate(
    async ([urls, bytes, partBytes, concurrency]) => {
      const data = new Uint8Array(partBytes);
      for (let offset = 0; offset < data.length; offset += 65536) crypto.getRandomValues(data.subarray(offset, Math.min(offset + 65536, data.length)));
      const started = performance.now();
      const partMs: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < urls.length) {
            const index = next++;
            const body = data.subarray(0, Math.min(partBytes, bytes - index * partBytes));
            const partStarted = performance.now();
            const response = await fetch(urls[index]!, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
            if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
            await response.arrayBuffer();
            partMs.push(performance.now() - partStarted);
          }
        }),
      );
      const ms = performance.now() - started;
      partMs.sort((a, b) => a - b);
      return { ms, parts: urls.length, medianPartRequestMs: partMs[Math.floor(partMs.length / 2)]! };
    },
    [urls, size, PART_BYTES, concurrency] as const,
  );
}

/** Plain PUTs of `size` bytes through the upload API (an upload opened for them, then abandoned). */
async function uploadPlain(page: Page, customerHandle: string, size: number): Promise<PlainRun> {
  const { invoiceId, fileId } = await page.evaluate(
    async ([handle, bytes]) => {
      const json = async <T,>(response: Response): Promise<T> => {
        if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
        return (await response.json()) as T;
      };
      const keys = await json<{ organizations: { orgId: string }[] }>(await fetch('/api/account/keys'));
      const customer = await json<{ orgId: string }>(await fetch(`/api/orgs/lookup?handle=${encodeURIComponent(handle)}`));
      const fileId = crypto.randomUUID();
      const { invoiceId } = await json<{ invoiceId: string }>(
        await fetch('/api/uploads', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ supplierOrgId: keys.organizations[0]!.orgId, customerOrgId: customer.orgId, files: [{ fileId, ciphertextSize: bytes }] }),
        }),
      );
      return { invoiceId, fileId };
    },
    [customerHandle, size] as const,
  );
  const urls = Array.from({ length: Math.ceil(size / PART_BYTES) }, (_, i) => `/api/uploads/${invoiceId}/files/${fileId}/parts/${i}`);
  const run = await putParts(page, urls, size, PART_UPLOAD_CONCURRENCY);
  await page.evaluate((id) => fetch(`/api/uploads/${id}`, { method: 'DELETE' }).then(() => undefined), invoiceId);
  return run;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const dir = mkdtempSync(path.join(tmpdir(), 'zkinvoice-bench-upload-'));
  const file = path.join(dir, 'bench-50MiB.bin');
  writeFileSync(file, randomBytes(SIZE));
  const server = await startBenchServer(KIND, PORT);
  const bare = await startBareServer(PORT + 1, dir);
  const browser = await launchBrowser();
  try {
    const customer = await newUserPage(browser, server.baseURL);
    await new AuthPages(customer.page).signUp(person('customer'));
    const customerHandle = await new InvoicePages(customer.page).orgHandle();
    const supplier = await newUserPage(browser, server.baseURL);
    await logUploadFetches(supplier.context);
    await new AuthPages(supplier.page).signUp(person('supplier'));
    const invoices = new InvoicePages(supplier.page);
    const bareContext = await browser.newContext();
    await bareContext.addInitScript('globalThis.__name ??= (fn) => fn');
    const barePage = await bareContext.newPage();
    await barePage.goto(`http://localhost:${PORT + 1}/`);
    const bareUrls = Array.from({ length: Math.ceil(SIZE / PART_BYTES) }, (_, i) => `/parts/${i}`);

    const encrypted: EncryptedRun[] = [];
    const plain: PlainRun[] = [];
    const bareRuns: PlainRun[] = [];
    // Interleaved, so a burst of load from elsewhere on the machine hits all three alike.
    for (let i = 0; i < REPETITIONS; i++) {
      encrypted.push(await sendThroughUi(supplier.page, invoices, customerHandle, file, server.pid, i));
      plain.push(await uploadPlain(supplier.page, customerHandle, SIZE));
      bareRuns.push(await putParts(barePage, bareUrls, SIZE, PART_UPLOAD_CONCURRENCY));
    }

    const encryptedMBps = mbPerSecond(SIZE, median(encrypted.map((r) => r.partsMs)));
    const plainMBps = mbPerSecond(SIZE, median(plain.map((r) => r.ms)));
    const bareMBps = mbPerSecond(SIZE, median(bareRuns.map((r) => r.ms)));
    const runsOf = (runs: PlainRun[]) => runs.map((r) => ({ ms: round(r.ms), parts: r.parts, medianPartRequestMs: round(r.medianPartRequestMs) }));
    report('upload', {
      what: '50 MiB document: New-invoice page encrypt-and-upload (click to last part stored; the commit is reported apart) vs plain PUTs of 50 MiB in parts of the same size through the same API (ratio) and vs the same PUTs to a bare Node http server that writes and fsyncs each part (ratioToBare); all from the same Chromium, the same number of parts in flight; MB/s = 10^6 document bytes per second',
      ratio: round(encryptedMBps / plainMBps, 3),
      ratioToBare: round(encryptedMBps / bareMBps, 3),
      documentBytes: SIZE,
      ciphertextBytes: ciphertextLengthFor(SIZE),
      partBytes: PART_BYTES,
      partsInFlight: PART_UPLOAD_CONCURRENCY,
      database: KIND,
      repetitions: REPETITIONS,
      chromium: browser.version(),
      encrypted: {
        medianMBps: encryptedMBps,
        medianPartsMs: round(median(encrypted.map((r) => r.partsMs))),
        medianCommitMs: round(median(encrypted.map((r) => r.commitMs))),
        medianClickToSentMs: round(median(encrypted.map((r) => r.totalMs))),
        medianClickToSentMBps: mbPerSecond(SIZE, median(encrypted.map((r) => r.totalMs))),
        runs: encrypted,
      },
      plain: { medianMBps: plainMBps, medianMs: round(median(plain.map((r) => r.ms))), runs: runsOf(plain) },
      bare: { medianMBps: bareMBps, medianMs: round(median(bareRuns.map((r) => r.ms))), runs: runsOf(bareRuns) },
      plainToBare: round(plainMBps / bareMBps, 3),
      machine,
    });
  } finally {
    await browser.close();
    await new Promise((resolve) => bare.close(resolve));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
