import { z } from 'zod';
import { emailSchema } from './auth';

/**
 * The notices a user may choose (DESIGN §12). Security notices (a passkey added or removed, the
 * recovery key used, every session ended) are not in this list: they always go to a verified
 * address, because they are how a user learns that someone else got in.
 */
export const NOTICE_KINDS = ['invoice_received', 'payment_announced', 'disputed', 'comment', 'paid', 'cancelled', 'credited', 'membership'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const notificationPrefsSchema = z.object(Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, z.boolean()])) as Record<NoticeKind, z.ZodBoolean>);
export type NotificationPrefs = z.infer<typeof notificationPrefsSchema>;

/** Stored prefs hold only what the user turned off; everything else is on. */
export function effectivePrefs(stored: Record<string, boolean> | null | undefined): NotificationPrefs {
  return Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, stored?.[kind] !== false])) as NotificationPrefs;
}

export const notificationSettingsSchema = z.object({
  email: z.string(),
  emailVerified: z.boolean(),
  /** An address waiting for its link to be opened, when the user asked to change it. */
  pendingEmail: z.string().nullable(),
  prefs: notificationPrefsSchema,
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export const updateNotificationPrefsSchema = z.object({ prefs: notificationPrefsSchema.partial() });

/** Sends a new verification link: to the current address, or to a new one the user wants to use. */
export const requestVerificationSchema = z.object({ email: emailSchema.optional() });

export const verifyEmailSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This link is not complete.') });
