'use client';

import { useEffect, useState } from 'react';
import type { UnlockedOrg } from '@/lib/client/account';
import { dueDateFor, loadOrgProfile } from '@/lib/client/org-profile';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import type { OrgProfile } from '@/lib/shared/schemas/org-profile';

/** The form's field names and the value each starts with. */
export type InitialValues = Record<'number' | 'issueDate' | 'dueDate' | 'currency' | 'net' | 'tax' | 'gross' | 'payable' | 'sellerName' | 'sellerVatId' | 'buyerName' | 'buyerVatId' | 'payeeName' | 'iban' | 'bic' | 'reference' | 'paymentUrl' | 'notes', string>;

export const DEFAULT_PAYMENT_TERMS_DAYS = 30;

export const localToday = (): string => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};

/**
 * Where a new invoice starts: a credited invoice's values for a credit note, else the organization
 * profile (the supplier's own name, VAT id, bank details; the due date from its payment terms).
 */
export function initialValues(org: UnlockedOrg, profile: OrgProfile | null, original?: InvoiceHeader): InitialValues {
  const issueDate = localToday();
  return {
    number: original ? `CN-${original.number}`.slice(0, 64) : '',
    issueDate,
    dueDate: dueDateFor(issueDate, profile?.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS),
    currency: original?.currency ?? 'EUR',
    net: original?.amounts.net ?? '',
    tax: original?.amounts.tax ?? '',
    gross: original?.amounts.gross ?? '',
    payable: original?.amounts.payable ?? '',
    sellerName: original?.seller.name ?? profile?.name ?? org.name,
    sellerVatId: original?.seller.vatId ?? profile?.vatId ?? '',
    buyerName: original?.buyer.name ?? '',
    buyerVatId: original?.buyer.vatId ?? '',
    payeeName: original?.payment.payeeName ?? (profile?.payeeName || profile?.name || org.name),
    iban: original?.payment.iban ?? profile?.iban ?? '',
    bic: original?.payment.bic ?? profile?.bic ?? '',
    reference: original?.payment.reference ?? '',
    paymentUrl: '',
    notes: '',
  };
}

/** The org profile for the form; a profile that cannot be read only means an emptier form, and says so. */
export function useOrgProfile(org: UnlockedOrg): { ready: boolean; profile: OrgProfile | null; problem: 'unreadable' | 'rekeyed' | 'failed' | null } {
  const [state, setState] = useState<{ ready: boolean; profile: OrgProfile | null; problem: 'unreadable' | 'rekeyed' | 'failed' | null }>({ ready: false, profile: null, problem: null });
  useEffect(() => {
    let current = true;
    loadOrgProfile(org).then(
      (loaded) => current && setState({ ready: true, profile: loaded.profile, problem: loaded.state === 'unreadable' || loaded.state === 'rekeyed' ? loaded.state : null }),
      () => current && setState({ ready: true, profile: null, problem: 'failed' }),
    );
    return () => {
      current = false;
    };
  }, [org]);
  return state;
}
