import { fromUnits, toUnits } from '@/lib/shared/decimal';
import type { InvoiceHeader, InvoiceStatus } from '@/lib/shared/schemas/invoice';

/** What the list and the summaries need of an opened invoice: server metadata and the decrypted header. */
export interface SummaryRow {
  status: InvoiceStatus;
  /** When the server last recorded a status change (metadata, ISO 8601). */
  updatedAt: string;
  header: Pick<InvoiceHeader, 'type' | 'currency' | 'dueDate'> & { amounts: Pick<InvoiceHeader['amounts'], 'payable'> } | null;
}

/** Statuses after which nothing is owed any more. */
const SETTLED: ReadonlySet<InvoiceStatus> = new Set(['paid', 'cancelled', 'credited']);

/** The calendar date in the browser's time zone, as YYYY-MM-DD (the form of the header's dates). */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Overdue (DESIGN §8) is computed here, from the decrypted due date the server never sees: an
 * invoice still open the day after its due date. A credit note is never overdue: the customer owes
 * nothing on it.
 */
export function isOverdue(row: SummaryRow, today: string): boolean {
  return !!row.header && row.header.type === 'invoice' && !SETTLED.has(row.status) && row.header.dueDate < today;
}

export interface Total {
  /** Exact decimal string (lib/shared/decimal.ts), never a float. */
  amount: string;
  count: number;
}

export interface CurrencySummary {
  currency: string;
  /** Inbox: due; sent: outstanding. Every invoice not yet paid, cancelled or credited. */
  open: Total;
  overdue: Total;
  /** Inbox: paid this month; sent: paid in all. */
  paid: Total;
}

/**
 * Totals per currency (amounts in different currencies are never added together).
 *
 * Until payment events carry the amounts paid, "paid" is the payable amount of invoices whose
 * status is `paid`, dated by the invoice's last status change; a partially paid invoice counts as
 * open for its whole payable amount. Credit notes and invoices that failed verification are left
 * out: the first are not payable by the customer, the second are not to be trusted.
 */
export function summarizeInvoices(rows: readonly SummaryRow[], box: 'inbox' | 'sent', now: Date): CurrencySummary[] {
  const today = localDate(now);
  // This month in local time, as instants: comparing one parsed time per paid invoice instead of
  // making a Date and its local date string (a tenth of a second at 100,000 invoices).
  const monthStart = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  const nextMonthStart = new Date(now.getFullYear(), now.getMonth() + 1, 1).getTime();
  const sums = new Map<string, { open: [bigint, number]; overdue: [bigint, number]; paid: [bigint, number] }>();
  const add = (total: [bigint, number], units: bigint) => {
    total[0] += units;
    total[1] += 1;
  };
  for (const row of rows) {
    if (!row.header || row.header.type !== 'invoice') continue;
    const { currency } = row.header;
    const units = toUnits(row.header.amounts.payable);
    let sum = sums.get(currency);
    if (!sum) sums.set(currency, (sum = { open: [0n, 0], overdue: [0n, 0], paid: [0n, 0] }));
    if (row.status === 'paid') {
      if (box === 'sent') add(sum.paid, units);
      else {
        const changed = Date.parse(row.updatedAt);
        if (changed >= monthStart && changed < nextMonthStart) add(sum.paid, units);
      }
    } else if (!SETTLED.has(row.status)) {
      add(sum.open, units);
      if (isOverdue(row, today)) add(sum.overdue, units);
    }
  }
  const total = ([units, count]: [bigint, number]): Total => ({ amount: fromUnits(units), count });
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, s]) => ({ currency, open: total(s.open), overdue: total(s.overdue), paid: total(s.paid) }));
}
