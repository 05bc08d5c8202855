import type { Metadata } from 'next';
import { requirePortalSession } from '@/lib/server/pages';
import { KeysSection } from './keys-section';
import { OrgProfileSection } from './org-profile-section';
import { PasskeyManager } from './passkey-manager';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const session = await requirePortalSession();
  return (
    <main>
      <h1>Settings</h1>
      <p className="muted">Signed in as {session.displayName} ({session.email}).</p>
      <OrgProfileSection />
      <PasskeyManager />
      <KeysSection />
    </main>
  );
}
