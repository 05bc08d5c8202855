'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { ErrorAlert } from '@/components/form-field';
import type { UnlockedOrg } from '@/lib/client/account';
import { actionItems, moneyFigures, unopened, type ActionItem, type DashboardRow, type MoneyFigures } from '@/lib/client/dashboard';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import type { ListedInvoice } from '@/lib/client/open-invoice';
import { useInvoiceList } from '@/lib/client/use-invoice-list';
import styles from './dashboard.module.css';

const READ_ONLY = { pinFirstContacts: false };

/** How many waiting invoices the home page lists before pointing to the lists. */
const SHOWN = 8;

/** Verified invoices only: what failed a check is shown in the lists, with its warning, not summed here. */
function dashboardRows(rows: readonly ListedInvoice[], box: 'inbox' | 'sent', unknown: string): DashboardRow[] {
  return rows.flatMap((r) => {
    if (!r.header || r.problems.length > 0) return [];
    const party = (box === 'inbox' ? r.supplier : r.customer)?.name ?? unknown;
    return [{ id: r.invoice.id, status: r.invoice.status, updatedAt: r.invoice.updatedAt, party, header: r.header }];
  });
}

/**
 * The home page of an unlocked organization: what is open, overdue and due this week on both sides
 * first, then what waits for the user, what nobody opened yet, and the organization's handle.
 */
export function Dashboard({ org, visit }: { org: UnlockedOrg; visit: number }) {
  const t = useT();
  const describeError = useDescribeError();
  // The lists' pipeline (the org's list index, the compact list), reading only: first contacts are
  // pinned where their invoices are shown, in the lists and on the invoice page. Leaving the page
  // stops it; rows that fail a check are left out here and shown with their warning in the lists.
  const inbox = useInvoiceList(org, 'inbox', visit, READ_ONLY);
  const sent = useInvoiceList(org, 'sent', visit, READ_ONLY);
  const failed = inbox.error ?? sent.error;
  const error = failed ? describeError(failed) : null;
  // What was shown stays while a new visit (each server render of the page) loads the lists again.
  const [shown, setShown] = useState<{ org: UnlockedOrg; inbox: ListedInvoice[]; sent: ListedInvoice[] } | null>(null);
  if (inbox.rows && sent.rows && (shown?.org !== org || shown.inbox !== inbox.rows || shown.sent !== sent.rows)) setShown({ org, inbox: inbox.rows, sent: sent.rows });
  const current = shown?.org === org ? shown : null;
  const loaded = useMemo(
    () => (current ? { received: dashboardRows(current.inbox, 'inbox', t('list.unknown_org')), sent: dashboardRows(current.sent, 'sent', t('list.unknown_org')) } : null),
    [current, t],
  );
  const empty = current?.inbox.length === 0 && current.sent.length === 0;

  return (
    <>
      {error && <ErrorAlert message={t('home.load_failed', { error })} />}
      {!error && !loaded && <p className="status" role="status">{t('home.loading')}</p>}
      {empty && <GettingStarted org={org} />}
      {loaded && !empty && <Overview received={loaded.received} sent={loaded.sent} />}
      <OrgPanel org={org} />
    </>
  );
}

function Overview({ received, sent }: { received: DashboardRow[]; sent: DashboardRow[] }) {
  const t = useT();
  const now = useMemo(() => new Date(), []);
  const toPay = useMemo(() => moneyFigures(received, 'inbox', now), [received, now]);
  const toReceive = useMemo(() => moneyFigures(sent, 'sent', now), [sent, now]);
  const actions = useMemo(() => actionItems(received, sent, now), [received, sent, now]);
  const fresh = useMemo(() => unopened(received), [received]);
  return (
    <>
      <div className={styles.money}>
        <MoneyCard title={t('home.to_pay')} figures={toPay} href="/inbox" linkText={t('home.open_inbox')} testId="to-pay" />
        <MoneyCard title={t('home.to_receive')} figures={toReceive} href="/sent" linkText={t('home.open_sent')} testId="to-receive" />
      </div>
      <section className="panel" aria-labelledby="actions-title" data-testid="waiting">
        <h2 id="actions-title">{t('home.actions_title')}</h2>
        {actions.length === 0 ? (
          <p className="muted">{t('home.actions_none')}</p>
        ) : (
          <>
            <ul className={styles.list}>
              {actions.slice(0, SHOWN).map((item) => <ActionLine key={`${item.kind}-${item.row.id}`} item={item} />)}
            </ul>
            {actions.length > SHOWN && <p className="muted">{t('home.actions_more', { count: actions.length - SHOWN })}</p>}
          </>
        )}
      </section>
      {fresh.length > 0 && (
        <section className="panel" aria-labelledby="new-title" data-testid="unopened">
          <h2 id="new-title">{t('home.new_title')}</h2>
          <p className="muted">{t('home.new_intro')}</p>
          <ul className={styles.list}>
            {fresh.slice(0, SHOWN).map((row) => <NewLine key={row.id} row={row} />)}
          </ul>
        </section>
      )}
    </>
  );
}

