import { z } from 'zod';
import type { OrgPublicKeys } from '../invoice-dto';
import { orgNameSchema } from './auth';
import { base64url } from './common';
import { appendChainRequestSchema, signedChainLinkSchema, type OrgEpochDto, type SignedChainLinkDto } from './org';

/**
 * Provisional organizations and claim links (DESIGN §11). The server sees the customer's name as
 * the supplier typed it (as for any organization), public keys, the sealed keys, the SHA-256 of
 * claimAuth and the supplier's sealed note; never the claim secret, the address or the access code.
 */
const publicKey = base64url(32).length(43, 'must be a 32-byte key');
const sealed = base64url(4096).min(40);
/** claimAuth and its hash are 32 bytes. */
const digest = base64url(32).length(43, 'must be 32 bytes');

export const CLAIM_DEFAULT_DAYS = 30;

/**
 * An unclaimed org's handle: it cannot be typed into the handle lookup (`[a-z0-9-]`), so nobody
 * but its supplier addresses it; unique, so a pin found by handle is this org's. Claimed, it gets a real one.
 */
export function provisionalHandle(orgId: string): string {
  return `~${orgId}`;
}
export const CLAIM_MAX_DAYS = 90;

export const createProvisionalOrgRequestSchema = z.object({
  orgId: z.uuid(),
  name: orgNameSchema,
  keys: z.object({ encryptionPublicKey: publicKey, signingPublicKey: publicKey, wrappedPrivateKeys: sealed }),
  chain: signedChainLinkSchema,
  claimAuthHash: digest,
  sealedRecord: sealed,
  recordKeyVersion: z.number().int().positive(),
  expiresInDays: z.number().int().min(1).max(CLAIM_MAX_DAYS).default(CLAIM_DEFAULT_DAYS),
});
export type CreateProvisionalOrgRequest = z.infer<typeof createProvisionalOrgRequestSchema>;

/** The supplier revokes a link (for good), or renews an expired one for another period. */
export const updateProvisionalOrgRequestSchema = z.object({ action: z.enum(['revoke', 'renew']) });

export type ProvisionalState = 'open' | 'expired' | 'revoked' | 'claimed';

/** One of the supplier's provisional customers, with the sealed note that re-makes its link. */
export interface ProvisionalOrgDto {
  orgId: string;
  name: string;
  state: ProvisionalState;
  createdAt: string;
  expiresAt: string;
  claimedAt: string | null;
  sealedRecord: string;
  recordKeyVersion: number;
  /** The org's current public keys (after a claim, with succession records). */
  keys: OrgPublicKeys | null;
}

export const claimProofSchema = z.object({ claimAuth: digest });

/** What a guest holding the claim secret may open: the org's chain and epoch-1 keys, its supplier. */
export interface ClaimOpenDto {
  orgId: string;
  name: string;
  expiresAt: string;
  chain: SignedChainLinkDto[];
  epoch: OrgEpochDto;
  supplier: OrgPublicKeys;
  /** Every epoch's public keys of the supplier: the link names one of them by its safety number. */
  supplierEpochs: { epoch: number; signingPublicKey: string; encryptionPublicKey: string }[];
}

/** The claim: the proof of the secret, and `claim` + `rotate` with what they need (grant, certificate, keys). */
export const claimRequestSchema = appendChainRequestSchema.extend({ claimAuth: digest });
export type ClaimRequest = z.infer<typeof claimRequestSchema>;
