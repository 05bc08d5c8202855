'use client';

import type { ReactNode } from 'react';
import { I18nProvider } from '@/lib/client/i18n';
import { KeysProvider } from '@/lib/client/keys-context';
import type { Messages } from '@/lib/shared/i18n';
import type { ResolvedLocale } from '@/lib/shared/i18n/locales';

export function Providers({ resolved, messages, children }: { resolved: ResolvedLocale; messages: Messages; children: ReactNode }) {
  return (
    <I18nProvider resolved={resolved} messages={messages}>
      <KeysProvider>{children}</KeysProvider>
    </I18nProvider>
  );
}
