import { describe, expect, it } from 'vitest';
import { toUnits } from '@/lib/shared/decimal';
import type { ListedInvoice } from './open-invoice';
import { sortRows, type Box, type SortKey } from './list-order';

// The list's order as it was defined before sortRows (one comparison a pair, values read at each):
// sortRows must give exactly this order, ties included.
function reference(a: ListedInvoice, b: ListedInvoice, key: SortKey, box: Box): number {
  const party = (r: ListedInvoice) => (box === 'inbox' ? r.supplier : r.customer)?.name ?? '';
  const ha = a.header;
  const hb = b.header;
  const units = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  switch (key) {
    case 'number': return new Intl.Collator(undefined, { numeric: true }).compare(ha?.number ?? '', hb?.number ?? '');
    case 'party': return new Intl.Collator().compare(party(a), party(b));
    case 'issueDate': return units(ha?.issueDate ?? '', hb?.issueDate ?? '');
    case 'dueDate': return units(ha?.dueDate ?? '', hb?.dueDate ?? '');
    case 'amount': {
      const x = ha ? toUnits(ha.amounts.payable) : -1n;
      const y = hb ? toUnits(hb.amounts.payable) : -1n;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'status': return new Intl.Collator().compare(a.invoice.status, b.invoice.status);
  }
}

function randomRows(n: number, seed: number): ListedInvoice[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const orgs = [undefined, { name: 'Ärzte AG' }, { name: 'arzte ag' }, { name: 'Zeta' }, { name: '' }, { name: 'Müller & Co' }];
  return Array.from({ length: n }, (_, i) => ({
    invoice: { id: `id-${i}`, status: pick(['issued', 'viewed', 'paid', 'disputed', 'cancelled']) },
    supplier: pick(orgs),
    customer: pick(orgs),
    header: next() < 0.1 ? null : {
      number: pick(['INV-9', 'INV-10', 'inv-10', 'INV-100', 'A-1', '', 'INV-09']),
      issueDate: pick(['2025-01-02', '2024-12-31', '2025-01-02', '']),
      dueDate: pick(['2025-02-01', '', '2025-01-15']),
      amounts: { payable: pick(['100.00', '100', '99.995', '-5.00', '0.00', '1000000.5', '100.0001']) },
    },
  })) as unknown as ListedInvoice[];
}

describe('sortRows', () => {
  it.each(['number', 'party', 'issueDate', 'dueDate', 'amount', 'status'] as const)('orders by %s as the list always has, both ways, ties in the order given', (key) => {
    for (const [box, seed] of [['inbox', 1], ['sent', 2], ['inbox', 3]] as const) {
      const rows = randomRows(800, seed);
      for (const dir of [1, -1] as const) {
        const expected = [...rows].sort((a, b) => reference(a, b, key, box) * dir).map((r) => r.invoice.id);
        expect(sortRows(rows, { key, dir }, box).map((r) => r.invoice.id)).toEqual(expected);
      }
    }
  });

  it('leaves the rows it was given as they were', () => {
    const rows = randomRows(50, 4);
    const before = rows.map((r) => r.invoice.id);
    sortRows(rows, { key: 'amount', dir: -1 }, 'inbox');
    expect(rows.map((r) => r.invoice.id)).toEqual(before);
  });
});
