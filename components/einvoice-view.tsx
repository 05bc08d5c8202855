'use client';

import type { Address, EInvoice, Finding, Party } from '@/lib/einvoice/model';
import { formatIban } from '@/lib/shared/iban';

const VAT_LABEL: Record<string, string> = { S: 'Standard rate', Z: 'Zero rated', E: 'Exempt', AE: 'Reverse charge', K: 'Intra-community', G: 'Export', O: 'Not subject to VAT', L: 'IGIC', M: 'IPSI' };
const TYPE_LABEL: Record<string, string> = { '380': 'Commercial invoice', '381': 'Credit note', '384': 'Corrected invoice', '389': 'Self-billed invoice', '326': 'Partial invoice', '875': 'Partial construction invoice', '877': 'Final construction invoice' };
const MEANS_LABEL: Record<string, string> = { '30': 'Credit transfer', '58': 'SEPA credit transfer', '59': 'SEPA direct debit', '48': 'Card', '49': 'Direct debit', '57': 'Standing agreement', '10': 'Cash', '1': 'Not defined' };

/** An amount as written in the e-invoice, with its currency; never converted to a float. */
function Amount({ value, currency }: { value: string | null; currency: string | null }) {
  if (value === null) return <span className="muted">—</span>;
  return <span className="num">{value} {currency ?? ''}</span>;
}

function addressLines(a: Address | null): string[] {
  if (!a) return [];
  return [a.line1, a.line2, a.line3, [a.postcode, a.city].filter(Boolean).join(' '), [a.subdivision, a.country].filter(Boolean).join(', ')].filter((l): l is string => Boolean(l));
}

function PartyBlock({ title, party }: { title: string; party: Party }) {
  return (
    <div>
      <h4>{title}</h4>
      <p style={{ whiteSpace: 'pre-line' }}>
        <strong>{party.name ?? '—'}</strong>
        {party.tradingName && party.tradingName !== party.name && <><br />{party.tradingName}</>}
        {addressLines(party.address).map((l) => <span key={l}><br />{l}</span>)}
        {party.vatId && <><br />VAT id {party.vatId}</>}
        {party.taxRegistrationId && <><br />Tax number {party.taxRegistrationId}</>}
        {party.endpoint && <><br />Electronic address {party.endpoint.id}{party.endpoint.scheme ? ` (${party.endpoint.scheme})` : ''}</>}
        {party.contact && <><br />Contact: {[party.contact.name, party.contact.phone, party.contact.email].filter(Boolean).join(', ')}</>}
      </p>
    </div>
  );
}

