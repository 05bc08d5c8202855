'use client';

import { useEffect, useState } from 'react';
import type { UnlockedOrg } from './account';
import { useDescribeError } from './i18n';
import { useKeyring } from './keys-context';
import { fetchInvoiceList, openInvoiceList, type OpenedInvoice } from './open-invoice';

export interface OpenedInvoices {
  rows: OpenedInvoice[] | null;
  error: string | null;
}

/**
 * One box of the organization's invoices, fetched as ciphertext and opened and verified in this
 * browser against the keyring of the keys context, for views that only read (the home page). It
 * pins nothing: first contacts are pinned where the invoice is shown in full, in the lists and on
 * the invoice page; malformed list entries are left out here and reported there. A new `visit`
 * (each server render of the page) fetches again; what was shown stays until the new rows are open.
 */
export function useOpenedInvoices(org: UnlockedOrg, box: 'inbox' | 'sent', visit: number): OpenedInvoices {
  const describeError = useDescribeError();
  const { current: currentKeyring } = useKeyring();
  const [state, setState] = useState<OpenedInvoices>({ rows: null, error: null });
  useEffect(() => {
    let current = true;
    (async () => {
      const { list } = await fetchInvoiceList(`/api/invoices?box=${box}&orgId=${org.orgId}`);
      const rows = await openInvoiceList(list, org, currentKeyring());
      if (current) setState({ rows, error: null });
    })().catch((err: unknown) => current && setState({ rows: null, error: describeError(err) }));
    return () => {
      current = false;
    };
  }, [describeError, org, box, currentKeyring, visit]);
  return state;
}