function MoneyCard({ title, figures, href, linkText, testId }: { title: string; figures: MoneyFigures[]; href: string; linkText: string; testId: string }) {
  const t = useT();
  const format = useFormat();
  const id = `${testId}-title`;
  return (
    <section className={`panel ${styles.card}`} aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {figures.length === 0 && <p className="muted">{t('home.nothing_open')}</p>}
      {figures.map((f) => (
        <dl key={f.currency} className={styles.figures}>
          <dt>{t('home.open_total')}</dt>
          <dd className={styles.big} data-testid="open-total">
            {format.money(f.open.amount, f.currency)} <span className={styles.count}>{t('home.count', { count: f.open.count })}</span>
          </dd>
          <dt>{t('home.overdue')}</dt>
          <dd className={f.overdue.count > 0 ? styles.overdue : undefined} data-testid="overdue-total">
            {format.money(f.overdue.amount, f.currency)} <span className={styles.count}>{t('home.count', { count: f.overdue.count })}</span>
          </dd>
          <dt>{t('home.due_soon')}</dt>
          <dd data-testid="due-soon-total">
            {format.money(f.dueSoon.amount, f.currency)} <span className={styles.count}>{t('home.count', { count: f.dueSoon.count })}</span>
          </dd>
        </dl>
      ))}
      <p><Link href={href}>{linkText}</Link></p>
    </section>
  );
}

function ActionLine({ item }: { item: ActionItem }) {
  const t = useT();
  const format = useFormat();
  const { row } = item;
  const due = item.overdue ? t('home.overdue_since', { date: format.date(row.header.dueDate) }) : t('home.due_on', { date: format.date(row.header.dueDate) });
  return (
    <li className={styles.item} data-testid="waiting-item">
      <Link href={`/invoices/${row.id}`} className={`button ${styles.act}${item.kind === 'pay' ? '' : ' secondary'}`}>{t(`home.action.${item.kind}`)}</Link>
      <span className={styles.what}>{t('home.action_line', { number: row.header.number, party: row.party })}</span>
      <span className={styles.amount}>{format.money(row.header.amounts.payable, row.header.currency)}</span>
      <span className={item.overdue ? styles.overdue : 'muted'}>{due}</span>
    </li>
  );
}

function NewLine({ row }: { row: DashboardRow }) {
  const t = useT();
  const format = useFormat();
  return (
    <li className={styles.item}>
      <Link href={`/invoices/${row.id}`} className={styles.what}>{row.header.number}</Link>
      <span className="muted">{t('home.from', { party: row.party })}</span>
      <span className={styles.amount}>{format.money(row.header.amounts.payable, row.header.currency)}</span>
      <span className="muted">{t('home.due_on', { date: format.date(row.header.dueDate) })}</span>
    </li>
  );
}

function GettingStarted({ org }: { org: UnlockedOrg }) {
  const t = useT();
  return (
    <section className="panel" aria-labelledby="start-title" data-testid="getting-started">
      <h2 id="start-title">{t('home.start_title')}</h2>
      <p>{t('home.start_customer')} <code>{org.handle}</code></p>
      <p>{t('home.start_supplier')} <Link href="/invoices/new">{t('home.send_first')}</Link></p>
    </section>
  );
}

function OrgPanel({ org }: { org: UnlockedOrg }) {
  const t = useT();
  const role = `role.${org.role}`;
  return (
    <section className="panel" aria-label={t('home.org_label', { name: org.name })}>
      <h2>{t('home.org_title')}: {org.name}</h2>
      <dl>
        <dt>{t('home.handle')}</dt>
        <dd>
          <span className="row copy-row"><code data-testid="org-handle">{org.handle}</code><CopyButton label={t('home.copy_handle')} value={org.handle} /></span>
          <span className="muted">{t('home.handle_hint')}</span>
        </dd>
        <dt>{t('home.role')}</dt>
        <dd>{t.has(role) ? t(role) : org.role}</dd>
        <dt>{t('home.safety_number')}</dt>
        <dd className="fingerprint" data-testid="org-fingerprint">{org.fingerprint}</dd>
      </dl>
      <p className="muted">{t('home.safety_hint')}</p>
    </section>
  );
}
