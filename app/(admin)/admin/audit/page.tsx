import type { Metadata } from 'next';
import Link from 'next/link';
import { listAuditEntries } from '@/lib/server/admin/audit';
import { getFormat } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { auditQuerySchema } from '@/lib/shared/schemas/admin';
import { VerifyChain } from './verify-chain';

export const metadata: Metadata = { title: 'Audit log' };

type Params = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requireAdminSession();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = auditQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : auditQuerySchema.parse({});
  const page = await listAuditEntries(query);
  const { t, format } = await getFormat();
  const filters = { action: query.action ?? '', actor: query.actor ?? '', outcome: query.outcome ?? '', from: query.from ?? '', to: query.to ?? '' };
  const older = page.nextBefore ? `/admin/audit?${new URLSearchParams({ ...filters, before: String(page.nextBefore) })}` : null;

  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <h1>Audit log</h1>
      <p className="muted">Append-only and hash-chained. Metadata only: no entry holds invoice content.</p>
      <section className="panel"><VerifyChain /></section>
      {!parsed.success && <p role="alert" className="alert error">Some filters were not valid and were ignored.</p>}
      <form className="row panel" method="get" action="/admin/audit" aria-label="Filters">
        <label>Action<input name="action" defaultValue={filters.action} placeholder="account.sign_in" /></label>
        <label>Actor user id<input name="actor" defaultValue={filters.actor} /></label>
        <label>Outcome
          <select name="outcome" defaultValue={filters.outcome}>
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
          </select>
        </label>
        <label>From<input type="date" name="from" defaultValue={filters.from} /></label>
        <label>To<input type="date" name="to" defaultValue={filters.to} /></label>
        <button type="submit">Filter</button>
        <Link href="/admin/audit">Clear</Link>
      </form>
      <table aria-label="Audit entries">
        <thead><tr><th className="num">#</th><th>Time</th><th>Action</th><th>Outcome</th><th>Actor</th><th>Object</th><th>Address</th></tr></thead>
        <tbody>
          {page.entries.map((e) => (
            <tr key={e.seq}>
              <td className="num">{e.seq}</td>
              <td><time dateTime={e.at}>{format.dateTime(e.at)}</time></td>
              <td>{format.auditAction(e.action)} <code className="muted small-code">{e.action}</code></td>
              <td>{e.outcome === 'success' ? t('audit.success') : <span className="badge warn">{t('audit.failure')}{e.reason ? `: ${e.reason}` : ''}</span>}</td>
              <td>{e.actorUserId ? <Link href={`/admin/audit?actor=${e.actorUserId}`}>{e.actorEmail ?? e.actorUserId}</Link> : '—'}</td>
              <td>{e.objectType ? `${e.objectType} ${e.objectId ?? ''}` : '—'}</td>
              <td>{e.ip ?? '—'}</td>
            </tr>
          ))}
          {page.entries.length === 0 && <tr><td colSpan={7} className="muted">No entries match.</td></tr>}
        </tbody>
      </table>
      {older && <p><Link href={older}>Older entries</Link></p>}
    </main>
  );
}
