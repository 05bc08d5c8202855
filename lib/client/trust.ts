import 'client-only';

import { certificateCovers, verifyMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { fromBase64Url } from '@/lib/crypto/encoding';
import { followSuccession } from '@/lib/crypto/org/succession';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { orgFingerprint, type UnlockedOrg } from './account';
import { pinFor, pinOrg, pinState, type Keyring, type PaidIban, type PinState } from './keyring';
import type { Translate } from '@/lib/shared/i18n';

/**
 * The one place where this browser decides whom to trust (DESIGN §3.4, §5): whose signing key
 * speaks for an organization, whether a counterparty is pinned, new or changed, when a first
 * contact is pinned, whether a membership certificate holds, whether an organization looks like
 * another one it is not, and how an IBAN compares with every IBAN this user ever paid. Pages and
 * the list ask these functions; none decides on its own.
 */

/**
 * A membership certificate holds when the org's key signed it and it names the user and org
 * expected. With `signedAt` (what the holder signed says when), a former member's certificate holds
 * only for what it signed up to its removal; without, a former member's certificate never holds.
 */
export async function checkCertificate(
  orgSigningKey: Uint8Array,
  certificate: unknown,
  signature: string,
  expected: { userId: string; orgId: string; userSigningKey?: string; userEncryptionKey?: string; version?: number; signedAt?: string },
): Promise<boolean> {
  if (!certificate || typeof certificate !== 'object') return false;
  const cert = certificate as MembershipCertificate;
  if (cert.userId !== expected.userId || cert.orgId !== expected.orgId) return false;
  if (cert.removedAt !== undefined && (expected.signedAt === undefined || !certificateCovers(cert, expected.signedAt))) return false;
  if (expected.userSigningKey !== undefined && cert.userSigningKey !== expected.userSigningKey) return false;
  if (expected.userEncryptionKey !== undefined && cert.userEncryptionKey !== expected.userEncryptionKey) return false;
  if (expected.version !== undefined && cert.version !== expected.version) return false;
  try {
    return await verifyMembershipCertificate(orgSigningKey, cert, signature);
  } catch {
    return false;
  }
}

/**
 * The server's entry for an org, only if it is filed under the id it names: pins are looked up by
 * that id, so keys served under another id would escape the pin (and be pinned as a new org).
 */
export function servedOrg(orgs: Record<string, OrgPublicKeys | undefined>, orgId: string): OrgPublicKeys | undefined {
  const entry = orgs[orgId];
  return entry?.orgId === orgId ? entry : undefined;
}

/**
 * The signing key that speaks for an org: the own org's from the unlocked keys (proven at unlock),
 * a counterparty's from its pin, and only on first contact the one the server serves.
 */
export function trustedSigningKey(keyring: Keyring, orgId: string, served: OrgPublicKeys | undefined, ownOrg: UnlockedOrg | null): Uint8Array | null {
  if (ownOrg && ownOrg.orgId === orgId) return ownOrg.keys.signingPublicKey;
  const key = keyring.orgs[orgId]?.signingPublicKey ?? served?.signingPublicKey;
  return key ? fromBase64Url(key) : null;
}

/** How a counterparty's served keys compare with its pin; the own org is always 'pinned'. */
export function counterpartyPin(keyring: Keyring, org: OrgPublicKeys, isOwnOrg: boolean): PinState {
  return isOwnOrg ? 'pinned' : pinState(keyring, org);
}

export interface Counterparty {
  org: OrgPublicKeys;
  fingerprint: string;
}

/**
 * Trust on first use: a keyring change that pins each of these orgs still new in the keyring it
 * is applied to (a concurrent tab may have pinned one meanwhile; a changed key is never re-pinned here).
 */
export function pinFirstContacts(counterparties: Counterparty[]): (keyring: Keyring) => void {
  return (keyring) => {
    for (const { org, fingerprint } of counterparties) if (pinState(keyring, org) === 'new') pinOrg(keyring, org, fingerprint);
  };
}

// ---- Key succession ---------------------------------------------------------------------------

/** A pinned counterparty whose new keys a chain of succession records explains (DESIGN §3.3). */
export interface FollowedRotation {
  org: OrgPublicKeys;
  fingerprint: string;
  fromEpoch: number;
}

/**
 * The pinned counterparties among `orgs` whose served keys differ from the pin only because they
 * rotated: every step from the pinned epoch to the served one is a succession record signed by the
 * previous epoch's org signing key. A key change no such chain explains is not returned and stays
 * 'changed', the blocking warning of §5. A pin without an epoch (made before rotations existed, or
 * by an older client) is placed by its keys among the records, else taken as epoch 1.
 */
export async function followRotations(keyring: Keyring, orgs: (OrgPublicKeys | undefined)[]): Promise<FollowedRotation[]> {
  const followed: FollowedRotation[] = [];
  const seen = new Set<string>();
  for (const org of orgs) {
    if (!org || seen.has(org.orgId) || !org.successions?.length) continue;
    seen.add(org.orgId);
    const pin = keyring.orgs[org.orgId];
    if (!pin || pinState(keyring, org) !== 'changed') continue;
    const placed = org.successions.find((s) => s.record.signingPublicKey === pin.signingPublicKey && s.record.encryptionPublicKey === pin.encryptionPublicKey)?.record.epoch;
    const fromEpoch = pin.epoch ?? placed ?? 1;
    const steps = await followSuccession(
      org.orgId,
      { epoch: fromEpoch, signingPublicKey: pin.signingPublicKey, encryptionPublicKey: pin.encryptionPublicKey },
      { epoch: org.keyVersion, signingPublicKey: org.signingPublicKey, encryptionPublicKey: org.encryptionPublicKey },
      org.successions,
    );
    if (!steps?.length) continue;
    followed.push({ org, fromEpoch, fingerprint: await orgFingerprint(org.orgId, fromBase64Url(org.signingPublicKey), fromBase64Url(org.encryptionPublicKey)) });
  }
  return followed;
}

/** Moves each pin to the keys it was followed to, and remembers the rotation; idempotent. */
export function applyRotations(rotations: FollowedRotation[]): (keyring: Keyring) => void {
  return (keyring) => {
    for (const { org, fingerprint, fromEpoch } of rotations) {
      const pin = keyring.orgs[org.orgId];
      if (!pin || pinState(keyring, org) !== 'changed') continue;
      keyring.orgs[org.orgId] = {
        ...pin,
        signingPublicKey: org.signingPublicKey,
        encryptionPublicKey: org.encryptionPublicKey,
        fingerprint,
        epoch: org.keyVersion,
        rotations: [...(pin.rotations ?? []), { fromEpoch, epoch: org.keyVersion, at: new Date().toISOString() }],
      };
    }
  };
}

/**
 * Before pins are compared: follows the rotations of pinned counterparties among `orgs` and saves
 * them in the keyring, so what follows sees the new keys as pinned. Returns the orgs followed.
 */
export async function followKeyRotations(
  orgs: (OrgPublicKeys | undefined)[],
  current: () => Keyring,
  updateKeyring: (change: (keyring: Keyring) => void) => Promise<Keyring>,
): Promise<FollowedRotation[]> {
  const rotations = await followRotations(current(), orgs);
  if (rotations.length) await updateKeyring(applyRotations(rotations));
  return rotations;
}

/** After the user compared the new safety number and accepted it explicitly. */
export function acceptNewKeys({ org, fingerprint }: Counterparty): (keyring: Keyring) => void {
  return (keyring) => pinOrg(keyring, org, fingerprint);
}

/** The pinned fingerprint a changed key is compared with. */
export function pinnedFingerprint(keyring: Keyring, org: { orgId: string; handle: string }): string | undefined {
  return pinFor(keyring, org)?.pin.fingerprint;
}

// ---- Impostors -------------------------------------------------------------------------------

/** Names compare without case, spacing or punctuation: "ACME GmbH." looks like "Acme  GmbH". */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** How an org presents itself on one verified invoice: what an impostor would copy. */
export interface SeenIdentity {
  vatIds: string[];
  payeeNames: string[];
}

export interface Lookalike {
  orgId: string;
  name: string;
  /** What matched: the organization name, a VAT id or a payee name. */
  reasons: ('name' | 'vat-id' | 'payee-name')[];
}

/**
 * Pinned orgs, under another id, that this org looks like (DESIGN §3.4): same name, VAT id or payee
 * name. Only orgs pinned before this one count, so the supplier known first is not flagged as
 * looking like the impostor that came later, while the impostor stays flagged after its own pin.
 */
export function findLookalikes(keyring: Keyring, org: { orgId: string; name: string }, seen: SeenIdentity = { vatIds: [], payeeNames: [] }): Lookalike[] {
  const own = keyring.orgs[org.orgId];
  const names = new Set([org.name, ...seen.payeeNames, ...(own?.payeeNames ?? [])].map(normalizeName).filter(Boolean));
  const vatIds = new Set([...seen.vatIds, ...(own?.vatIds ?? [])].map(normalizeName).filter(Boolean));
  const found: Lookalike[] = [];
  for (const [orgId, pin] of Object.entries(keyring.orgs)) {
    if (orgId === org.orgId || (own && pin.pinnedAt > own.pinnedAt)) continue;
    const reasons: Lookalike['reasons'] = [];
    if (names.has(normalizeName(pin.name))) reasons.push('name');
    if (pin.vatIds.some((v) => vatIds.has(normalizeName(v)))) reasons.push('vat-id');
    if (pin.payeeNames.some((p) => names.has(normalizeName(p)))) reasons.push('payee-name');
    if (reasons.length) found.push({ orgId, name: pin.name, reasons });
  }
  return found;
}

/** Why an org looks like one pinned before, in the reader's language. */
export function describeLookalike(org: { name: string }, lookalike: Lookalike, t: Translate): string {
  const what = lookalike.reasons.map((r) => t(`lookalike.what.${r}`)).join(t('lookalike.and'));
  return t('lookalike.text', { org: org.name, other: lookalike.name, what });
}

/** Adds what a pinned org was seen with on a verified invoice, when that is new to the pin. */
export function recordSeenIdentity(entries: { orgId: string; seen: SeenIdentity }[]): (keyring: Keyring) => void {
  return (keyring) => {
    for (const { orgId, seen } of entries) {
      const pin = keyring.orgs[orgId];
      if (!pin) continue;
      for (const vat of seen.vatIds) if (vat && !pin.vatIds.includes(vat)) pin.vatIds.push(vat);
      for (const payee of seen.payeeNames) if (payee && !pin.payeeNames.includes(payee)) pin.payeeNames.push(payee);
    }
  };
}

/** Whether recordSeenIdentity would change anything: the list and the invoice write only then. */
export function hasNewIdentity(keyring: Keyring, orgId: string, seen: SeenIdentity): boolean {
  const pin = keyring.orgs[orgId];
  return !!pin && (seen.vatIds.some((v) => v && !pin.vatIds.includes(v)) || seen.payeeNames.some((p) => p && !pin.payeeNames.includes(p)));
}

// ---- Payees ----------------------------------------------------------------------------------

/**
 * How an invoice's IBAN compares with every IBAN this user ever paid (DESIGN §3.4):
 * 'same' when it was paid to this org before, 'changed' when this org was paid but at another
 * IBAN, 'first' when this org was never paid. `otherOrgs` lists payments of this very IBAN to other
 * organizations, `lookalikes` the IBANs paid to the orgs this one looks like.
 */
export interface PayeeCheck {
  kind: 'same' | 'first' | 'changed';
  previous: PaidIban[];
  otherOrgs: PaidIban[];
  lookalikes: PaidIban[];
}

const newestFirst = (a: PaidIban, b: PaidIban) => b.paidAt.localeCompare(a.paidAt);

export function checkPayee(keyring: Keyring, orgId: string, iban: string, lookalikes: Lookalike[] = []): PayeeCheck {
  const toOrg = keyring.payees.filter((p) => p.orgId === orgId).sort(newestFirst);
  const otherOrgs = keyring.payees.filter((p) => p.iban === iban && p.orgId !== orgId).sort(newestFirst);
  const like = new Set(lookalikes.map((l) => l.orgId));
  const lookalikePaid = keyring.payees.filter((p) => like.has(p.orgId) && p.iban !== iban).sort(newestFirst);
  const kind = toOrg.some((p) => p.iban === iban) ? 'same' : toOrg.length ? 'changed' : 'first';
  return { kind, previous: toOrg.filter((p) => p.iban !== iban), otherOrgs, lookalikes: lookalikePaid };
}

/** Whether the payment details must wait for an explicit acknowledgement of a warning. */
export function payeeNeedsWarning(check: PayeeCheck): boolean {
  return check.kind === 'changed' || check.otherOrgs.length > 0 || check.lookalikes.length > 0;
}

/** Whether this user ever paid the org: until then it is a "new supplier — never paid". */
export function everPaid(keyring: Keyring, orgId: string): boolean {
  return keyring.payees.some((p) => p.orgId === orgId);
}

/** Remembers an IBAN paid to an org (every one, with when), in the keyring. */
export function rememberPayment(org: { orgId: string; name: string }, iban: string): (keyring: Keyring) => void {
  return (keyring) => {
    keyring.payees.push({ iban, orgId: org.orgId, orgName: org.name, paidAt: new Date().toISOString() });
  };
}
