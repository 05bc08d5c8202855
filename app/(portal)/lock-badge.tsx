'use client';

import { useT } from '@/lib/client/i18n';
import { useKeys } from '@/lib/client/keys-context';

export function LockBadge() {
  const t = useT();
  const { account } = useKeys();
  return account ? <span className="badge ok">{t('shell.keys_unlocked')}</span> : <span className="badge warn">{t('shell.keys_locked')}</span>;
}
