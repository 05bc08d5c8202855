'use client';

import { useKeys } from '@/lib/client/keys-context';

export function LockBadge() {
  const { account } = useKeys();
  return account ? <span className="badge ok">Keys unlocked</span> : <span className="badge warn">Keys locked</span>;
}
