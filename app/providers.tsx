'use client';

import type { ReactNode } from 'react';
import { KeysProvider } from '@/lib/client/keys-context';

export function Providers({ children }: { children: ReactNode }) {
  return <KeysProvider>{children}</KeysProvider>;
}
