/**
 * E-invoices from the command line, for ERP integrations and tests (issue #12), with the same
 * module the browser runs:
 *   npx tsx scripts/einvoice.ts read FILE...        one JSON line per file; errors = fatal findings
 *   npx tsx scripts/einvoice.ts validate FILE...    the same with the full report (warnings too)
 *   npx tsx scripts/einvoice.ts generate --syntax cii|ubl FILE.json   EN 16931 XML for a `read` line
 * Exit status: 0 when every file was read (and, for validate, has no fatal finding), 1 otherwise,
 * 2 for a usage error.
 */
import { readFile } from 'node:fs/promises';
import { generateEInvoice } from '../lib/einvoice/generate';
import { readPdfAttachmentsNode } from '../lib/einvoice/pdf-node';
import { readEInvoiceFile } from '../lib/einvoice/read';
import { fatalFindings, validate } from '../lib/einvoice/rules';
import { fromSummary, summarize, type InvoiceSummary } from '../lib/einvoice/summary';

const USAGE = 'usage: einvoice read FILE... | validate FILE... | generate --syntax cii|ubl FILE.json';

const EMPTY: InvoiceSummary = {
  syntax: 'CII', profile: null, typeCode: null, number: null, issueDate: null, dueDate: null, currency: null, buyerReference: null,
  seller: { name: null, vatId: null }, buyer: { name: null, vatId: null },
  payment: { iban: null, bic: null, reference: null, payeeName: null },
  totals: { net: null, tax: null, gross: null, prepaid: null, payable: null },
  lines: [], vatBreakdown: [],
};

async function describe(file: string, full: boolean): Promise<{ line: Record<string, unknown>; ok: boolean; read: boolean }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    const message = `cannot open the file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    return { line: { file, ok: false, ...EMPTY, syntax: null, errors: [{ rule: 'READ', severity: 'fatal', message }] }, ok: false, read: false };
  }
  const result = await readEInvoiceFile(bytes, readPdfAttachmentsNode);
  if (!result.ok) {
    return { line: { file, ok: false, ...EMPTY, syntax: null, errors: [{ rule: 'READ', severity: 'fatal', message: result.error }] }, ok: false, read: false };
  }
  const findings = validate(result.invoice);
  const fatal = fatalFindings(findings);
  const shown = (full ? findings : fatal).map((f) => (full ? { rule: f.rule, severity: f.severity, message: f.message, element: f.element } : { rule: f.rule, severity: f.severity, message: f.message }));
  return { line: { file, ok: fatal.length === 0, ...summarize(result.invoice), errors: shown }, ok: fatal.length === 0, read: true };
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'read' || command === 'validate') {
    if (rest.length === 0) return usage();
    let status = 0;
    for (const file of rest) {
      const { line, ok, read } = await describe(file, command === 'validate');
      process.stdout.write(`${JSON.stringify(line)}\n`);
      if (!read || (command === 'validate' && !ok)) status = 1;
    }
    return status;
  }
  if (command === 'generate') {
    const index = rest.indexOf('--syntax');
    const syntax = index >= 0 ? rest[index + 1]?.toUpperCase() : 'CII';
    const file = rest.filter((_, i) => i !== index && i !== index + 1)[0];
    if ((syntax !== 'CII' && syntax !== 'UBL') || !file) return usage();
    const text = await readFile(file, 'utf8');
    const first = text.split('\n').find((l) => l.trim() !== '');
    if (!first) throw new Error(`${file} holds no JSON`);
    const summary = { ...EMPTY, ...(JSON.parse(first) as Partial<InvoiceSummary>) } as InvoiceSummary;
    process.stdout.write(generateEInvoice(fromSummary(summary), syntax));
    return 0;
  }
  return usage();
}

function usage(): number {
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`einvoice: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
