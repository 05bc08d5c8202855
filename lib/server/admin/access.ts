import 'server-only';
import { AppError } from '../errors';
import { currentSession, type CurrentSession } from '../sessions';

/**
 * Every admin API starts here. Anyone who is not a platform admin, signed in or not, is told the
 * route does not exist (404, never 403), so the admin surface cannot be mapped from outside.
 */
export async function requireAdmin(): Promise<CurrentSession> {
  const session = await currentSession();
  if (!session?.isPlatformAdmin) throw new AppError('not_found', 'not_found');
  return session;
}
