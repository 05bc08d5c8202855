import { createFormatter } from './format';
import type { ErrorReason, MessageParams, Translate } from './index';

/** Parameters that hold byte counts: shown as KiB/MiB in the reader's number format. */
const BYTE_PARAMS = new Set(['needed', 'left', 'quota']);

/**
 * The message for a server refusal in the reader's language. Parameters that name a status or a
 * size are localized too ("payment_announced" → "Zahlung angekündigt", 2097152 → "2,0 MiB").
 */
export function describeReason(t: Translate, reason: ErrorReason, params: MessageParams = {}): string {
  const format = createFormatter(t);
  const shown: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name === 'status' && typeof value === 'string') shown[name] = format.status(value);
    else if (BYTE_PARAMS.has(name) && typeof value === 'number') shown[name] = format.bytes(value);
    else shown[name] = value;
  }
  return t(`error.${reason}`, shown);
}

export function isErrorReason(t: Translate, reason: string): reason is ErrorReason {
  return t.has(`error.${reason}`);
}

/**
 * A validation message from a zod schema: schemas name catalog keys (`validation.email`), shown in
 * the reader's language; any other text (a library's own message) is shown as it is.
 */
export function issueMessage(t: Translate, message: string): string {
  return t.has(message) ? t(message) : message;
}
