// `npm run bench [-- encrypt hpke-open upload inbox load]`: runs the benchmarks one after another (never in
// parallel: the machine has two cores), each printing one JSON object on stdout and keeping it in
// bench/results/<name>.json. Not part of `npm test`; nothing here is asserted.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { requireBuild } from './lib/server';

const ALL = ['encrypt', 'hpke-open', 'upload', 'inbox', 'inbox100k', 'load'];
/** Benches that bundle their code into a bare page and need no app server. */
const PAGE_ONLY = ['encrypt', 'hpke-open'];
/** Benches that are another bench with other settings. */
const VARIANTS: Record<string, { script: string; env: Record<string, string> }> = {
  inbox100k: { script: 'inbox', env: { BENCH_NAME: 'inbox100k', BENCH_INVOICES: '100000', BENCH_REPETITIONS: '3', BENCH_OPS_SAMPLE: '500', BENCH_REUSE_SEED: '1' } },
};
// inbox100k seeds 100,000 invoices through the real crypto (many minutes on two cores): asked for by name
// only, and its seeded database is kept for the next run (BENCH_REUSE_SEED, bench/inbox.ts).
const names = process.argv.slice(2).length ? process.argv.slice(2) : ALL.filter((n) => n !== 'inbox100k');
const unknown = names.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`Unknown bench: ${unknown.join(', ')}. Choose from ${ALL.join(', ')}.`);
  process.exit(2);
}
if (names.some((n) => !PAGE_ONLY.includes(n))) console.error(`Using the production build of ${requireBuild()}.`);
let failed = 0;
for (const name of names) {
  console.error(`▶ bench ${name}`);
  const variant = VARIANTS[name];
  const result = spawnSync(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), path.join('bench', `${variant?.script ?? name}.ts`)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...variant?.env },
  });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
