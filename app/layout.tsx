import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { currentLocale, getT } from '@/lib/server/i18n';
import { messagesFor } from '@/lib/shared/i18n';
import { Providers } from './providers';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return {
    title: { default: 'zkinvoice', template: '%s · zkinvoice' },
    description: t('meta.description'),
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request (cookies and Accept-Language for the language) makes every page render
  // per request, so Next.js puts the fresh CSP nonce from proxy.ts on its scripts; a statically
  // rendered page would carry no nonce and not run.
  const resolved = await currentLocale();
  const t = await getT();
  return (
    <html lang={resolved.locale === 'pseudo' ? 'en' : resolved.tag}>
      <body>
        <a className="skip-link" href="#main">{t('shell.skip_to_content')}</a>
        <Providers resolved={resolved} messages={messagesFor(resolved.locale)}>{children}</Providers>
      </body>
    </html>
  );
}
