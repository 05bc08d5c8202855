import 'server-only';
import { recordAudit } from './audit';
import { env } from './env';
import { AppError } from './errors';
import { requestContext, route, type RequestContext } from './http';
import { enforceRateLimit } from './rate-limit';
import { currentSession } from './sessions';

/**
 * A route handler for an authentication endpoint: rate-limited per client address and action,
 * and every refusal is written to the audit log with its error code.
 */
export function authRoute<P = Record<string, never>>(
  action: string,
  handler: (request: Request, context: RequestContext, params: P) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return route<P>(async (request, { params }) => {
    const context = requestContext(request);
    // Kept unread, so a refusal can name the credential the client presented.
    const copy = request.clone();
    try {
      await enforceRateLimit(`auth:${action}:${context.ip ?? 'unknown'}`, env().AUTH_RATE_LIMIT_PER_MINUTE);
      return await handler(request, context, await params);
    } catch (error) {
      if (error instanceof AppError) {
        const [actor, credentialId] = await Promise.all([currentSession().catch(() => null), presentedCredentialId(copy)]);
        await recordAudit({ action, outcome: 'failure', reason: error.code, actorUserId: actor?.userId ?? null, credentialId }, context).catch(() => {});
      }
      throw error;
    }
  });
}

/**
 * The credential id in a refused WebAuthn response body, if any. It is what the client claimed, not
 * verified, which is exactly what an investigator of failed sign-ins needs to see; ids longer than
 * a credential id can be, or not in base64url, are not recorded.
 */
async function presentedCredentialId(request: Request): Promise<string | null> {
  try {
    const body = (await request.json()) as { response?: { id?: unknown } } | null;
    const id = body?.response?.id;
    return typeof id === 'string' && id.length <= 1024 && /^[A-Za-z0-9_-]+$/.test(id) ? id : null;
  } catch {
    return null;
  }
}
