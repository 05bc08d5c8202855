import type { EInvoiceReading } from '@/lib/client/einvoice';
import { buyerIdentifiers } from '@/lib/einvoice/buyer';
import type { EInvoice } from '@/lib/einvoice/model';
import { fatalFindings } from '@/lib/einvoice/rules';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { headerFromEInvoice } from '@/lib/einvoice/header';

/** Where one dropped file stands, from reading to sent. */
export type ItemState =
  | { kind: 'reading' }
  | { kind: 'unreadable'; code: Extract<EInvoiceReading, { ok: false }>['code'] }
  | { kind: 'invalid'; rules: string[] }
  | { kind: 'unsendable'; issues: string[] }
  | { kind: 'ready' }
  | { kind: 'checking' }
  | { kind: 'sending'; percent: number }
  | { kind: 'sent'; invoiceId: string }
  | { kind: 'skipped'; invoiceId: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'stopped' };

/** How the buyer of a file is recognised: by its identifiers, or (without any) by its name for this list only. */
export interface Buyer {
  key: string;
  name: string;
  ids: string[];
}

export interface BulkItem {
  key: string;
  file: File;
  state: ItemState;
  invoice?: EInvoice;
  header?: Omit<InvoiceHeader, 'documents'>;
  buyer?: Buyer;
}

/** States from which "send" picks an item up (again). */
export const SENDABLE: ReadonlySet<ItemState['kind']> = new Set(['ready', 'failed', 'stopped']);

export function buyerOf(inv: EInvoice): Buyer {
  const ids = buyerIdentifiers(inv);
  const name = inv['BG-7'].name?.trim() ?? '';
  return { key: ids.length ? ids.join(' ') : `name:${name.toLocaleLowerCase('en')}`, name, ids };
}

/** A reading made into a queue entry: refused with its reason, or ready with the header it will be signed with. */
export function itemFromReading(item: BulkItem, reading: EInvoiceReading, dueDateFor: (issueDate: string) => string): BulkItem {
  if (!reading.ok) return { ...item, state: { kind: 'unreadable', code: reading.code } };
  const fatal = fatalFindings(reading.findings);
  const buyer = buyerOf(reading.invoice);
  if (fatal.length > 0) return { ...item, invoice: reading.invoice, buyer, state: { kind: 'invalid', rules: [...new Set(fatal.map((f) => f.rule))] } };
  const made = headerFromEInvoice(reading.invoice, dueDateFor);
  if (!made.ok) return { ...item, invoice: reading.invoice, buyer, state: { kind: 'unsendable', issues: made.issues } };
  return { ...item, invoice: reading.invoice, buyer, header: made.header, state: { kind: 'ready' } };
}

/** The same file dropped twice is one entry. */
export function fileKey(file: File): string {
  return `${file.name}|${file.size}|${file.lastModified}`;
}

export function isPdf(file: File): boolean {
  return file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
}
