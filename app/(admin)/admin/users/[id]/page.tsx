import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getUserDetail } from '@/lib/server/admin/users';
import { getFormat } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { DeleteAccount } from '@/components/admin/delete-account';
import { RevokeSessions } from '@/components/admin/revoke-sessions';
import { StateToggle } from '@/components/admin/state-toggle';

export const metadata: Metadata = { title: 'User' };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminSession();
  const id = uuidSchema.safeParse((await params).id);
  const user = id.success ? await getUserDetail(id.data) : null;
  if (!user) notFound();
  const { format } = await getFormat();
  const time = (iso: string | null) => (iso ? format.dateTime(iso) : '—');
  const now = new Date().toISOString();
  const open = user.sessions.filter((s) => !s.revokedAt && s.expiresAt > now);
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <p><Link href="/admin/users">← Users</Link></p>
      <div className="row"><h1>{user.displayName}</h1>{user.deletedAt ? <span className="badge warn">deleted</span> : user.disabledAt ? <span className="badge warn">disabled</span> : <span className="badge ok">active</span>}</div>
      {user.deletedAt && <p className="alert warn" role="note">This account was deleted on {time(user.deletedAt)} UTC. What remains is a tombstone: its public keys and membership certificates, kept so the invoices it signed can still be verified by their recipients. It cannot sign in or be recovered.</p>}
      <section className="panel">
        <dl>
          <dt>Email</dt><dd>{user.email}</dd>
          <dt>Created</dt><dd>{time(user.createdAt)}</dd>
          <dt>Last sign-in</dt><dd>{time(user.lastSignInAt)}</dd>
          {user.disabledAt && <><dt>Disabled</dt><dd>{time(user.disabledAt)}</dd></>}
          <dt>Organizations</dt><dd>{user.memberships.map((m) => `${m.orgName} (${m.role})`).join(', ') || '—'}</dd>
        </dl>
        {!user.isPlatformAdmin && !user.deletedAt && <StateToggle endpoint={`/api/admin/users/${user.id}`} off={user.disabledAt !== null} offAction="disable" onAction="enable" offLabel="Disable account" onLabel="Enable account" />}
      </section>
      <section className="panel">
        <h2>Passkeys</h2>
        <table aria-label="Passkeys">
          <thead><tr><th>Name</th><th>Kind</th><th>Backed up</th><th>Added</th><th>Last used</th></tr></thead>
          <tbody>
            {user.passkeyList.map((p, i) => <tr key={i}><td>{p.name}</td><td>{p.deviceType === 'multiDevice' ? 'synced' : 'device-bound'}</td><td>{p.backedUp ? 'yes' : 'no'}</td><td>{time(p.createdAt)}</td><td>{time(p.lastUsedAt)}</td></tr>)}
            {user.passkeyList.length === 0 && <tr><td colSpan={5} className="muted">No passkeys.</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>Sessions</h2>
        <p className="muted">{open.length} open.</p>
        {open.length > 0 && <RevokeSessions userId={user.id} />}
        <table aria-label="Sessions">
          <thead><tr><th>Started</th><th>Last seen</th><th>State</th><th>Address</th><th>Browser</th></tr></thead>
          <tbody>
            {user.sessions.map((s) => <tr key={s.id}><td>{time(s.createdAt)}</td><td>{time(s.lastSeenAt)}</td><td>{s.revokedAt ? `revoked ${time(s.revokedAt)}` : s.expiresAt <= now ? 'expired' : 'open'}</td><td>{s.ip ?? '—'}</td><td>{s.userAgent?.slice(0, 60) ?? '—'}</td></tr>)}
            {user.sessions.length === 0 && <tr><td colSpan={5} className="muted">No sessions.</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>Recent security events</h2>
        <table aria-label="Security events">
          <thead><tr><th className="num">#</th><th>Time (UTC)</th><th>Action</th><th>Outcome</th><th>Passkey</th><th>Address</th></tr></thead>
          <tbody>{user.securityEvents.map((e) => <tr key={e.seq}><td className="num">{e.seq}</td><td>{time(e.at)}</td><td>{format.auditAction(e.action)} <code className="muted small-code">{e.action}</code></td><td>{e.outcome}{e.reason ? `: ${e.reason}` : ''}</td><td>{e.credentialId ? <code title={e.credentialId}>{e.credentialId.slice(0, 10)}…</code> : '—'}</td><td>{e.ip ?? '—'}</td></tr>)}</tbody>
        </table>
        <p><Link href={`/admin/audit?actor=${user.id}`}>All entries by this user</Link></p>
      </section>
      {!user.isPlatformAdmin && !user.deletedAt && (
        <section className="panel" aria-labelledby="danger-zone">
          <h2 id="danger-zone">Delete account</h2>
          <p className="muted">Disabling is reversible; deleting is not. You will see what happens to this user’s organizations before anything is deleted.</p>
          <DeleteAccount userId={user.id} />
        </section>
      )}
    </main>
  );
}
