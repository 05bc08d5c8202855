'use client';

import { useCallback, useEffect, useState } from 'react';
import type { ClaimRecord } from '@/lib/crypto/org';
import type { ProvisionalOrgDto, ProvisionalState } from '@/lib/shared/schemas/claim';
import type { OrgEpochDto } from '@/lib/shared/schemas/org';
import type { UnlockedOrg } from './account';
import { api } from './api';
import { openProvisionalRecord } from './claim';

/** A provisional customer with the supplier's note opened: the address, the code and the link to show again. */
export interface ProvisionalCustomer extends ProvisionalOrgDto {
  record: (ClaimRecord & { link: string }) | null;
}

/**
 * The supplier org's customers without an account (DESIGN §11), their notes opened with its org
 * secret in this browser. `null` while loading; a note that does not open leaves `record` null.
 */
export function useProvisionalCustomers(org: UnlockedOrg | undefined): {
  customers: ProvisionalCustomer[] | null;
  error: unknown;
  reload(): Promise<void>;
  update(orgId: string, action: 'revoke' | 'renew'): Promise<{ state: ProvisionalState; expiresAt: string }>;
} {
  const [customers, setCustomers] = useState<ProvisionalCustomer[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(async () => {
    if (!org) return;
    try {
      const { customers: list } = await api<{ customers: ProvisionalOrgDto[] }>(`/api/orgs/${org.orgId}/provisional`);
      // Fetched once, and only when a note was sealed under an older epoch than the current one.
      let epochs: Promise<OrgEpochDto[]> | null = null;
      const loadEpochs = () => (epochs ??= api<{ epochs: OrgEpochDto[] }>(`/api/orgs/${org.orgId}/epochs`).then((r) => r.epochs));
      const opened = await Promise.all(
        list.map(async (c) => {
          const record = await openProvisionalRecord(org, c, loadEpochs).catch(() => null);
          return { ...c, record: record && { ...record, link: new URL(record.path, window.location.origin).href } };
        }),
      );
      setCustomers(opened);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [org]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading data on mount is this hook's job
    void reload();
  }, [reload]);

  const update = useCallback(async (orgId: string, action: 'revoke' | 'renew') => {
    const result = await api<{ state: ProvisionalState; expiresAt: string }>(`/api/orgs/${org!.orgId}/provisional/${orgId}`, { method: 'PATCH', body: { action } });
    await reload();
    return result;
  }, [org, reload]);

  return { customers, error, reload, update };
}
