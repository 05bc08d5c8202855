import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { currentLocale } from './i18n';
import { rememberLocale } from './notifications';
import { currentSession, type CurrentSession } from './sessions';

/** The language this page is shown in becomes the one the user's e-mail notices are written in. */
async function keepLocale(session: CurrentSession): Promise<void> {
  await rememberLocale(session.userId, (await currentLocale()).locale, session.locale ?? null);
}

/** For portal pages: signed in, not an admin, and the recovery key confirmed. */
export async function requirePortalSession(options: { allowUnconfirmed?: boolean } = {}): Promise<CurrentSession> {
  const session = await currentSession();
  if (!session) redirect('/sign-in');
  if (session.isPlatformAdmin) redirect('/admin');
  if (!session.recoveryConfirmed && !options.allowUnconfirmed) redirect('/recovery-kit');
  await keepLocale(session);
  return session;
}

/**
 * For admin pages: like the admin APIs (lib/server/admin/access.ts), they do not exist for anyone
 * but a platform admin, signed in or not, so the admin surface cannot be mapped from outside.
 */
export async function requireAdminSession(): Promise<CurrentSession> {
  const session = await currentSession();
  if (!session?.isPlatformAdmin) notFound();
  await keepLocale(session);
  return session;
}

/** Where a signed-in user belongs. */
export function homeFor(session: CurrentSession): string {
  if (session.isPlatformAdmin) return '/admin';
  return session.recoveryConfirmed ? '/home' : '/recovery-kit';
}
