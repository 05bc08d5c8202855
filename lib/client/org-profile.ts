import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '@/lib/crypto/encoding';
import { openOrgProfile, sealOrgProfile } from '@/lib/crypto/org-profile';
import { orgProfileSchema, type OrgProfile, type OrgProfileDto } from '@/lib/shared/schemas/org-profile';
import type { UnlockedOrg } from './account';
import { api } from './api';

export interface LoadedOrgProfile {
  /** The decrypted profile, or null when none was saved or it cannot be used (see `state`). */
  profile: OrgProfile | null;
  /** The stored revision; the next save is revision + 1. */
  revision: number;
  /**
   * `none`: never saved; `ok`; `rekeyed`: sealed under an older key version (the org's keys were
   * rotated), so it must be entered and saved again; `unreadable`: it does not open or parse —
   * altered or made up by the server — and is not used.
   */
  state: 'none' | 'ok' | 'rekeyed' | 'unreadable';
}

/** Fetches and opens the org's sealed profile; never trusts one that does not open under the org's key. */
export async function loadOrgProfile(org: UnlockedOrg): Promise<LoadedOrgProfile> {
  const dto = await api<OrgProfileDto>(`/api/orgs/${org.orgId}/profile`);
  if (!dto.profile) return { profile: null, revision: 0, state: 'none' };
  const { keyVersion, revision, sealedProfile } = dto.profile;
  if (keyVersion !== org.keyVersion) return { profile: null, revision, state: 'rekeyed' };
  try {
    const plaintext = await openOrgProfile(org.profileKey, fromBase64Url(sealedProfile), { orgId: org.orgId, keyVersion, revision });
    const parsed = orgProfileSchema.safeParse(JSON.parse(utf8Decode(plaintext)));
    return parsed.success ? { profile: parsed.data, revision, state: 'ok' } : { profile: null, revision, state: 'unreadable' };
  } catch {
    return { profile: null, revision, state: 'unreadable' };
  }
}

/** Seals and stores the profile as the next revision after `revision`; answers the new revision. */
export async function saveOrgProfile(org: UnlockedOrg, profile: OrgProfile, revision: number): Promise<number> {
  const next = revision + 1;
  const sealed = await sealOrgProfile(org.profileKey, utf8Encode(JSON.stringify(orgProfileSchema.parse(profile))), { orgId: org.orgId, keyVersion: org.keyVersion, revision: next });
  await api(`/api/orgs/${org.orgId}/profile`, { method: 'PUT', body: { keyVersion: org.keyVersion, revision: next, sealedProfile: toBase64Url(sealed) } });
  return next;
}

/** The due date for an issue date (YYYY-MM-DD) under payment terms of `days`, in calendar days. */
export function dueDateFor(issueDate: string, days: number): string {
  const date = new Date(`${issueDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return '';
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
