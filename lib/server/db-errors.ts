import 'server-only';

/**
 * What the log may say about an unexpected error. drizzle wraps driver errors in a message that
 * quotes the statement and every bound parameter ("Failed query: … params: …"), and PostgreSQL's
 * own messages quote offending values (`invalid input syntax for type uuid: "…"`). Neither may
 * reach the log (DESIGN §9): it keeps the error's class, the SQLSTATE code and the message with
 * every quoted value cut out.
 */
export function describeFailure(error: unknown): { cause: string; code?: string } {
  const inner = isDrizzleQueryError(error) ? error.cause : error;
  if (!(inner instanceof Error)) return { cause: isDrizzleQueryError(error) ? 'DrizzleQueryError' : typeof inner };
  const code = (inner as { code?: unknown }).code;
  const message = redactQuoted(inner.message.split('\n')[0]!.replace(/^Failed query:.*/s, 'Failed query'));
  return { cause: `${inner.name}: ${message}`.slice(0, 300), ...(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? { code } : {}) };
}

function isDrizzleQueryError(error: unknown): error is Error & { cause: unknown } {
  return error instanceof Error && (error.constructor.name === 'DrizzleQueryError' || error.message.startsWith('Failed query:'));
}

/** Replaces "…" and '…' literals, the way PostgreSQL quotes values and identifiers, by ‹…›. */
export function redactQuoted(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '‹…›');
}
