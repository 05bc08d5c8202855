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

export interface MemoryReport {
  baselineMiB: number;
  peakMiB: number;
  growthMiB: number;
  samples: number;
}

/** Samples the server's RSS every `intervalMs` from now until stop(); growth is peak minus the first sample. */
export function watchServerMemory(pid: number, intervalMs = 100): { stop(): MemoryReport } {
  const baseline = rssOf(pid);
  let peak = baseline;
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
    samples++;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssOf(pid));
      const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;
      return { baselineMiB: mib(baseline), peakMiB: mib(peak), growthMiB: mib(peak - baseline), samples: samples + 1 };
    },
  };
}
