import { readFileSync } from 'node:fs';
import type { DbTarget } from './targets';

const MIB = 1024 * 1024;

/** The test server's process id, which scripts/e2e-server.mjs writes once it listens. */
export function serverPid(target: DbTarget): number {
  return Number(readFileSync(target.pidFile, 'utf8').trim());
}

/** Resident set size of a process in bytes, from /proc (Linux, where the suite runs). */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** What the test server reports of its own memory (scripts/e2e-server.mjs), in bytes. */
interface Breakdown {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** PGlite's WebAssembly memory; 0 on PostgreSQL. */
  wasm: number;
}
const FIELDS = ['heapUsed', 'external', 'arrayBuffers', 'wasm'] as const;

function breakdownOf(target: DbTarget): Breakdown | null {
  try {
    return JSON.parse(readFileSync(`${target.pidFile}.memory.json`, 'utf8')) as Breakdown;
  } catch {
    return null; // between a rewrite's truncation and its write, or before the first one
  }
}

export interface MemoryReport {
  baselineMiB: number;
  peakMiB: number;
  growthMiB: number;
  samples: number;
  /** Peak minus first sample of each part of the server's own account, in MiB. */
  growthByKindMiB: Record<(typeof FIELDS)[number], number>;
}

/** Samples the server's RSS every `intervalMs` from now until stop(); growth is peak minus the first sample. */
export function watchServerMemory(target: DbTarget, intervalMs = 100): { stop(): MemoryReport } {
  const pid = serverPid(target);
  const baseline = rssOf(pid);
  let peak = baseline;
  let samples = 1;
  const first = breakdownOf(target);
  const peaks: Breakdown = { heapUsed: 0, external: 0, arrayBuffers: 0, wasm: 0, ...first };
  const sample = () => {
    peak = Math.max(peak, rssOf(pid));
    const now = breakdownOf(target);
    if (now) for (const field of FIELDS) peaks[field] = Math.max(peaks[field], now[field]);
    samples++;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;
      const growthByKindMiB = Object.fromEntries(FIELDS.map((f) => [f, first ? mib(peaks[f] - first[f]) : NaN])) as MemoryReport['growthByKindMiB'];
      return { baselineMiB: mib(baseline), peakMiB: mib(peak), growthMiB: mib(peak - baseline), samples, growthByKindMiB };
    },
  };
}
