import { fromUnits, toUnits } from '@/lib/shared/decimal';
import type { InvoiceHeader, InvoiceStatus } from '@/lib/shared/schemas/invoice';
import { isOverdue, localDate, type Total } from './summary';

/** What the home page needs of an opened, verified invoice: server metadata and a few decrypted fields. */
export interface DashboardRow {
  id: string;
  status: InvoiceStatus;
  updatedAt: string;
  /** The other party's name. */
  party: string;
  header: Pick<InvoiceHeader, 'type' | 'number' | 'currency' | 'dueDate'> & { amounts: Pick<InvoiceHeader['amounts'], 'payable'> };
}

export interface MoneyFigures {
  currency: string;
  /** Everything not yet paid, cancelled or credited (received: nor announced as paid). */
  open: Total;
  overdue: Total;
  /** Open, not overdue, and due within the next seven days (today included). */
  dueSoon: Total;
}

/** How far ahead "due this week" looks. */
const SOON_DAYS = 7;
/**
 * What still counts as open, by side. A received invoice whose payment the customer announced is no
 * longer to pay (it waits for the supplier); for the supplier it is still to receive until confirmed.
 * A partially paid invoice counts with its whole payable amount: what remains is known only from
 * its history, which the invoice page replays.
 */
const OPEN: Record<'inbox' | 'sent', ReadonlySet<InvoiceStatus>> = {
  inbox: new Set(['issued', 'viewed', 'partially_paid', 'disputed']),
  sent: new Set(['issued', 'viewed', 'payment_announced', 'partially_paid', 'disputed']),
};

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Open, overdue and due-soon amounts per currency (never added across currencies), exact. */
export function moneyFigures(rows: readonly DashboardRow[], box: 'inbox' | 'sent', now: Date): MoneyFigures[] {
  const today = localDate(now);
  const horizon = addDays(today, SOON_DAYS - 1);
  const sums = new Map<string, Record<'open' | 'overdue' | 'dueSoon', [bigint, number]>>();
  for (const row of rows) {
    if (row.header.type !== 'invoice' || !OPEN[box].has(row.status)) continue;
    let sum = sums.get(row.header.currency);
    if (!sum) sums.set(row.header.currency, (sum = { open: [0n, 0], overdue: [0n, 0], dueSoon: [0n, 0] }));
    const units = toUnits(row.header.amounts.payable);
    const add = (total: [bigint, number]) => {
      total[0] += units;
      total[1] += 1;
    };
    add(sum.open);
    if (isOverdue({ status: row.status, updatedAt: row.updatedAt, header: row.header }, today)) add(sum.overdue);
    else if (row.header.dueDate <= horizon) add(sum.dueSoon);
  }
  const total = ([units, count]: [bigint, number]): Total => ({ amount: fromUnits(units), count });
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, s]) => ({ currency, open: total(s.open), overdue: total(s.overdue), dueSoon: total(s.dueSoon) }));
}

/** What the user has to do next on an invoice, by side and status. */
export type ActionKind = 'pay' | 'confirm' | 'dispute';

export interface ActionItem {
  kind: ActionKind;
  row: DashboardRow;
  overdue: boolean;
}

/**
 * The invoices waiting for this organization: received ones still to pay (not yet announced), sent
 * ones whose payment was announced and waits for confirmation, and sent ones the customer disputed.
 * Overdue first, then by due date.
 */
export function actionItems(received: readonly DashboardRow[], sent: readonly DashboardRow[], now: Date): ActionItem[] {
  const today = localDate(now);
  const items: ActionItem[] = [];
  const overdue = (row: DashboardRow) => isOverdue({ status: row.status, updatedAt: row.updatedAt, header: row.header }, today);
  for (const row of received) {
    if (row.header.type === 'invoice' && (row.status === 'issued' || row.status === 'viewed')) items.push({ kind: 'pay', row, overdue: overdue(row) });
  }
  for (const row of sent) {
    if (row.status === 'payment_announced' || row.status === 'partially_paid') items.push({ kind: 'confirm', row, overdue: false });
    else if (row.status === 'disputed') items.push({ kind: 'dispute', row, overdue: false });
  }
  return items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.row.header.dueDate.localeCompare(b.row.header.dueDate));
}

/** Received invoices nobody in the organization has opened yet (the server records the first view). */
export function unopened(received: readonly DashboardRow[]): DashboardRow[] {
  return received.filter((row) => row.status === 'issued').sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
