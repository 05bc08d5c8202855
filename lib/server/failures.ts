import 'server-only';

/**
 * What the log may say about an unexpected error (DESIGN §9). drizzle wraps driver errors in a
 * message that quotes the statement and every bound parameter ("Failed query: … params: …"),
 * PostgreSQL's own messages quote offending values (`invalid input syntax for type uuid: "…"`),
 * and its `detail` names the duplicated key. None of that may reach the log: this keeps the
 * error's class, its message with every quoted value cut out, the SQLSTATE, the driver's or the
 * system's error code (`CONNECTION_CLOSED`, `ENOSPC`), and the table and constraint names.
 */
export type ErrorDescription = {
  cause: string;
  sqlState?: string;
  code?: string;
  table?: string;
  constraint?: string;
};

export function describeError(error: unknown): ErrorDescription {
  const inner = driverError(error);
  if (!(inner instanceof Error)) return { cause: isDrizzleQueryError(error) ? 'DrizzleQueryError: Failed query' : typeof inner };
  const fields = inner as { code?: unknown; table?: unknown; table_name?: unknown; constraint?: unknown; constraint_name?: unknown };
  const message = redactQuoted(inner.message.split('\n')[0]!.replace(/^Failed query:.*/s, 'Failed query'));
  const name = (value: unknown) => (typeof value === 'string' && /^[\w.$-]{1,128}$/.test(value) ? value : undefined);
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  return withoutEmpty({
    cause: `${inner.name}: ${message}`.slice(0, 300),
    sqlState: code && SQLSTATE.test(code) ? code : undefined,
    code: code && !SQLSTATE.test(code) && /^[A-Z][A-Z0-9_]{2,40}$/.test(code) ? code : undefined,
    table: name(fields.table ?? fields.table_name),
    constraint: name(fields.constraint ?? fields.constraint_name),
  });
}

/**
 * The database could not be reached or dropped the connection (PostgreSQL terminated the backend,
 * restarted, or the network failed). The request's transaction was rolled back or never started,
 * unless the connection dropped after COMMIT reached the server; every write the client retries
 * is idempotent, so "try again" is the right answer either way.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = errorCode(driverError(error));
  if (!code) return false;
  if (SQLSTATE.test(code)) return code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code);
  return ['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code);
}

/** The disk under the blob store or the database is full (ENOSPC, a quota, SQLSTATE 53100). */
export function isStorageFull(error: unknown): boolean {
  const code = errorCode(driverError(error));
  return code === 'ENOSPC' || code === 'EDQUOT' || code === '53100';
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function driverError(error: unknown): unknown {
  return isDrizzleQueryError(error) ? error.cause : error;
}

function isDrizzleQueryError(error: unknown): error is Error & { cause: unknown } {
  return error instanceof Error && (error.constructor.name === 'DrizzleQueryError' || error.message.startsWith('Failed query:'));
}

function withoutEmpty(description: ErrorDescription): ErrorDescription {
  return Object.fromEntries(Object.entries(description).filter(([, value]) => value !== undefined)) as ErrorDescription;
}

/** Replaces "…" and '…' literals, the way PostgreSQL quotes values and identifiers, by ‹…›. */
export function redactQuoted(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '‹…›');
}
