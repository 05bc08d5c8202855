'use client';

import { useEffect, useState } from 'react';
import type { UnlockedAccount, UnlockedOrg } from './account';
import { api } from './api';
import { useDescribeError } from './i18n';
import { loadKeyring } from './keyring';
import { openInvoiceList, type OpenedInvoice } from './open-invoice';
import type { InvoiceListDto } from '@/lib/shared/invoice-dto';

export interface OpenedInvoices {
  rows: OpenedInvoice[] | null;
  error: string | null;
}

/**
 * One box of the organization's invoices, fetched as ciphertext and opened and verified in this
 * browser, for views that only read (the home page). It pins nothing: first contacts are pinned
 * where the invoice is shown in full, in the lists and on the invoice page.
 */
export function useOpenedInvoices(account: UnlockedAccount, org: UnlockedOrg, box: 'inbox' | 'sent'): OpenedInvoices {
  const describeError = useDescribeError();
  const [state, setState] = useState<OpenedInvoices>({ rows: null, error: null });
  useEffect(() => {
    let current = true;
    (async () => {
      const list = await api<InvoiceListDto>(`/api/invoices?box=${box}&orgId=${org.orgId}`);
      const { keyring } = await loadKeyring(account);
      const rows = await openInvoiceList(list, org, keyring);
      if (current) setState({ rows, error: null });
    })().catch((err: unknown) => current && setState({ rows: null, error: describeError(err) }));
    return () => {
      current = false;
    };
  }, [account, describeError, org, box]);
  return state;
}
