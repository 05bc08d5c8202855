import type { UnlockedAccount } from './account';
import { updateKeyring, type Keyring } from './keyring';

/**
 * The payee check (DESIGN §5): how an invoice's IBAN compares with the one this user last paid to
 * the same supplier org. 'first' when nothing was paid to it yet, 'changed' when it differs.
 */
export type PayeeCheck = { state: 'first' } | { state: 'same'; paidAt: string } | { state: 'changed'; previousIban: string; paidAt: string };

export function checkPayee(keyring: Keyring, supplierOrgId: string, iban: string): PayeeCheck {
  const last = keyring.payees[supplierOrgId];
  if (!last) return { state: 'first' };
  return last.iban === iban ? { state: 'same', paidAt: last.paidAt } : { state: 'changed', previousIban: last.iban, paidAt: last.paidAt };
}

/** Remembers the IBAN just paid to a supplier org, in the user's sealed keyring. */
export async function rememberPayee(account: UnlockedAccount, supplierOrgId: string, iban: string): Promise<void> {
  await updateKeyring(account, (keyring) => {
    keyring.payees[supplierOrgId] = { iban, paidAt: new Date().toISOString() };
  });
}
