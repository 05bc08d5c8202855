import { z } from 'zod';
import { ORG_ROLES } from '../roles';
import { base64url } from './common';
import { signedChainLinkSchema } from './org';

// Messages are catalog keys (lib/shared/i18n/messages): the page shows them in the reader's language.
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('validation.email').max(254));
export const displayNameSchema = z.string().trim().min(1, 'validation.name_required').max(100, 'validation.max_100');
export const orgNameSchema = z.string().trim().min(1, 'validation.org_name_required').max(120, 'validation.max_120');
export const passkeyNameSchema = z.string().trim().min(1, 'validation.passkey_name_required').max(60, 'validation.max_60');

const extensionResultsSchema = z
  .object({
    // The PRF output must never be sent: the browser strips `results` before posting.
    prf: z.object({ enabled: z.boolean().optional(), results: z.never().optional() }).optional(),
  })
  .loose();

export const registrationResponseSchema = z.object({
  id: base64url(1024),
  rawId: base64url(1024),
  type: z.literal('public-key'),
  response: z
    .object({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(16384),
      transports: z.array(z.string().max(32)).max(10).optional(),
    })
    .loose(),
  authenticatorAttachment: z.string().max(32).optional(),
  clientExtensionResults: extensionResultsSchema,
});
export type RegistrationResponse = z.infer<typeof registrationResponseSchema>;

export const authenticationResponseSchema = z.object({
  id: base64url(1024),
  rawId: base64url(1024),
  type: z.literal('public-key'),
  response: z
    .object({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(4096),
      signature: base64url(1024),
      userHandle: base64url(128).optional(),
    })
    .loose(),
  authenticatorAttachment: z.string().max(32).optional(),
  clientExtensionResults: extensionResultsSchema,
});
export type AuthenticationResponse = z.infer<typeof authenticationResponseSchema>;

const publicKey = base64url(32).length(43, 'must be a 32-byte key');
const sealed = base64url(4096).min(40);

export const membershipCertificateSchema = z.object({
  v: z.literal(1),
  orgId: z.uuid(),
  userId: z.uuid(),
  userSigningKey: publicKey,
  userEncryptionKey: publicKey,
  role: z.enum(ORG_ROLES),
  version: z.number().int().positive(),
  issuedAt: z.iso.datetime(),
});

/** Everything the browser made at sign-up: public keys and sealed blobs, never a secret. */
export const signUpKeysSchema = z.object({
  user: z.object({ encryptionPublicKey: publicKey, signingPublicKey: publicKey, wrappedPrivateKeys: sealed }),
  passkeyWrappedAccountKey: sealed.optional(),
  recoveryWrappedAccountKey: sealed,
  recoveryAuthHash: base64url(32).length(43),
  /** The first keyring (format v2, version 1), sealed under AK: an account never exists without one (DESIGN §3.4). */
  keyring: sealed,
  /** The new account's own organization; absent for a sign-up from an org invitation, which creates none (DESIGN §3.3). */
  org: z.object({
    encryptionPublicKey: publicKey,
    signingPublicKey: publicKey,
    wrappedPrivateKeys: sealed,
    sealedOrgSecret: sealed,
    certificate: membershipCertificateSchema,
    certificateSignature: base64url(64).length(86),
    /** The membership chain's `create` link, signed by the user and by the new org key. */
    chain: signedChainLinkSchema,
  }).optional(),
});
export type SignUpKeys = z.infer<typeof signUpKeysSchema>;

/** A sign-up invitation token (from the link's fragment), needed while registration is by invitation. */
const invitationToken = base64url(64).min(20).optional();
/**
 * A sign-up names its own organization, or the org invitation it follows (the join page): then the
 * account gets no organization of its own and waits for that org to confirm it; or the claim link
 * it follows (the guest view, DESIGN §11), with the proof of the link's secret: then the account
 * gets no organization of its own and claims that provisional one right after.
 */
export const signUpOptionsRequestSchema = z
  .object({
    displayName: displayNameSchema,
    email: emailSchema,
    orgName: orgNameSchema.optional(),
    joinInviteId: z.uuid().optional(),
    claim: z.object({ orgId: z.uuid(), claimAuth: base64url(32).length(43, 'must be 32 bytes') }).optional(),
    invitation: invitationToken,
  })
  .refine((input) => [input.orgName, input.joinInviteId, input.claim].filter((v) => v !== undefined).length === 1, { path: ['orgName'], message: 'validation.org_name_required' });
export type SignUpOptionsRequest = z.infer<typeof signUpOptionsRequestSchema>;
export const signUpVerifyRequestSchema = z.object({ response: registrationResponseSchema, passkeyName: passkeyNameSchema, keys: signUpKeysSchema, invitation: invitationToken });

export const signInVerifyRequestSchema = z.object({ response: authenticationResponseSchema });
export const reauthOptionsRequestSchema = z.object({ credentialId: base64url(1024).optional() });
export const reauthVerifyRequestSchema = z.object({ response: authenticationResponseSchema, wrappedAccountKey: sealed.optional() });

export const addPasskeyRequestSchema = z.object({ response: registrationResponseSchema, name: passkeyNameSchema, wrappedAccountKey: sealed.optional() });
export const renamePasskeyRequestSchema = z.object({ name: passkeyNameSchema });

export const recoveryStartRequestSchema = z.object({ email: emailSchema, recoveryAuth: base64url(32).length(43) });
export const recoveryFinishRequestSchema = z.object({ response: registrationResponseSchema, name: passkeyNameSchema, wrappedAccountKey: sealed.optional() });
export const rotateRecoveryKeyRequestSchema = z.object({ recoveryWrappedAccountKey: sealed, recoveryAuthHash: base64url(32).length(43) });

export const adminSetupOptionsRequestSchema = z.object({ token: base64url(64).min(20), displayName: displayNameSchema, email: emailSchema });
export const adminSetupVerifyRequestSchema = z.object({ token: base64url(64).min(20), response: registrationResponseSchema, passkeyName: passkeyNameSchema });

/** What an unlocking browser needs: public keys and sealed blobs for the user and each org. */
export const keyBundleSchema = z.object({
  userId: z.uuid(),
  user: z.object({ encryptionPublicKey: z.string(), signingPublicKey: z.string(), wrappedPrivateKeys: z.string() }),
  recoveryWrappedAccountKey: z.string(),
  organizations: z.array(
    z.object({
      orgId: z.uuid(),
      name: z.string(),
      handle: z.string(),
      role: z.enum(ORG_ROLES),
      keyVersion: z.number().int(),
      encryptionPublicKey: z.string(),
      signingPublicKey: z.string(),
      wrappedPrivateKeys: z.string(),
      sealedOrgSecret: z.string(),
      certificate: membershipCertificateSchema,
      certificateSignature: z.string(),
    }),
  ),
});
export type KeyBundle = z.infer<typeof keyBundleSchema>;

export const passkeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  backedUp: z.boolean(),
  multiDevice: z.boolean(),
  canUnlock: z.boolean(),
  current: z.boolean(),
});
export type PasskeySummary = z.infer<typeof passkeySummarySchema>;
