'use client';

import { useEffect, useId } from 'react';
import { api } from '@/lib/client/api';
import { useT } from '@/lib/client/i18n';
import { activeOrgOf, useKeys } from '@/lib/client/keys-context';

/**
 * The header's organization switcher, for a user in several organizations: every page acts for
 * the chosen one (RequireUnlocked), and the session remembers it for the next unlock. `sessionOrgId`
 * is the session's choice as the server rendered the page.
 */
export function OrgSwitcher({ sessionOrgId }: { sessionOrgId: string | null }) {
  const t = useT();
  const id = useId();
  const { account, activeOrgId, setActiveOrgId } = useKeys();
  const known = !!sessionOrgId && !!account?.orgs.some((o) => o.orgId === sessionOrgId);
  useEffect(() => {
    if (activeOrgId === null && known) setActiveOrgId(sessionOrgId);
  }, [activeOrgId, known, sessionOrgId, setActiveOrgId]);
  if (!account || account.orgs.length < 2) return null;
  const current = activeOrgOf(account, activeOrgId);
  function choose(orgId: string) {
    setActiveOrgId(orgId);
    // Only a convenience for the next unlock: the pages already act for the choice made here.
    void api('/api/session/org', { method: 'PUT', body: { orgId } }).catch(() => {});
  }
  return (
    <span className="org-switcher">
      <label htmlFor={id}>{t('shell.org_switch')}</label>
      <select id={id} value={current?.orgId} title={t('shell.org_switch_hint')} onChange={(e) => choose(e.target.value)} data-testid="org-switcher">
        {account.orgs.map((org) => (
          <option key={org.orgId} value={org.orgId}>{org.name}</option>
        ))}
      </select>
    </span>
  );
}
