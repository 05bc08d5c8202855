import type { Metadata } from 'next';
import { count, eq } from 'drizzle-orm';
import { organizations, users } from '@/lib/db/schema';
import { db } from '@/lib/server/db';
import { env } from '@/lib/server/env';
import { requireAdminSession } from '@/lib/server/pages';

export const metadata: Metadata = { title: 'Administration' };

export default async function AdminHomePage() {
  const session = await requireAdminSession();
  const [[userCount], [orgCount]] = await Promise.all([
    db().select({ n: count() }).from(users).where(eq(users.isPlatformAdmin, false)),
    db().select({ n: count() }).from(organizations),
  ]);
  const config = env();
  return (
    <main>
      <div className="row"><h1>Administration</h1><span className="badge">platform admin</span></div>
      <p className="muted">Signed in as {session.displayName}. Administrators see metadata only and hold no key that opens an invoice.</p>
      <section className="panel">
        <h2>Instance</h2>
        <dl>
          <dt>Users</dt><dd>{userCount?.n ?? 0}</dd>
          <dt>Organizations</dt><dd>{orgCount?.n ?? 0}</dd>
          <dt>Public origin</dt><dd><code>{config.ORIGIN}</code></dd>
          <dt>Passkey RP ID</dt><dd><code>{config.RP_ID}</code></dd>
        </dl>
      </section>
    </main>
  );
}
