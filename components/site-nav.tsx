'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { useT } from '@/lib/client/i18n';
import type { MessageKey } from '@/lib/shared/i18n';

export interface NavItem {
  href: string;
  label: MessageKey;
  /** Marked current only on this exact path (a section's start page), not on the pages below it. */
  exact?: boolean;
}

const countId = (href: string) => `nav-count${href.replaceAll('/', '-')}`;

function isCurrent(pathname: string, item: NavItem): boolean {
  if (item.exact) return pathname === item.href;
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

/**
 * The top bar of a signed-in area. On a wide screen the links sit in one row; on a phone they fold
 * into a menu behind a button (aria-expanded), which closes again when a link is followed. The
 * current page is marked with aria-current, which the style also shows. `status` (the key lock)
 * stays in view on every width.
 */
export function SiteNav({ label, brand, brandHref, items, status, counts, children }: {
  label: MessageKey;
  brand: string;
  brandHref: string;
  items: readonly NavItem[];
  status?: ReactNode;
  /** Unopened items per link (by href), shown beside it and read out as its description. */
  counts?: Readonly<Record<string, number>>;
  children?: ReactNode;
}) {
  const t = useT();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const total = Object.values(counts ?? {}).reduce((sum, n) => sum + n, 0);
  const [openedOn, setOpenedOn] = useState(pathname);
  if (openedOn !== pathname) {
    setOpenedOn(pathname);
    setOpen(false);
  }
  return (
    <header className="topbar">
      <nav aria-label={t(label)} className={open ? 'open' : undefined}>
        <Link className="brand" href={brandHref}>{brand}</Link>
        {status}
        <button type="button" className="menu-toggle secondary" aria-expanded={open} aria-controls="site-menu" onClick={() => setOpen((o) => !o)}>
          <span aria-hidden="true" className="menu-icon">☰</span> {t('shell.menu')}
          {total > 0 && <span className="nav-count" aria-hidden="true">{total}</span>}
        </button>
        <div id="site-menu" className="menu">
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={isCurrent(pathname, item) ? 'page' : undefined} aria-describedby={counts?.[item.href] ? countId(item.href) : undefined} onClick={() => setOpen(false)}>{t(item.label)}</Link>
                {!!counts?.[item.href] && (
                  <span className="nav-count" id={countId(item.href)} data-testid="nav-count">
                    <span aria-hidden="true">{counts[item.href]}</span>
                    <span className="visually-hidden">{t('shell.unopened', { count: counts[item.href]! })}</span>
                  </span>
                )}
              </li>
            ))}
          </ul>
          {children && <div className="menu-extra">{children}</div>}
        </div>
      </nav>
    </header>
  );
}
