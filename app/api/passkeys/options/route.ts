import { json, route } from '@/lib/server/http';
import { beginAddPasskey } from '@/lib/server/passkeys';
import { requireSession } from '@/lib/server/sessions';

export const POST = route(async () => json(await beginAddPasskey(await requireSession())));
