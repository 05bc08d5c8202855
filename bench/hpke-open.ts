// The HPKE grant open (#13): openWithPrivateKey, our RFC 9180 open, against @hpke/core's open of
// the same boxes, in one headless Chromium page. Like bench/encrypt.ts it needs no app server.
import { benchEntryPage, launchBrowser } from './lib/browser';
import { machineInfo, median, report, round } from './lib/report';
import type { HpkeOpenRun } from './browser/hpke-open-entry';

const OPENS = Number(process.env.BENCH_OPENS ?? 2000);
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 5);
const ORIGIN = 'http://localhost:3598';
const KINDS = ['core', 'ours'] as const;
/** One open at a time, and batches of 64 as openInvoiceList opens an inbox. */
const IN_FLIGHT = [1, 64] as const;

type Kind = (typeof KINDS)[number];
type Bench = { setup(count: number): Promise<void>; run(kind: Kind, inFlight: number): Promise<HpkeOpenRun> };

async function main(): Promise<void> {
  const machine = machineInfo();
  const browser = await launchBrowser();
  const page = await benchEntryPage(browser, 'bench/browser/hpke-open-entry.ts', ORIGIN, 'zkBench');
  const chromiumVersion = browser.version();
  await page.evaluate((n) => (globalThis as unknown as { zkBench: Bench }).zkBench.setup(n), OPENS);
  const run = (kind: Kind, inFlight: number) =>
    page.evaluate(([k, n]) => (globalThis as unknown as { zkBench: Bench }).zkBench.run(k, n), [kind, inFlight] as const);

  // One untimed block each warms the JIT and WebCrypto; then the kinds alternate block by block,
  // so a burst of load from other processes hits them alike.
  for (const kind of KINDS) for (const n of IN_FLIGHT) await run(kind, n);
  const runs: Record<string, number[]> = {};
  for (let i = 0; i < REPETITIONS; i++) {
    for (const n of IN_FLIGHT) {
      for (const kind of KINDS) {
        const { ms, opens } = await run(kind, n);
        (runs[`${kind}InFlight${n}`] ??= []).push(round((ms * 1000) / opens, 1));
      }
    }
  }
  await browser.close();

  const medians = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, median(list)]));
  report('hpke-open', {
    what: `µs per HPKE grant open (32-byte DEK), ${OPENS} opens per block, one at a time (InFlight1) and in batches of 64 (InFlight64); core = @hpke/core's open, ours = openWithPrivateKey`,
    opensPerBlock: OPENS,
    repetitions: REPETITIONS,
    chromium: chromiumVersion,
    medianUs: medians,
    runsUs: runs,
    speedupInFlight1: round(medians.coreInFlight1! / medians.oursInFlight1!, 2),
    speedupInFlight64: round(medians.coreInFlight64! / medians.oursInFlight64!, 2),
    machine,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
