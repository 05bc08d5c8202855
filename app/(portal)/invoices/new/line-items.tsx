'use client';

import { useId } from 'react';
import { computeTotals, lineProblem, VAT_CATEGORIES, type FormLine } from '@/lib/einvoice/form';

export const UNITS: readonly { code: string; label: string }[] = [
  { code: 'C62', label: 'piece' },
  { code: 'HUR', label: 'hour' },
  { code: 'DAY', label: 'day' },
  { code: 'MON', label: 'month' },
  { code: 'KGM', label: 'kg' },
  { code: 'MTR', label: 'metre' },
  { code: 'LTR', label: 'litre' },
  { code: 'LS', label: 'lump sum' },
];

export function emptyLine(): FormLine {
  return { description: '', quantity: '1', unit: 'C62', unitPrice: '', vatCategory: 'S', vatRate: '19' };
}

/**
 * Line items with VAT category and rate; totals are computed with exact decimals and written into
 * the amounts above, and an XRechnung is generated from them when the invoice is sent.
 */
export function LineItems({ lines, onChange, disabled }: { lines: FormLine[]; onChange: (lines: FormLine[]) => void; disabled: boolean }) {
  const id = useId();
  const totals = computeTotals(lines);
  const set = (index: number, patch: Partial<FormLine>) => onChange(lines.map((l, i) => (i === index ? { ...l, ...patch } : l)));
  return (
    <section className="panel stack" aria-labelledby={`${id}-heading`} data-testid="line-items">
      <h2 id={`${id}-heading`}>Line items and VAT</h2>
      {lines.length === 0 ? (
        <p className="muted">Add line items to have the totals computed and an XRechnung e-invoice generated and attached. Without lines, enter the amounts above.</p>
      ) : (
        <table>
          <thead>
            <tr><th scope="col">Description</th><th scope="col">Quantity</th><th scope="col">Unit</th><th scope="col">Unit price</th><th scope="col">VAT</th><th scope="col">Rate %</th><th scope="col" className="num">Net</th><th scope="col"><span className="muted">Remove</span></th></tr>
          </thead>
          <tbody>
            {lines.map((line, i) => {
              const problem = lineProblem(line);
              const n = i + 1;
              return (
                <tr key={i} data-testid="line-item">
                  <td>
                    <input aria-label={`Line ${n} description`} value={line.description} maxLength={200} disabled={disabled} onChange={(e) => set(i, { description: e.target.value })} />
                    {problem && <span className="field-error" role="status">{problem}</span>}
                  </td>
                  <td><input aria-label={`Line ${n} quantity`} inputMode="decimal" value={line.quantity} size={6} disabled={disabled} onChange={(e) => set(i, { quantity: e.target.value })} /></td>
                  <td>
                    <select aria-label={`Line ${n} unit`} value={line.unit} disabled={disabled} onChange={(e) => set(i, { unit: e.target.value })}>
                      {UNITS.map((u) => <option key={u.code} value={u.code}>{u.label}</option>)}
                    </select>
                  </td>
                  <td><input aria-label={`Line ${n} unit price`} inputMode="decimal" value={line.unitPrice} size={8} disabled={disabled} onChange={(e) => set(i, { unitPrice: e.target.value })} /></td>
                  <td>
                    <select aria-label={`Line ${n} VAT category`} value={line.vatCategory} disabled={disabled} onChange={(e) => set(i, { vatCategory: e.target.value, vatRate: e.target.value === 'S' ? line.vatRate || '19' : '0' })}>
                      {VAT_CATEGORIES.map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
                    </select>
                  </td>
                  <td><input aria-label={`Line ${n} VAT rate`} inputMode="decimal" value={line.vatCategory === 'O' ? '' : line.vatRate} size={4} disabled={disabled || line.vatCategory !== 'S'} onChange={(e) => set(i, { vatRate: e.target.value })} /></td>
                  <td className="num">{problem ? '—' : totals.lines[i]?.net}</td>
                  <td><button type="button" className="secondary small" aria-label={`Remove line ${n}`} disabled={disabled} onClick={() => onChange(lines.filter((_, j) => j !== i))}>Remove</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="row">
        <button type="button" className="secondary" disabled={disabled} onClick={() => onChange([...lines, emptyLine()])}>Add line</button>
      </div>
      {lines.length > 0 && (
        <dl data-testid="line-totals">
          {totals.breakdown.map((b) => (
            <div key={`${b.category}-${b.rate}`}>
              <dt>VAT {VAT_CATEGORIES.find((c) => c.code === b.category)?.label ?? b.category}{b.rate !== null ? ` ${b.rate} %` : ''} on {b.taxable}</dt>
              <dd className="num">{b.tax}</dd>
            </div>
          ))}
          <dt>Net</dt><dd className="num">{totals.net}</dd>
          <dt>VAT</dt><dd className="num">{totals.tax}</dd>
          <dt>Gross</dt><dd className="num"><strong>{totals.gross}</strong></dd>
        </dl>
      )}
    </section>
  );
}
