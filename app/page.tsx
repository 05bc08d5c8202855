import Link from 'next/link';
import { redirect } from 'next/navigation';
import { RichText } from '@/components/rich-text';
import { getT } from '@/lib/server/i18n';
import { homeFor } from '@/lib/server/pages';
import { currentSession } from '@/lib/server/sessions';

export default async function LandingPage() {
  const session = await currentSession();
  if (session) redirect(homeFor(session));
  const t = await getT();
  return (
    <main id="main">
      <h1>zkinvoice</h1>
      <p>{t('landing.intro')}</p>
      <div className="row">
        <Link className="button" href="/sign-up">{t('landing.create_account')}</Link>
        <Link className="button secondary" href="/sign-in">{t('landing.sign_in')}</Link>
      </div>
      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">{t('landing.keys_title')}</h2>
        <p><RichText text={t('landing.keys_passkey')} /></p>
        <p><RichText text={t('landing.keys_recovery')} /></p>
      </section>
    </main>
  );
}