/** The validation report: rule id, severity and business term for each finding. */
export function ValidationReport({ findings }: { findings: readonly Finding[] }) {
  const fatal = findings.filter((f) => f.severity === 'fatal').length;
  return (
    <div className="stack" data-testid="einvoice-report">
      <p className={`alert ${fatal > 0 ? 'warn' : 'ok'}`} role="status">
        {findings.length === 0
          ? '✓ Passes the EN 16931 business rules checked here.'
          : `${fatal} error${fatal === 1 ? '' : 's'} and ${findings.length - fatal} warning${findings.length - fatal === 1 ? '' : 's'} against the EN 16931 business rules.`}
        {' '}<span className="muted">XML schema (XSD) validation is not performed.</span>
      </p>
      {findings.length > 0 && (
        <table>
          <thead><tr><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Term</th><th scope="col">Finding</th></tr></thead>
          <tbody>
            {findings.map((f, i) => (
              <tr key={`${f.rule}-${i}`} data-rule={f.rule}>
                <td><code>{f.rule}</code></td>
                <td>{f.severity === 'fatal' ? 'error' : 'warning'}</td>
                <td>{f.element ?? '—'}</td>
                <td>{f.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * An e-invoice as a page: parties, lines, VAT breakdown, totals, payment, notes; raw XML one click
 * away. `findings` null leaves the validation report to the caller, who shows it elsewhere.
 */
export function EInvoiceView({ invoice, findings, xml, name }: { invoice: EInvoice; findings: readonly Finding[] | null; xml: string; name: string }) {
  const cur = invoice['BT-5'];
  const t = invoice['BG-22'];
  const payee = invoice['BG-10'];
  return (
    <article className="stack" aria-label={`E-invoice ${name}`} data-testid="einvoice-view">
      <p className="muted">
        {TYPE_LABEL[invoice['BT-3'] ?? ''] ?? `Type ${invoice['BT-3'] ?? '?'}`} <strong>{invoice['BT-1']}</strong> of {invoice['BT-2'] ?? '—'} · {invoice.syntax === 'CII' ? 'UN/CEFACT CII' : 'UBL 2.1'} · profile <code>{invoice['BT-24'] ?? '—'}</code>
      </p>
      <div className="grid">
        <PartyBlock title="Seller" party={invoice['BG-4']} />
        <PartyBlock title="Buyer" party={invoice['BG-7']} />
      </div>
      <dl>
        {invoice['BT-10'] && <><dt>Buyer reference</dt><dd>{invoice['BT-10']}</dd></>}
        {invoice['BT-13'] && <><dt>Order</dt><dd>{invoice['BT-13']}</dd></>}
        {invoice['BT-12'] && <><dt>Contract</dt><dd>{invoice['BT-12']}</dd></>}
        {invoice['BG-14'] && <><dt>Invoicing period</dt><dd>{invoice['BG-14'].start ?? '…'} – {invoice['BG-14'].end ?? '…'}</dd></>}
        {invoice['BG-13']?.['BT-72'] && <><dt>Delivered</dt><dd>{invoice['BG-13']['BT-72']}</dd></>}
        {invoice['BG-3'].length > 0 && <><dt>Refers to invoice</dt><dd>{invoice['BG-3'].map((r) => `${r['BT-25'] ?? '?'}${r['BT-26'] ? ` of ${r['BT-26']}` : ''}`).join(', ')}</dd></>}
      </dl>
      <h4>Lines</h4>
      <table data-testid="einvoice-lines">
        <thead><tr><th scope="col">#</th><th scope="col">Item</th><th scope="col" className="num">Quantity</th><th scope="col" className="num">Unit price</th><th scope="col">VAT</th><th scope="col" className="num">Net</th></tr></thead>
        <tbody>
          {invoice['BG-25'].map((l, i) => (
            <tr key={`${l['BT-126'] ?? ''}-${i}`}>
              <td>{l['BT-126']}</td>
              <td>{l['BT-153']}{l['BT-154'] && <><br /><span className="muted">{l['BT-154']}</span></>}</td>
              <td className="num">{l['BT-129']} {l['BT-130']}</td>
              <td className="num"><Amount value={l['BT-146']} currency={cur} /></td>
              <td>{l['BT-151']}{l['BT-152'] !== null && ` ${l['BT-152']} %`}</td>
              <td className="num"><Amount value={l['BT-131']} currency={cur} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {(invoice['BG-20'].length > 0 || invoice['BG-21'].length > 0) && (
        <ul>
          {[...invoice['BG-20'], ...invoice['BG-21']].map((a, i) => (
            <li key={i}>{a.charge ? 'Charge' : 'Allowance'}: {a.reason ?? a.reasonCode ?? '—'} <Amount value={a.amount} currency={cur} /> ({a.vatCategory} {a.vatRate ?? ''} %)</li>
          ))}
        </ul>
      )}
      <h4>VAT breakdown</h4>
      <table data-testid="einvoice-vat">
        <thead><tr><th scope="col">Category</th><th scope="col" className="num">Rate</th><th scope="col" className="num">Taxable</th><th scope="col" className="num">VAT</th></tr></thead>
        <tbody>
          {invoice['BG-23'].map((v, i) => (
            <tr key={i}>
              <td>{VAT_LABEL[v['BT-118'] ?? ''] ?? v['BT-118']}{(v['BT-120'] || v['BT-121']) && <span className="muted"> — {v['BT-120'] ?? v['BT-121']}</span>}</td>
              <td className="num">{v['BT-119'] !== null ? `${v['BT-119']} %` : '—'}</td>
              <td className="num"><Amount value={v['BT-116']} currency={cur} /></td>
              <td className="num"><Amount value={v['BT-117']} currency={cur} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Totals</h4>
      <dl data-testid="einvoice-totals">
        <dt>Sum of lines</dt><dd><Amount value={t['BT-106']} currency={cur} /></dd>
        {t['BT-107'] && <><dt>Allowances</dt><dd><Amount value={t['BT-107']} currency={cur} /></dd></>}
        {t['BT-108'] && <><dt>Charges</dt><dd><Amount value={t['BT-108']} currency={cur} /></dd></>}
        <dt>Total without VAT</dt><dd><Amount value={t['BT-109']} currency={cur} /></dd>
        <dt>VAT</dt><dd><Amount value={t['BT-110']} currency={cur} /></dd>
        <dt>Total with VAT</dt><dd><Amount value={t['BT-112']} currency={cur} /></dd>
        {t['BT-113'] && <><dt>Already paid</dt><dd><Amount value={t['BT-113']} currency={cur} /></dd></>}
        {t['BT-114'] && <><dt>Rounding</dt><dd><Amount value={t['BT-114']} currency={cur} /></dd></>}
        <dt>Amount due</dt><dd><strong><Amount value={t['BT-115']} currency={cur} /></strong></dd>
      </dl>
      <h4>Payment</h4>
      <dl data-testid="einvoice-payment">
        <dt>Due date</dt><dd>{invoice['BT-9'] ?? <span className="muted">not stated</span>}</dd>
        {invoice['BT-20'] && <><dt>Payment terms</dt><dd style={{ whiteSpace: 'pre-line' }}>{invoice['BT-20']}</dd></>}
        {payee && <><dt>Payee (not the seller)</dt><dd>{payee['BT-59']}</dd></>}
        {invoice['BG-16'].map((m, i) => (
          <div key={i}>
            <dt>Means</dt><dd>{MEANS_LABEL[m['BT-81'] ?? ''] ?? m['BT-81'] ?? '—'}{m['BT-82'] && ` (${m['BT-82']})`}</dd>
            {m['BG-17'].map((a, j) => (
              <div key={j}>
                <dt>Account</dt><dd><span className="fingerprint">{a['BT-84'] ? formatIban(a['BT-84']) : '—'}</span>{a['BT-85'] && ` · ${a['BT-85']}`}{a['BT-86'] && ` · BIC ${a['BT-86']}`}</dd>
              </div>
            ))}
            {m['BT-83'] && <><dt>Reference</dt><dd>{m['BT-83']}</dd></>}
            {m['BG-19'] && <><dt>Direct debit</dt><dd>mandate {m['BG-19']['BT-89'] ?? '—'}, creditor {m['BG-19']['BT-90'] ?? '—'}, account {m['BG-19']['BT-91'] ?? '—'}</dd></>}
          </div>
        ))}
      </dl>
      {invoice['BG-1'].length > 0 && (
        <>
          <h4>Notes</h4>
          {invoice['BG-1'].map((n, i) => <p key={i} style={{ whiteSpace: 'pre-line' }}>{n['BT-22']}</p>)}
        </>
      )}
      {findings && <ValidationReport findings={findings} />}
      <details>
        <summary>Show the raw XML</summary>
        <pre className="xml" aria-label={`XML of ${name}`}>{xml}</pre>
      </details>
    </article>
  );
}
