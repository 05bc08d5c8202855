import Link from 'next/link';
import type { Translate } from '@/lib/shared/i18n';

/** Rows per page of the admin lists: a full page stays quick to read, render and check (axe). */
export const ADMIN_PAGE_SIZE = 50;

/** The 1-based page number from a search parameter; anything else is page 1. */
export function pageNumber(raw: string | string[] | undefined): number {
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** Newer/older links of an admin list, keeping its other parameters (the search). */
export function Pager({ t, path, page, hasMore, params = {} }: { t: Translate; path: string; page: number; hasMore: boolean; params?: Record<string, string> }) {
  if (page === 1 && !hasMore) return null;
  const href = (n: number) => `${path}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(params).filter(([, v]) => v)), ...(n > 1 ? { page: String(n) } : {}) })}`.replace(/\?$/, '');
  return (
    <nav className="row" aria-label={t('adm.pages')}>
      {page > 1 && <Link href={href(page - 1)} rel="prev">{t('adm.newer')}</Link>}
      <span className="muted">{t('adm.page', { page })}</span>
      {hasMore && <Link href={href(page + 1)} rel="next">{t('adm.older')}</Link>}
    </nav>
  );
}
