// The benchmarks seed through the e2e seeder (real envelopes made in Node, e2e/seeded-invoices.ts)
// on their own PostgreSQL connection.
import postgres from 'postgres';
import { seedInvoices as seed } from '@/e2e/seeded-invoices';

/** `count` real invoices from a new Node-only supplier to `customerHandle`'s org. */
export async function seedInvoices(databaseUrl: string, customerHandle: string, count: number, onProgress?: (done: number) => void): Promise<{ supplierOrgId: string; customerOrgId: string }> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const { supplierOrgId, customerOrgId } = await seed((text, params) => client.unsafe(text, params as never[]), customerHandle, count, { onProgress });
    return { supplierOrgId, customerOrgId };
  } finally {
    await client.end({ timeout: 5 });
  }
}
