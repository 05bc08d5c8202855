import 'server-only';
import { recordAudit } from './audit';
import { env } from './env';
import { AppError } from './errors';
import { requestContext, route, type RequestContext, type RouteOptions } from './http';
import { enforceRateLimit } from './rate-limit';
import { currentRequestScope } from './request-scope';
import { currentSession } from './sessions';

/**
 * A route handler for an authentication endpoint: rate-limited per client address and action,
 * and every refusal is written to the audit log with its error code.
 */
export function authRoute<P = Record<string, never>>(
  action: string,
  handler: (request: Request, context: RequestContext, params: P) => Promise<Response>,
  options: RouteOptions = {},
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return route<P>(async (request, { params }) => {
    const context = requestContext(request);
    try {
      await enforceRateLimit(`auth:${action}:${context.ip ?? 'unknown'}`, env().AUTH_RATE_LIMIT_PER_MINUTE);
      return await handler(request, context, await params);
    } catch (error) {
      if (error instanceof AppError) {
        const actor = await currentSession().catch(() => null);
        const credentialId = currentRequestScope()?.knownCredentialId ?? null;
        await recordAudit({ action, outcome: 'failure', reason: error.code, actorUserId: actor?.userId ?? null, credentialId }, context).catch(() => {});
      }
      throw error;
    }
  }, options);
}

