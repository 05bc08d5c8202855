import 'server-only';
import { env } from './env';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured server log, one JSON object per line. Callers pass ids, codes and counts only:
 * request bodies are never logged, so no ciphertext or client-supplied text lands here.
 */
export function log(level: Level, event: string, fields: Record<string, string | number | boolean | null | undefined> = {}): void {
  if (ORDER[level] < ORDER[env().LOG_LEVEL]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}
