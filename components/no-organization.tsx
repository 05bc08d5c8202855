'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { api } from '@/lib/client/api';
import { useT } from '@/lib/client/i18n';

const joinsSchema = z.object({ joins: z.array(z.object({ inviteId: z.uuid(), orgId: z.uuid(), orgName: z.string() })) });

/**
 * An account that belongs to no organization (a sign-up from a join link, before its confirmation,
 * or one removed from its only org): it can neither send nor receive, so its pages say for whose
 * confirmation it waits, with the way back to that join page, instead of any content.
 */
export function NoOrganization() {
  const t = useT();
  const [joins, setJoins] = useState<z.infer<typeof joinsSchema>['joins'] | null>(null);
  useEffect(() => {
    let current = true;
    api('/api/account/joins', {}, joinsSchema).then((r) => current && setJoins(r.joins), () => current && setJoins([]));
    return () => {
      current = false;
    };
  }, []);
  if (joins === null) return null;
  if (joins.length === 0) return <p className="alert warn" role="note" data-testid="no-organization">{t('shell.no_organization')}</p>;
  return (
    <div className="stack" data-testid="no-organization">
      {joins.map((j) => (
        <p key={j.inviteId} className="alert warn" role="status">
          {t('join.waiting', { org: j.orgName })} <Link href={`/join/${j.inviteId}`}>{t('shell.no_organization_open_join')}</Link>
        </p>
      ))}
    </div>
  );
}
