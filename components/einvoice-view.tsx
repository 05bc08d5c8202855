'use client';

import { useT } from '@/lib/client/i18n';
import type { Address, EInvoice, Finding, Party } from '@/lib/einvoice/model';
import { germanRuleMessage } from '@/lib/einvoice/rule-messages-de';
import type { Translate } from '@/lib/shared/i18n';
import { formatIban } from '@/lib/shared/iban';
import { RichText } from './rich-text';

/** A code list's name for a code (VAT category, document type, payment means), or the code itself. */
function codeName(t: Translate, list: 'vatcat' | 'doctype' | 'means', code: string | null): string | null {
  if (code === null) return null;
  const key = `einv.${list}.${code}`;
  return t.has(key) ? t(key) : null;
}

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
  const t = useT();
  return (
    <div>
      <h4>{title}</h4>
      <p style={{ whiteSpace: 'pre-line' }}>
        <strong>{party.name ?? '—'}</strong>
        {party.tradingName && party.tradingName !== party.name && <><br />{party.tradingName}</>}
        {addressLines(party.address).map((l) => <span key={l}><br />{l}</span>)}
        {party.vatId && <><br />{t('einv.vat_id', { id: party.vatId })}</>}
        {party.taxRegistrationId && <><br />{t('einv.tax_number', { id: party.taxRegistrationId })}</>}
        {party.endpoint && <><br />{t('einv.endpoint', { id: party.endpoint.id })}{party.endpoint.scheme ? ` (${party.endpoint.scheme})` : ''}</>}
        {party.contact && <><br />{t('einv.contact', { details: [party.contact.name, party.contact.phone, party.contact.email].filter(Boolean).join(', ') })}</>}
      </p>
    </div>
  );
}

