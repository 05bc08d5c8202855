import { AdminActionButton } from './action-button';

/** Signs a user out everywhere; the account stays usable, their next sign-in starts afresh. */
export function RevokeSessions({ userId, label }: { userId: string; label: string }) {
  return <AdminActionButton url={`/api/admin/users/${userId}/sessions`} method="DELETE" label={label} className="secondary" />;
}
