import type { Metadata } from 'next';
import Link from 'next/link';
import { getT } from '@/lib/server/i18n';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('shell.not_found_title') };
}

export default async function NotFound() {
  const t = await getT();
  return (
    <main id="main" className="narrow">
      <h1>{t('shell.not_found_title')}</h1>
      <p>{t('shell.not_found_text')}</p>
      <p><Link className="button" href="/">{t('shell.not_found_home')}</Link></p>
    </main>
  );
}
