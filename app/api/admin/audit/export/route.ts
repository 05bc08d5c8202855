import { exportAuditLogAsAdmin } from '@/lib/server/admin/audit';
import { requestContext, route } from '@/lib/server/http';

export const GET = route(async (request) => {
  const lines = await exportAuditLogAsAdmin(requestContext(request));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const name = `zkinvoice-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}Z.jsonl`;
  return new Response(body, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
  });
});
