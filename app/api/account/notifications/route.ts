import { json, parseJson, route } from '@/lib/server/http';
import { notificationSettings, updateNotificationPrefs } from '@/lib/server/notifications';
import { requireSession } from '@/lib/server/sessions';
import { updateNotificationPrefsSchema } from '@/lib/shared/schemas/notifications';

/** The account's address, whether it is confirmed, and which notices it gets (DESIGN §12). */
export const GET = route(async () => json(await notificationSettings(await requireSession())));

export const PUT = route(async (request) => {
  const session = await requireSession();
  const { prefs } = await parseJson(request, updateNotificationPrefsSchema);
  return json(await updateNotificationPrefs(session, prefs));
});
