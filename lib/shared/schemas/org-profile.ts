import { z } from 'zod';
import { isValidIban, normalizeIban } from '../iban';
import { base64url } from './common';

const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

/**
 * The organization profile as members' browsers seal it (lib/crypto/org-profile.ts): the supplier's
 * own details that every new invoice starts from. Never seen by the server.
 */
export const orgProfileSchema = z.object({
  v: z.literal(1),
  name: text(200).min(1, 'validation.legal_name'),
  address: z.object({ street: text(200), postalCode: text(20), city: text(100), country: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, 'validation.country') }),
  vatId: text(32),
  payeeName: text(70),
  iban: z.string().transform(normalizeIban).refine((v) => v === '' || isValidIban(v), 'validation.iban'),
  bic: z.string().trim().toUpperCase().refine((v) => v === '' || /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(v), 'validation.bic'),
  /** Days from the issue date to the due date. */
  paymentTermsDays: z.coerce.number({ error: 'validation.days' }).int('validation.whole_days').min(0, 'validation.days_range').max(365, 'validation.days_range'),
});
export type OrgProfile = z.infer<typeof orgProfileSchema>;

/** A sealed profile is a few hundred bytes; 16 KiB leaves room without inviting blobs. */
const sealedProfile = base64url(16 * 1024).min(40);

/** GET /api/orgs/:id/profile. `profile` is null before anyone saved one. */
export interface OrgProfileDto {
  profile: { keyVersion: number; revision: number; sealedProfile: string; updatedAt: string } | null;
  /** The org's current key version: a profile sealed under an older one must be saved again. */
  currentKeyVersion: number;
}

/** PUT /api/orgs/:id/profile: the next revision, sealed under the org's current key version. */
export const putOrgProfileRequestSchema = z.object({
  keyVersion: z.number().int().positive(),
  revision: z.number().int().positive(),
  sealedProfile,
});
export type PutOrgProfileRequest = z.infer<typeof putOrgProfileRequestSchema>;
