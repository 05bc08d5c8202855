'use client';

import { useRouter } from 'next/navigation';
import { signOut } from '@/lib/client/flows';
import { useT } from '@/lib/client/i18n';
import { useKeys } from '@/lib/client/keys-context';

export function SignOutButton() {
  const t = useT();
  const router = useRouter();
  const { forget } = useKeys();
  async function onClick() {
    forget();
    await signOut().catch(() => {});
    router.push('/sign-in');
    router.refresh();
  }
  return <button type="button" className="secondary" onClick={onClick}>{t('shell.sign_out')}</button>;
}
