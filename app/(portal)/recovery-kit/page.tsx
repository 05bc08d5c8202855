import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { requirePortalSession } from '@/lib/server/pages';
import { RecoveryKit } from './recovery-kit';

export const metadata: Metadata = { title: 'Your recovery key' };

export default async function RecoveryKitPage({ searchParams }: { searchParams: Promise<{ passkey?: string; replace?: string }> }) {
  const session = await requirePortalSession({ allowUnconfirmed: true });
  const { passkey, replace } = await searchParams;
  if (session.recoveryConfirmed && replace !== '1') redirect('/home');
  return (
    <main id="main" className="narrow">
      <h1>Your recovery key</h1>
      <RecoveryKit email={session.email} passkeyCannotUnlock={passkey === 'no-prf'} />
    </main>
  );
}
