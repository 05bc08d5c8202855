'use client';

import { useRouter } from 'next/navigation';
import { signOut } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';

export function SignOutButton() {
  const router = useRouter();
  const { forget } = useKeys();
  async function onClick() {
    forget();
    await signOut().catch(() => {});
    router.push('/sign-in');
    router.refresh();
  }
  return <button type="button" className="secondary" onClick={onClick}>Sign out</button>;
}
