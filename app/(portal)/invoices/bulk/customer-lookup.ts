'use client';

import { orgFingerprint } from '@/lib/client/account';
import { api } from '@/lib/client/api';
import { LocalizedError } from '@/lib/client/errors';
import type { Keyring } from '@/lib/client/keyring';
import { counterpartyPin, followKeyRotations, pinFirstContacts } from '@/lib/client/trust';
import { fromBase64Url } from '@/lib/crypto/encoding';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { provisionalHandle } from '@/lib/shared/schemas/claim';
import { orgPublicKeysSchema } from '@/lib/shared/schemas/responses';
import type { Recipient } from '../new/recipient-picker';

export interface KeyringAccess {
  current(): Keyring;
  updateKeyring(change: (keyring: Keyring) => void): Promise<Keyring>;
}

async function lookUp(handle: string): Promise<OrgPublicKeys> {
  const org = await api(`/api/orgs/lookup?handle=${encodeURIComponent(handle)}`, {}, orgPublicKeysSchema);
  // Pins are also found by handle, so the answer must be for the handle asked (as on New invoice).
  if (org.handle !== handle.toLowerCase()) throw new LocalizedError('recipient.other_org');
  return org;
}

/**
 * The customer the user names for an unknown buyer: found by handle, pinned on first contact (as
 * the recipient picker does), refused when its keys differ from the pin, since comparing safety
 * numbers is a decision for the New-invoice page, not for a queue. `change` is applied in the
 * same keyring write as the pin (the buyer's identifiers, remembered for it).
 */
export async function assignCustomer(handle: string, ownOrgId: string, keys: KeyringAccess, change: (keyring: Keyring, orgId: string) => void): Promise<Recipient> {
  const org = await lookUp(handle.trim());
  if (org.orgId === ownOrgId) throw new LocalizedError('recipient.own_org');
  const fingerprint = await orgFingerprint(org.orgId, fromBase64Url(org.signingPublicKey), fromBase64Url(org.encryptionPublicKey));
  await followKeyRotations([org], keys.current, keys.updateKeyring);
  if (counterpartyPin(keys.current(), org, false) === 'changed') throw new LocalizedError('bulk.keys_changed', { org: org.name });
  await keys.updateKeyring((keyring) => {
    pinFirstContacts([{ org, fingerprint }])(keyring);
    change(keyring, org.orgId);
  });
  return { org, fingerprint };
}

/**
 * A remembered customer's current keys, only if they are the pinned ones (or a rotation signed by
 * them, which is followed): the queue never sends to keys the user has not accepted.
 */
export async function pinnedCustomerKeys(orgId: string, pin: { handle: string; name: string }, keys: KeyringAccess): Promise<OrgPublicKeys> {
  // A customer reached by a claim link has no handle to look up (provisionalHandle); New invoice
  // lists those customers with their keys, so the queue points there instead of failing vaguely.
  if (pin.handle === provisionalHandle(orgId)) throw new LocalizedError('bulk.provisional_customer', { org: pin.name });
  const org = await lookUp(pin.handle);
  if (org.orgId !== orgId) throw new LocalizedError('bulk.other_org', { org: pin.name });
  await followKeyRotations([org], keys.current, keys.updateKeyring);
  if (counterpartyPin(keys.current(), org, false) !== 'pinned') throw new LocalizedError('bulk.keys_changed', { org: pin.name });
  return org;
}
