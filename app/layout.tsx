import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'zkinvoice', template: '%s · zkinvoice' },
  description: 'End-to-end encrypted invoices between businesses. The server stores only ciphertext.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page render per request, so Next.js puts the fresh CSP nonce
  // from proxy.ts on its scripts; a statically rendered page would carry no nonce and not run.
  await headers();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
