import { json, route } from '@/lib/server/http';
import { checkReadiness } from '@/lib/server/operations';

export const dynamic = 'force-dynamic';

/**
 * Readiness: 200 when the database and the blob store both answer, 503 when either does not or
 * when the instance is shutting down (a load balancer then stops sending it requests). The body
 * names which check failed and nothing more; the cause goes to the server log.
 */
export const GET = route(async () => {
  const readiness = await checkReadiness();
  return json(readiness, { status: readiness.status === 'ready' ? 200 : 503 });
});
