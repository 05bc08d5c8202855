import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../lib/einvoice/test-samples';

const run = promisify(execFile);
const CLI = ['node_modules/tsx/dist/cli.mjs', 'scripts/einvoice.ts'];

async function cli(...args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [...CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { stdout, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    return { stdout: failed.stdout, code: failed.code };
  }
}

describe('scripts/einvoice.ts', { timeout: 120_000 }, () => {
  it('read prints one JSON line per file in the documented shape; read → generate → read gives the same values', async () => {
    const pdf = path.join(SAMPLES, 'facturx-pdf/EN16931_AbweichenderZahlungsempf.pdf');
    const ubl = path.join(SAMPLES, 'en16931-ubl/ubl-tc434-example2.xml');
    const { stdout, code } = await cli('read', pdf, ubl);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]!)).toEqual(['file', 'ok', 'syntax', 'profile', 'typeCode', 'number', 'issueDate', 'dueDate', 'currency', 'buyerReference', 'seller', 'buyer', 'payment', 'totals', 'lines', 'vatBreakdown', 'errors']);
    expect(lines[0]).toMatchObject({ ok: true, syntax: 'CII', number: '471102', payment: { iban: 'DE12123456781234567890', payeeName: 'Factoring GmbH' }, totals: { payable: '529.87' }, errors: [] });

    const dir = await mkdtemp(path.join(tmpdir(), 'einvoice-'));
    for (const [index, line] of lines.entries()) {
      for (const syntax of ['cii', 'ubl']) {
        const json = path.join(dir, `${index}.json`);
        await writeFile(json, JSON.stringify(line));
        const generated = await cli('generate', '--syntax', syntax, json);
        expect(generated.code).toBe(0);
        const xml = path.join(dir, `${index}.${syntax}.xml`);
        await writeFile(xml, generated.stdout);
        const again = JSON.parse((await cli('read', xml)).stdout) as Record<string, unknown>;
        const strip = ({ file: _f, ok: _o, syntax: _s, errors: _e, ...rest }: Record<string, unknown>) => rest;
        expect(strip(again)).toEqual(strip(line));
      }
    }
  });

  it('validate reports warnings too and fails on fatal findings; unreadable files are a READ error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'einvoice-'));
    const bad = path.join(dir, 'bad.xml');
    await writeFile(bad, '<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>');
    const { stdout, code } = await cli('validate', bad);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, errors: [{ rule: 'READ', severity: 'fatal', message: expect.stringMatching(/ZUGFeRD 1\.0/) }] });
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
