// Who is signed in: used by the e2e suite and by API clients (an ERP, a CLI) to check a session.
import { json, route } from '@/lib/server/http';
import { currentSession } from '@/lib/server/sessions';

export const GET = route(async () => {
  const session = await currentSession();
  if (!session) return json({ session: null });
  const { userId, displayName, email, isPlatformAdmin, recoveryConfirmed, credentialId } = session;
  return json({ session: { userId, displayName, email, isPlatformAdmin, recoveryConfirmed, credentialId } });
});
