import { z } from 'zod';
import { ORG_ROLES } from '../roles';
import { base64url } from './common';

/**
 * Org membership APIs (DESIGN §3.3). Links, acceptances and certificates are checked in full by
 * the server with lib/crypto/org (replay); these schemas only bound their size and shape, so a
 * malformed one is a 400, never a crash.
 */
const publicKey = base64url(32).length(43, 'must be a 32-byte key');
const signature = base64url(64).length(86, 'must be a 64-byte signature');
const sealed = base64url(4096).min(40);
export const orgRoleSchema = z.enum(ORG_ROLES);

export const signedChainLinkSchema = z.object({
  link: z.object({
    v: z.literal(1),
    orgId: z.uuid(),
    seq: z.number().int().min(0),
    prevHash: publicKey,
    type: z.enum(['create', 'invite', 'revoke-invite', 'add', 'role', 'remove', 'rotate', 'provisional', 'claim']),
    body: z.record(z.string(), z.unknown()),
    signerUserId: z.uuid(),
    signerKeyId: base64url(16),
    createdAt: z.iso.datetime(),
  }),
  signature,
  orgSignature: signature.nullable().optional(),
});
export type SignedChainLinkDto = z.infer<typeof signedChainLinkSchema>;

export const memberCertificateSchema = z.object({
  v: z.literal(1),
  orgId: z.uuid(),
  userId: z.uuid(),
  userSigningKey: publicKey,
  userEncryptionKey: publicKey,
  role: orgRoleSchema,
  version: z.number().int().positive(),
  issuedAt: z.iso.datetime(),
  /** Only on a former member's certificate: the time of its `remove` link. */
  removedAt: z.iso.datetime().optional(),
});

/**
 * One append: the links (a `remove` always with its `rotate`), and what they need stored with
 * them in the same transaction — OS grants for new members or a new epoch, certificates signed by
 * the org key, and for a rotation the new epoch's sealed private keys and epoch-chain link.
 */
export const appendChainRequestSchema = z.object({
  links: z.array(signedChainLinkSchema).min(1).max(2),
  grants: z.array(z.object({ userId: z.uuid(), epoch: z.number().int().positive(), sealedOrgSecret: sealed })).max(500).default([]),
  certificates: z.array(z.object({ certificate: memberCertificateSchema, certificateSignature: signature })).max(500).default([]),
  rotation: z.object({ wrappedPrivateKeys: sealed, wrappedPreviousSecret: sealed }).optional(),
});
export type AppendChainRequest = z.infer<typeof appendChainRequestSchema>;

export const acceptanceSchema = z.object({
  v: z.literal(1),
  orgId: z.uuid(),
  inviteId: z.uuid(),
  userId: z.uuid(),
  userSigningKey: publicKey,
  userEncryptionKey: publicKey,
  createdAt: z.iso.datetime(),
});
export const acceptInvitationRequestSchema = z.object({ acceptance: acceptanceSchema, inviteSignature: signature, userSignature: signature });
export type AcceptInvitationRequest = z.infer<typeof acceptInvitationRequestSchema>;

export const setActiveOrgRequestSchema = z.object({ orgId: z.uuid() });

/** What the join page may know before the invitee signs in: the org's name, the role, the state. */
export interface InvitationDto {
  inviteId: string;
  orgId: string;
  orgName: string;
  role: z.infer<typeof orgRoleSchema>;
  invitePublicKey: string;
  expiresAt: string;
  state: 'open' | 'expired' | 'revoked' | 'used';
  /** The signed-in user's own acceptance of it, if any, and whether it became a membership. */
  accepted: boolean;
  member: boolean;
}

export interface MemberDto {
  userId: string;
  displayName: string;
  email: string;
  role: z.infer<typeof orgRoleSchema>;
  joinedAt: string;
  signingPublicKey: string;
  encryptionPublicKey: string;
}

export interface PendingInvitationDto {
  inviteId: string;
  role: z.infer<typeof orgRoleSchema>;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  expiresAt: string;
}

export interface PendingAcceptanceDto extends AcceptInvitationRequest {
  displayName: string;
  email: string;
  /** The invitee's keys as the server publishes them; the client compares them with the acceptance. */
  signingPublicKey: string;
  encryptionPublicKey: string;
}

export interface OrgEpochDto {
  epoch: number;
  encryptionPublicKey: string;
  signingPublicKey: string;
  wrappedPrivateKeys: string;
  wrappedPreviousSecret: string | null;
}

/** Everything a member's client needs to replay the chain, audit grants and manage members. */
export interface OrgMembersDto {
  orgId: string;
  name: string;
  currentEpoch: number;
  chain: SignedChainLinkDto[];
  members: MemberDto[];
  invitations: PendingInvitationDto[];
  acceptances: PendingAcceptanceDto[];
  /** Which users the server holds a sealed OS for in the current epoch (the box audit). */
  grantHolders: string[];
}
