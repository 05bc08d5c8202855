import 'server-only';
import type { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';
import { env } from './env';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | null | undefined>;

/** Keys never written whatever a caller passes (scripts/observability.mjs lists the same). */
const REDACTED_KEYS = ['authorization', 'cookie', 'set-cookie', 'token', 'secret', 'password', 'params', 'body', 'sealedDek', 'wrappedDek', 'prf'];

const shared = globalThis as unknown as { zkinvoiceRequests?: AsyncLocalStorage<{ requestId?: string }>; zkinvoiceAppLogger?: Logger };

/**
 * Structured server log (pino), one JSON object per line with an ISO time, the level as a word,
 * the process id and — while serving a request — the request id that scripts/server.mjs gave it
 * (also sent to the client as X-Request-Id). Callers pass ids, codes and counts only: request
 * bodies are never logged, so no ciphertext, plaintext or client-supplied text lands here.
 */
function logger(): Logger {
  shared.zkinvoiceAppLogger ??= pino({
    level: env().LOG_LEVEL,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const requestId = shared.zkinvoiceRequests?.getStore()?.requestId;
      return requestId ? { requestId } : {};
    },
    redact: { paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
  });
  return shared.zkinvoiceAppLogger;
}

export function log(level: Level, event: string, fields: Fields = {}): void {
  logger()[level]({ ...fields, event });
}
