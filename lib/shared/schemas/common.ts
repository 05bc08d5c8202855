import { z } from 'zod';

/** base64url without padding, bounded so no request can smuggle a large blob into a key field. */
export function base64url(maxBytes: number): z.ZodString {
  return z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url')
    .max(Math.ceil((maxBytes * 4) / 3), `must encode at most ${maxBytes} bytes`);
}

export const uuidSchema = z.uuid();
