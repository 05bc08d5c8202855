import { env } from '@/lib/server/env';
import { json, route } from '@/lib/server/http';

/** Public limits the browser checks before it encrypts or sends anything. */
export const GET = route(async () => json({ maxDocumentBytes: env().MAX_DOCUMENT_BYTES }));
