import 'server-only';
import { and, eq, or } from 'drizzle-orm';
import { memberships, orgFormerMembers, users } from '@/lib/db/schema';
import type { SignerDto } from '@/lib/shared/invoice-dto';
import { db } from './db';

type Table = typeof memberships | typeof orgFormerMembers;

async function certificatesIn(table: Table, pairs: [string, string][]): Promise<SignerDto[]> {
  if (!pairs.length) return [];
  const rows = await db()
    .select({ userId: table.userId, orgId: table.orgId, displayName: users.displayName, certificate: table.certificate, certificateSignature: table.certificateSignature })
    .from(table)
    .innerJoin(users, eq(users.id, table.userId))
    .where(or(...pairs.map(([userId, orgId]) => and(eq(table.userId, userId), eq(table.orgId, orgId)))));
  return rows.map((r) => ({ ...r, signingPublicKey: typeof r.certificate.userSigningKey === 'string' ? r.certificate.userSigningKey : '' }));
}

/**
 * The membership certificates of the users who signed invoices or events for an org, keyed
 * `userId|orgId`: a member's current one, else a former member's, which says until when it was a
 * member (DESIGN §3.3). Readers check them against the org's key; the server only looks them up.
 */
export async function signerCertificates(keys: Iterable<string>): Promise<Record<string, SignerDto>> {
  const pairs = [...new Set(keys)].map((key) => key.split('|') as [string, string]);
  const signers: Record<string, SignerDto> = {};
  for (const s of await certificatesIn(memberships, pairs)) signers[`${s.userId}|${s.orgId}`] = s;
  const rest = pairs.filter(([userId, orgId]) => !signers[`${userId}|${orgId}`]);
  for (const s of await certificatesIn(orgFormerMembers, rest)) signers[`${s.userId}|${s.orgId}`] = s;
  return signers;
}
