import canonicalize from 'canonicalize';
import { domainLabel } from '../domain';
import { fromBase64Url, toBase64Url, utf8Encode, type Bytes } from '../encoding';
import { signWithContext, verifyWithContext } from '../sign';

/**
 * Key succession (DESIGN §3.3): a new epoch's public keys, signed by the previous epoch's org
 * signing key. A counterparty whose pin names an older epoch follows a chain of these without a
 * warning; a key change no record explains stays the blocking warning of §5.
 */
export interface SuccessionRecord {
  v: 1;
  orgId: string;
  epoch: number;
  prevEpoch: number;
  encryptionPublicKey: string;
  signingPublicKey: string;
}

export interface SignedSuccession {
  record: SuccessionRecord;
  signature: string;
}

export const SUCCESSION_CONTEXT = domainLabel('org-succession');

export function canonicalSuccessionBytes(record: SuccessionRecord): Bytes {
  const json = canonicalize(record);
  if (json === undefined) throw new Error('succession record is not JSON-serializable');
  return utf8Encode(json);
}

export async function signSuccession(previousOrgSigningPrivateKey: CryptoKey, record: SuccessionRecord): Promise<string> {
  return toBase64Url(await signWithContext(previousOrgSigningPrivateKey, SUCCESSION_CONTEXT, canonicalSuccessionBytes(record)));
}

/** False for a tampered record, another version, or a malformed signature; never throws on data. */
export async function verifySuccession(previousSigningPublicKey: string, record: SuccessionRecord, signature: string): Promise<boolean> {
  if (record.v !== 1 || record.epoch !== record.prevEpoch + 1) return false;
  try {
    return await verifyWithContext(fromBase64Url(previousSigningPublicKey), SUCCESSION_CONTEXT, canonicalSuccessionBytes(record), fromBase64Url(signature));
  } catch {
    return false;
  }
}

export interface PinnedKeys {
  epoch: number;
  signingPublicKey: string;
  encryptionPublicKey: string;
}

/**
 * Follows succession records from a pinned epoch to the keys served now. Returns the records that
 * were followed (empty when the served keys are the pinned ones), or null when no unbroken chain of
 * valid records leads from the pin to the served keys: then the change is unexplained.
 */
export async function followSuccession(orgId: string, pin: PinnedKeys, served: PinnedKeys, records: SignedSuccession[]): Promise<SuccessionRecord[] | null> {
  const same = (a: PinnedKeys, b: PinnedKeys) => a.signingPublicKey === b.signingPublicKey && a.encryptionPublicKey === b.encryptionPublicKey;
  if (same(pin, served)) return pin.epoch === served.epoch || served.epoch === 0 ? [] : null;
  const byPrev = new Map<number, SignedSuccession>();
  for (const r of records) if (r.record.orgId === orgId && !byPrev.has(r.record.prevEpoch)) byPrev.set(r.record.prevEpoch, r);
  const followed: SuccessionRecord[] = [];
  let current = pin;
  while (current.epoch < served.epoch) {
    const next = byPrev.get(current.epoch);
    if (!next || !(await verifySuccession(current.signingPublicKey, next.record, next.signature))) return null;
    followed.push(next.record);
    current = { epoch: next.record.epoch, signingPublicKey: next.record.signingPublicKey, encryptionPublicKey: next.record.encryptionPublicKey };
  }
  return same(current, served) && current.epoch === served.epoch ? followed : null;
}
