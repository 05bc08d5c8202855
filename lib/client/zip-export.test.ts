import { describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '@/lib/shared/schemas/invoice';
import { safeSegment, zipEntries } from './zip-export';

const doc = (name: string): InvoiceDocument => ({ fileId: crypto.randomUUID(), name, mediaType: 'application/pdf', size: 1, role: 'attachment' });
const invoice = (number: string, ...names: string[]) => ({ invoiceId: crypto.randomUUID(), number, dek: new Uint8Array(32), documents: names.map(doc) });

describe('safeSegment', () => {
  it('keeps names inside their folder and acceptable to every file system', () => {
    expect(safeSegment('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(safeSegment('..', 'x')).toBe('x');
    expect(safeSegment('INV/2026\\01:a*b?"<>|', 'x')).toBe('INV_2026_01_a_b_____');
    expect(safeSegment('tab\there\u0000', 'x')).toBe('tab_here_');
    expect(safeSegment('  Rechnung Nr. 5.pdf  ', 'x')).toBe('Rechnung Nr. 5.pdf');
  });
});

describe('zipEntries', () => {
  it('makes a folder per invoice number and keeps clashing names apart', () => {
    const paths = zipEntries([invoice('INV-1', 'a.pdf', 'A.pdf', 'b.xml'), invoice('INV-1', 'a.pdf'), invoice('INV/2', 'c')]).map((e) => e.path);
    expect(paths).toEqual(['INV-1/a.pdf', 'INV-1/A (2).pdf', 'INV-1/b.xml', 'INV-1 (2)/a.pdf', 'INV_2/c']);
  });
});
