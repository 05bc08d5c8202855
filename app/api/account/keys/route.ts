import { keyBundle } from '@/lib/server/accounts';
import { json, route } from '@/lib/server/http';
import { requireSession } from '@/lib/server/sessions';

export const GET = route(async () => json(await keyBundle(await requireSession())));
