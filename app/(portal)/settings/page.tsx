import type { Metadata } from 'next';
import { LanguageSwitch } from '@/components/language-switch';
import { getT, languageChoice } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { KeysSection } from './keys-section';
import { MembersLink } from './members-link';
import { OrgProfileSection } from './org-profile-section';
import { NotificationsSection } from './notifications-section';
import { PasskeyManager } from './passkey-manager';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('settings.title') };
}

export default async function SettingsPage() {
  const session = await requirePortalSession();
  const t = await getT();
  return (
    <main id="main">
      <h1>{t('settings.title')}</h1>
      <p className="muted">{t('settings.signed_in_as', { name: session.displayName, email: session.email })}</p>
      <LanguageSwitch initial={await languageChoice()} />
      <MembersLink />
      <OrgProfileSection />
      <NotificationsSection />
      <PasskeyManager />
      <KeysSection />
    </main>
  );
}
