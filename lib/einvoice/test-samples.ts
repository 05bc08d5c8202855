import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The public samples live beside the repository (../shared), as in CI. */
export const SAMPLES = path.resolve('..', 'shared', 'samples', 'einvoice');

export function sampleFiles(): string[] {
  return ['en16931-ubl', 'en16931-cii', 'facturx-pdf'].flatMap((dir) => readdirSync(path.join(SAMPLES, dir)).map((f) => `${dir}/${f}`)).sort();
}

export function sampleBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(SAMPLES, name)));
}

export function sampleText(name: string): string {
  return readFileSync(path.join(SAMPLES, name), 'utf8');
}
