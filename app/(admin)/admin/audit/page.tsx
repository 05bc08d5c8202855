import type { Metadata } from 'next';
import Link from 'next/link';
import { listAuditEntries } from '@/lib/server/admin/audit';
import { getFormat, getT } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { auditQuerySchema } from '@/lib/shared/schemas/admin';
import { VerifyChain } from './verify-chain';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('adm.audit') };
}

type Params = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requireAdminSession();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = auditQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : auditQuerySchema.parse({});
  const page = await listAuditEntries(query);
  const { t, format } = await getFormat();
  const filters = { action: query.action ?? '', actor: query.actor ?? '', outcome: query.outcome ?? '', from: query.from ?? '', to: query.to ?? '' };
  const objectName = (type: string) => {
    const key = `audit.object.${type}`;
    return t.has(key) ? t(key) : type;
  };
  const older = page.nextBefore ? `/admin/audit?${new URLSearchParams({ ...filters, before: String(page.nextBefore) })}` : null;

  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <h1>{t('adm.audit')}</h1>
      <p className="muted">{t('adm.audit_intro')}</p>
      <section className="panel"><VerifyChain /></section>
      {!parsed.success && <p role="alert" className="alert error">{t('adm.filters_invalid')}</p>}
      <form className="row panel" method="get" action="/admin/audit" aria-label={t('adm.filters')}>
        <label>{t('adm.filter.action')}<input name="action" defaultValue={filters.action} placeholder="account.sign_in" /></label>
        <label>{t('adm.filter.actor')}<input name="actor" defaultValue={filters.actor} /></label>
        <label>{t('adm.filter.outcome')}
          <select name="outcome" defaultValue={filters.outcome}>
            <option value="">{t('adm.filter.any')}</option>
            <option value="success">{t('audit.success')}</option>
            <option value="failure">{t('audit.failure')}</option>
          </select>
        </label>
        <label>{t('adm.filter.from')}<input type="date" name="from" defaultValue={filters.from} /></label>
        <label>{t('adm.filter.to')}<input type="date" name="to" defaultValue={filters.to} /></label>
        <button type="submit">{t('adm.filter.apply')}</button>
        <Link href="/admin/audit">{t('adm.filter.clear')}</Link>
      </form>
      <table className="cards" aria-label={t('adm.audit_entries')}>
        <thead><tr><th className="num">#</th><th>{t('adm.col.time')}</th><th>{t('adm.col.action')}</th><th>{t('adm.col.outcome')}</th><th>{t('adm.col.actor')}</th><th>{t('adm.col.object')}</th><th>{t('adm.col.address')}</th></tr></thead>
        <tbody>
          {page.entries.map((e) => (
            <tr key={e.seq}>
              <td data-label="#" className="num">{e.seq}</td>
              <td data-label={t('adm.col.time')}><time dateTime={e.at}>{format.dateTime(e.at)}</time></td>
              <td data-label={t('adm.col.action')}>{format.auditAction(e.action)} <code className="muted small-code">{e.action}</code></td>
              <td data-label={t('adm.col.outcome')}>{e.outcome === 'success' ? t('audit.success') : <span className="badge warn">{t('audit.failure')}{e.reason ? `: ${e.reason}` : ''}</span>}</td>
              <td data-label={t('adm.col.actor')}>{e.actorUserId ? <Link href={`/admin/audit?actor=${e.actorUserId}`}>{e.actorEmail ?? e.actorUserId}</Link> : '—'}</td>
              <td data-label={t('adm.col.object')}>{e.objectType ? <>{objectName(e.objectType)} <code className="muted small-code">{e.objectId ?? ''}</code></> : '—'}</td>
              <td data-label={t('adm.col.address')}>{e.ip ?? '—'}</td>
            </tr>
          ))}
          {page.entries.length === 0 && <tr><td colSpan={7} className="muted">{t('adm.no_entries')}</td></tr>}
        </tbody>
      </table>
      {older && <p><Link href={older}>{t('adm.older_entries')}</Link></p>}
    </main>
  );
}
