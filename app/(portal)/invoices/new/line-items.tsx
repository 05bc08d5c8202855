'use client';

import { Fragment, useId } from 'react';
import { useT } from '@/lib/client/i18n';
import { decimalSeparator } from '@/lib/shared/i18n/parse';
import { computeTotals, lineProblem, VAT_CATEGORIES, type FormLine } from '@/lib/einvoice/form';

/** UN/ECE Recommendation 20 unit codes offered for a line; their names are in the catalog (unit.*). */
export const UNITS = ['C62', 'HUR', 'DAY', 'MON', 'KGM', 'MTR', 'LTR', 'LS'] as const;

export function emptyLine(): FormLine {
  return { description: '', quantity: '1', unit: 'C62', unitPrice: '', vatCategory: 'S', vatRate: '19' };
}

/**
 * Line items with VAT category and rate; totals are computed with exact decimals and written into
 * the amounts above, and an XRechnung is generated from them when the invoice is sent.
 */
export function LineItems({ lines, onChange, disabled }: { lines: FormLine[]; onChange: (lines: FormLine[]) => void; disabled: boolean }) {
  const id = useId();
  const t = useT();
  const vatLabel = (code: string) => {
    const key = `vat.${code}`;
    return t.has(key) ? t(key) : code;
  };
  const totals = computeTotals(lines);
  // Exact decimal strings, written with the locale's decimal sign ("19,00" in German).
  const decimal = (value: string) => value.replace('.', decimalSeparator(t.tag));
  const set = (index: number, patch: Partial<FormLine>) => onChange(lines.map((l, i) => (i === index ? { ...l, ...patch } : l)));
  return (
    <section className="panel stack" aria-labelledby={`${id}-heading`} data-testid="line-items">
      <h2 id={`${id}-heading`}>{t('lines.heading')}</h2>
      {lines.length === 0 ? (
        <p className="muted">{t('lines.empty')}</p>
      ) : (
        <table className="cards line-items">
          <thead>
            <tr><th scope="col">{t('lines.description')}</th><th scope="col">{t('lines.quantity')}</th><th scope="col">{t('lines.unit')}</th><th scope="col">{t('lines.unit_price')}</th><th scope="col">{t('lines.vat')}</th><th scope="col">{t('lines.rate')}</th><th scope="col" className="num">{t('lines.net')}</th><th scope="col"><span className="visually-hidden">{t('lines.remove')}</span></th></tr>
          </thead>
          <tbody>
            {lines.map((line, i) => {
              const problem = lineProblem(line);
              const n = i + 1;
              return (
                <tr key={i} data-testid="line-item">
                  <td data-label={t('lines.description')} className="line-description">
                    <input aria-label={t('lines.line_description', { n })} value={line.description} maxLength={200} disabled={disabled} onChange={(e) => set(i, { description: e.target.value })} />
                    {problem && <span className="field-error" role="status">{t(problem.key, problem.params)}</span>}
                  </td>
                  <td data-label={t('lines.quantity')}><input aria-label={t('lines.line_quantity', { n })} inputMode="decimal" value={line.quantity} size={6} disabled={disabled} onChange={(e) => set(i, { quantity: e.target.value })} /></td>
                  <td data-label={t('lines.unit')}>
                    <select className="unit" aria-label={t('lines.line_unit', { n })} value={line.unit} disabled={disabled} onChange={(e) => set(i, { unit: e.target.value })}>
                      {UNITS.map((code) => <option key={code} value={code}>{t(`unit.${code}`)}</option>)}
                    </select>
                  </td>
                  <td data-label={t('lines.unit_price')}><input aria-label={t('lines.line_unit_price', { n })} inputMode="decimal" value={line.unitPrice} size={8} disabled={disabled} onChange={(e) => set(i, { unitPrice: e.target.value })} /></td>
                  <td data-label={t('lines.vat')}>
                    <select className="vat-category" aria-label={t('lines.line_vat_category', { n })} value={line.vatCategory} disabled={disabled} onChange={(e) => set(i, { vatCategory: e.target.value, vatRate: e.target.value === 'S' ? line.vatRate || '19' : '0' })}>
                      {VAT_CATEGORIES.map((c) => <option key={c.code} value={c.code}>{vatLabel(c.code)}</option>)}
                    </select>
                  </td>
                  <td data-label={t('lines.rate')}><input aria-label={t('lines.line_vat_rate', { n })} inputMode="decimal" value={line.vatCategory === 'O' ? '' : line.vatRate} size={4} disabled={disabled || line.vatCategory !== 'S'} onChange={(e) => set(i, { vatRate: e.target.value })} /></td>
                  <td className="num" data-label={t('lines.net')}>{problem || !totals.lines[i] ? '—' : decimal(totals.lines[i].net)}</td>
                  <td><button type="button" className="secondary small" aria-label={t('lines.remove_line', { n })} disabled={disabled} onClick={() => onChange(lines.filter((_, j) => j !== i))}><span aria-hidden="true">✕</span></button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="row">
        <button type="button" className="secondary" disabled={disabled} onClick={() => onChange([...lines, emptyLine()])}>{t('lines.add')}</button>
      </div>
      {lines.length > 0 && (
        <dl data-testid="line-totals">
          {totals.breakdown.map((b) => (
            <Fragment key={`${b.category}-${b.rate}`}>
              <dt>{t('lines.breakdown', { category: vatLabel(b.category), rate: b.rate !== null ? ` ${decimal(b.rate)} %` : '', taxable: decimal(b.taxable) })}</dt>
              <dd className="num">{decimal(b.tax)}</dd>
            </Fragment>
          ))}
          <dt>{t('lines.total_net')}</dt><dd className="num">{decimal(totals.net)}</dd>
          <dt>{t('lines.total_vat')}</dt><dd className="num">{decimal(totals.tax)}</dd>
          <dt>{t('lines.total_gross')}</dt><dd className="num"><strong>{decimal(totals.gross)}</strong></dd>
        </dl>
      )}
    </section>
  );
}
