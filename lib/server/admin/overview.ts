import 'server-only';
import { sql } from 'drizzle-orm';
import { invoices, organizations, users } from '@/lib/db/schema';
import type { AdminOverviewDto } from '@/lib/shared/schemas/admin';
import { db } from '../db';
import { storageUsedSql } from '../quotas';
import { requireAdmin } from './access';

export const OVERVIEW_DAYS = 30;

/**
 * Counts per UTC day for the last OVERVIEW_DAYS days (today included, zeros filled in) of one
 * successful audit action: the log is the record of what happened, and it holds no content.
 */
async function dailyCounts(action: string): Promise<{ day: string; count: number }[]> {
  const result = await db().execute(sql`
    select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(c.n, 0)::int as count
      from generate_series(date_trunc('day', now() at time zone 'UTC') - make_interval(days => ${OVERVIEW_DAYS - 1}), date_trunc('day', now() at time zone 'UTC'), interval '1 day') as d(day)
      left join (
        select date_trunc('day', at at time zone 'UTC') as day, count(*) as n
          from audit_log
         where action = ${action} and outcome = 'success' and at >= now() - make_interval(days => ${OVERVIEW_DAYS + 1})
         group by 1
      ) c on c.day = d.day
     order by d.day`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { day: string; count: number | string }[];
  return rows.map((r) => ({ day: r.day, count: Number(r.count) }));
}

/** Instance-wide numbers for the admin overview: counts and sizes only. */
export async function getOverview(): Promise<AdminOverviewDto> {
  await requireAdmin();
  const [[people], [orgs], byStatus, [storage], signIns, uploadsPerDay] = await Promise.all([
    db()
      .select({
        users: sql<number>`count(*) filter (where not ${users.isPlatformAdmin} and ${users.deletedAt} is null)::int`,
        admins: sql<number>`count(*) filter (where ${users.isPlatformAdmin})::int`,
        disabled: sql<number>`count(*) filter (where ${users.disabledAt} is not null and ${users.deletedAt} is null)::int`,
        deleted: sql<number>`count(*) filter (where ${users.deletedAt} is not null)::int`,
      })
      .from(users),
    db()
      .select({ total: sql<number>`count(*)::int`, suspended: sql<number>`count(*) filter (where ${organizations.suspendedAt} is not null)::int` })
      .from(organizations),
    db().select({ status: invoices.status, n: sql<number>`count(*)::int` }).from(invoices).groupBy(invoices.status),
    db().select({ bytes: sql<number>`coalesce(sum(${storageUsedSql(sql.raw('organizations.id'))}), 0)::float8` }).from(organizations),
    dailyCounts('account.sign_in'),
    dailyCounts('invoice.uploaded'),
  ]);
  return {
    users: Number(people?.users ?? 0),
    admins: Number(people?.admins ?? 0),
    disabledUsers: Number(people?.disabled ?? 0),
    deletedUsers: Number(people?.deleted ?? 0),
    organizations: Number(orgs?.total ?? 0),
    suspendedOrganizations: Number(orgs?.suspended ?? 0),
    invoicesByStatus: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
    storageBytes: Number(storage?.bytes ?? 0),
    signInsPerDay: signIns,
    uploadsPerDay,
  };
}

