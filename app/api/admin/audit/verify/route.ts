import { verifyAuditChainAsAdmin } from '@/lib/server/admin/audit';
import { json, requestContext, route } from '@/lib/server/http';

export const POST = route(async (request) => json(await verifyAuditChainAsAdmin(requestContext(request))));
