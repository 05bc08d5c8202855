import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { RecoveryKit } from './recovery-kit';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('kit.title') };
}

export default async function RecoveryKitPage({ searchParams }: { searchParams: Promise<{ passkey?: string; replace?: string }> }) {
  const session = await requirePortalSession({ allowUnconfirmed: true });
  const t = await getT();
  const { passkey, replace } = await searchParams;
  if (session.recoveryConfirmed && replace !== '1') redirect('/home');
  return (
    <main id="main" className="narrow">
      <h1>{t('kit.title')}</h1>
      <RecoveryKit email={session.email} passkeyCannotUnlock={passkey === 'no-prf'} />
    </main>
  );
}