/** The validation report: rule id, severity and business term for each finding. */
export function ValidationReport({ findings }: { findings: readonly Finding[] }) {
  const t = useT();
  const fatal = findings.filter((f) => f.severity === 'fatal').length;
  // The rules write English (as the CLI prints it); German readers get the German text where there is one.
  const german = t.tag.toLowerCase().startsWith('de');
  return (
    <div className="stack" data-testid="einvoice-report">
      <p className={`alert ${fatal > 0 ? 'warn' : 'ok'}`} role="status">
        {findings.length === 0 ? t('einv.passes') : t('einv.findings', { errors: fatal, warnings: findings.length - fatal })}
        {' '}<span className="muted">{t('einv.no_xsd')}</span>
      </p>
      {findings.length > 0 && (
        <table>
          <thead><tr><th scope="col">{t('einv.col.rule')}</th><th scope="col">{t('einv.col.severity')}</th><th scope="col">{t('einv.col.term')}</th><th scope="col">{t('einv.col.finding')}</th></tr></thead>
          <tbody>
            {findings.map((f, i) => (
              <tr key={`${f.rule}-${i}`} data-rule={f.rule}>
                <td><code>{f.rule}</code></td>
                <td>{t(f.severity === 'fatal' ? 'einv.severity.fatal' : 'einv.severity.warning')}</td>
                <td>{f.element ?? '—'}</td>
                <td>{german ? (germanRuleMessage(f) ?? f.message) : f.message}</td>
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
  const t = useT();
  const cur = invoice['BT-5'];
  const totals = invoice['BG-22'];
  const payee = invoice['BG-10'];
  const docType = codeName(t, 'doctype', invoice['BT-3']) ?? t('einv.type_other', { code: invoice['BT-3'] ?? '?' });
  return (
    <article className="stack" aria-label={t('einv.view_label', { name })} data-testid="einvoice-view">
      <p className="muted">
        <RichText text={t('einv.of', { type: docType, number: invoice['BT-1'] ?? '', date: invoice['BT-2'] ?? '—' })} /> · {invoice.syntax === 'CII' ? 'UN/CEFACT CII' : 'UBL 2.1'} · {t('einv.profile')} <code>{invoice['BT-24'] ?? '—'}</code>
      </p>
      <div className="grid">
        <PartyBlock title={t('einv.seller')} party={invoice['BG-4']} />
        <PartyBlock title={t('einv.buyer')} party={invoice['BG-7']} />
      </div>
      <dl>
        {invoice['BT-10'] && <><dt>{t('einv.buyer_reference')}</dt><dd>{invoice['BT-10']}</dd></>}
        {invoice['BT-13'] && <><dt>{t('einv.order')}</dt><dd>{invoice['BT-13']}</dd></>}
        {invoice['BT-12'] && <><dt>{t('einv.contract')}</dt><dd>{invoice['BT-12']}</dd></>}
        {invoice['BG-14'] && <><dt>{t('einv.period')}</dt><dd>{invoice['BG-14'].start ?? '…'} – {invoice['BG-14'].end ?? '…'}</dd></>}
        {invoice['BG-13']?.['BT-72'] && <><dt>{t('einv.delivered')}</dt><dd>{invoice['BG-13']['BT-72']}</dd></>}
        {invoice['BG-3'].length > 0 && <><dt>{t('einv.refers_to')}</dt><dd>{invoice['BG-3'].map((r) => (r['BT-26'] ? t('einv.refers_of', { number: r['BT-25'] ?? '?', date: r['BT-26'] }) : (r['BT-25'] ?? '?'))).join(', ')}</dd></>}
      </dl>
      <h4>{t('einv.lines')}</h4>
      <table data-testid="einvoice-lines">
        <thead><tr><th scope="col">#</th><th scope="col">{t('einv.col.item')}</th><th scope="col" className="num">{t('einv.col.quantity')}</th><th scope="col" className="num">{t('einv.col.unit_price')}</th><th scope="col">{t('einv.col.vat')}</th><th scope="col" className="num">{t('einv.col.net')}</th></tr></thead>
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
            <li key={i}>{t(a.charge ? 'einv.charge' : 'einv.allowance')}: {a.reason ?? a.reasonCode ?? '—'} <Amount value={a.amount} currency={cur} /> ({a.vatCategory} {a.vatRate ?? ''} %)</li>
          ))}
        </ul>
      )}
      <h4>{t('einv.vat_breakdown')}</h4>
      <table data-testid="einvoice-vat">
        <thead><tr><th scope="col">{t('einv.col.category')}</th><th scope="col" className="num">{t('einv.col.rate')}</th><th scope="col" className="num">{t('einv.col.taxable')}</th><th scope="col" className="num">{t('einv.col.vat')}</th></tr></thead>
        <tbody>
          {invoice['BG-23'].map((v, i) => (
            <tr key={i}>
              <td>{codeName(t, 'vatcat', v['BT-118']) ?? v['BT-118']}{(v['BT-120'] || v['BT-121']) && <span className="muted"> — {v['BT-120'] ?? v['BT-121']}</span>}</td>
              <td className="num">{v['BT-119'] !== null ? `${v['BT-119']} %` : '—'}</td>
              <td className="num"><Amount value={v['BT-116']} currency={cur} /></td>
              <td className="num"><Amount value={v['BT-117']} currency={cur} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{t('einv.totals')}</h4>
      <dl data-testid="einvoice-totals">
        <dt>{t('einv.sum_lines')}</dt><dd><Amount value={totals['BT-106']} currency={cur} /></dd>
        {totals['BT-107'] && <><dt>{t('einv.allowances')}</dt><dd><Amount value={totals['BT-107']} currency={cur} /></dd></>}
        {totals['BT-108'] && <><dt>{t('einv.charges')}</dt><dd><Amount value={totals['BT-108']} currency={cur} /></dd></>}
        <dt>{t('einv.without_vat')}</dt><dd><Amount value={totals['BT-109']} currency={cur} /></dd>
        <dt>{t('einv.vat')}</dt><dd><Amount value={totals['BT-110']} currency={cur} /></dd>
        <dt>{t('einv.with_vat')}</dt><dd><Amount value={totals['BT-112']} currency={cur} /></dd>
        {totals['BT-113'] && <><dt>{t('einv.paid')}</dt><dd><Amount value={totals['BT-113']} currency={cur} /></dd></>}
        {totals['BT-114'] && <><dt>{t('einv.rounding')}</dt><dd><Amount value={totals['BT-114']} currency={cur} /></dd></>}
        <dt>{t('einv.due')}</dt><dd><strong><Amount value={totals['BT-115']} currency={cur} /></strong></dd>
      </dl>
      <h4>{t('einv.payment')}</h4>
      <dl data-testid="einvoice-payment">
        <dt>{t('einv.due_date')}</dt><dd>{invoice['BT-9'] ?? <span className="muted">{t('einv.not_stated')}</span>}</dd>
        {invoice['BT-20'] && <><dt>{t('einv.terms')}</dt><dd style={{ whiteSpace: 'pre-line' }}>{invoice['BT-20']}</dd></>}
        {payee && <><dt>{t('einv.payee')}</dt><dd>{payee['BT-59']}</dd></>}
        {invoice['BG-16'].map((m, i) => (
          <div key={i}>
            <dt>{t('einv.means')}</dt><dd>{codeName(t, 'means', m['BT-81']) ?? m['BT-81'] ?? '—'}{m['BT-82'] && ` (${m['BT-82']})`}</dd>
            {m['BG-17'].map((a, j) => (
              <div key={j}>
                <dt>{t('einv.account')}</dt><dd><span className="fingerprint">{a['BT-84'] ? formatIban(a['BT-84']) : '—'}</span>{a['BT-85'] && ` · ${a['BT-85']}`}{a['BT-86'] && ` · BIC ${a['BT-86']}`}</dd>
              </div>
            ))}
            {m['BT-83'] && <><dt>{t('einv.reference')}</dt><dd>{m['BT-83']}</dd></>}
            {m['BG-19'] && <><dt>{t('einv.direct_debit')}</dt><dd>{t('einv.mandate', { mandate: m['BG-19']['BT-89'] ?? '—', creditor: m['BG-19']['BT-90'] ?? '—', account: m['BG-19']['BT-91'] ?? '—' })}</dd></>}
          </div>
        ))}
      </dl>
      {invoice['BG-1'].length > 0 && (
        <>
          <h4>{t('einv.notes')}</h4>
          {invoice['BG-1'].map((n, i) => <p key={i} style={{ whiteSpace: 'pre-line' }}>{n['BT-22']}</p>)}
        </>
      )}
      {findings && <ValidationReport findings={findings} />}
      <details>
        <summary>{t('einv.raw')}</summary>
        <pre className="xml" aria-label={t('einv.xml_of', { name })}>{xml}</pre>
      </details>
    </article>
  );
}
