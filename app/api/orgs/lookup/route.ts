import { z } from 'zod';
import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { findOrgByHandle } from '@/lib/server/orgs';
import { enforceRateLimit } from '@/lib/server/rate-limit';
import { requireMemberSession } from '@/lib/server/sessions';

const handleSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9-]{3,64}$/, 'Not an organization handle.');

export const GET = route(async (request) => {
  const session = await requireMemberSession();
  // Bounded per user, so handles cannot be guessed at speed.
  await enforceRateLimit(`org-lookup:${session.userId}`, 60);
  const parsed = handleSchema.safeParse(new URL(request.url).searchParams.get('handle') ?? '');
  if (!parsed.success) throw new AppError('bad_request', 'handle_invalid');
  const org = await findOrgByHandle(parsed.data);
  if (!org) throw new AppError('not_found', 'handle_not_found');
  return json(org);
});
