'use client';

import Link from 'next/link';
import { useT } from '@/lib/client/i18n';
import { useActiveOrg } from '@/lib/client/keys-context';

/** The way from Settings to the active organization's members page. */
export function MembersLink() {
  const t = useT();
  const org = useActiveOrg();
  return (
    <section className="panel stack" aria-labelledby="members-link-heading">
      <h2 id="members-link-heading">{t('members.title')}</h2>
      <p className="muted">{t('settings.members_intro')}</p>
      <p><Link href="/settings/members" data-testid="members-link">{org ? t('settings.members_link', { org: org.name }) : t('members.title')}</Link></p>
    </section>
  );
}
