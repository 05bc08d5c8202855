import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';

export const MIB = 1024 * 1024;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** MB/s in decimal megabytes, as the WebCrypto figures in ENVIRONMENT.md are given. */
export function mbPerSecond(bytes: number, ms: number): number {
  return round(bytes / 1e6 / (ms / 1000));
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The busiest other processes when the bench started: the machine is shared, so say what ran beside it. */
function busiestProcesses(): string[] {
  try {
    const out = execFileSync('ps', ['-eo', 'pcpu,rss,args', '--sort=-pcpu', '--no-headers'], { encoding: 'utf8' });
    return out.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 6).map((l) => l.slice(0, 120));
  } catch {
    return [];
  }
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  loadAverageAtStart: number[];
  busiestProcessesAtStart: string[];
}

export function machineInfo(): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    loadAverageAtStart: loadavg().map((v) => round(v)),
    busiestProcessesAtStart: busiestProcesses(),
  };
}

/** Prints the result as one JSON object on stdout and keeps a copy in bench/results/<name>.json. */
export function report(name: string, result: Record<string, unknown>): void {
  const body = { bench: name, finishedAt: new Date().toISOString(), loadAverageAtEnd: loadavg().map((v) => round(v)), ...result };
  const dir = path.join('bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(body, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(body)}\n`);
}
