import 'client-only';

import type { Keyring, PinnedOrg } from './keyring';

/**
 * The customer an e-invoice's buyer identifiers (see lib/einvoice/buyer.ts) were remembered for,
 * in this user's sealed keyring. Only one answer counts: identifiers remembered for two orgs
 * (which `rememberBuyerIds` prevents, but an older keyring might hold) ask the user again.
 */
export function rememberedCustomer(keyring: Keyring, ids: readonly string[]): { orgId: string; pin: PinnedOrg } | null {
  if (ids.length === 0) return null;
  const matches = Object.entries(keyring.orgs).filter(([, pin]) => pin.buyerIds?.some((id) => ids.includes(id)));
  if (matches.length !== 1) return null;
  const [orgId, pin] = matches[0]!;
  return { orgId, pin };
}

/**
 * A keyring change that remembers the identifiers for this (pinned) customer and forgets them for
 * any other: the user's latest choice is the one that speaks. Idempotent, as updateKeyring needs.
 */
export function rememberBuyerIds(orgId: string, ids: readonly string[]): (keyring: Keyring) => void {
  return (keyring) => {
    if (ids.length === 0 || !keyring.orgs[orgId]) return;
    for (const [id, pin] of Object.entries(keyring.orgs)) {
      if (id === orgId || !pin.buyerIds?.some((b) => ids.includes(b))) continue;
      pin.buyerIds = pin.buyerIds.filter((b) => !ids.includes(b));
    }
    const pin = keyring.orgs[orgId];
    pin.buyerIds = [...new Set([...(pin.buyerIds ?? []), ...ids])];
  };
}

/** Whether remembering these identifiers would change the keyring (saves a write when it would not). */
export function knowsBuyerIds(keyring: Keyring, orgId: string, ids: readonly string[]): boolean {
  return ids.every((id) => keyring.orgs[orgId]?.buyerIds?.includes(id)) && rememberedCustomer(keyring, ids)?.orgId === orgId;
}
