import { expect, newPerson, test } from './fixtures';
import { expectRefusal, signUpThroughApi } from './webauthn';

// The admin API does not exist for anyone but a platform admin (DESIGN §9): a signed-in user and
// an anonymous client get the same 404 as for an unknown path, never a 403 that confirms it.
// `:self` and `:org` are the signed-in user's own ids: even about themselves, the answer is the same.
const ADMIN_ROUTES: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; data?: unknown }[] = [
  { method: 'DELETE', path: '/api/admin/users/:self/sessions' },
  { method: 'GET', path: '/api/admin/overview' },
  { method: 'GET', path: '/api/admin/settings' },
  { method: 'PUT', path: '/api/admin/settings/registration', data: { registration: 'invitation' } },
  { method: 'POST', path: '/api/admin/invitations', data: { kind: 'admin' } },
  { method: 'POST', path: '/api/admin/invitations', data: { kind: 'sign-up' } },
  { method: 'GET', path: '/api/admin/users/:self/delete' },
  { method: 'POST', path: '/api/admin/users/:self/delete', data: { confirmEmail: ':email' } },
  { method: 'PUT', path: '/api/admin/orgs/:org/quota', data: { quotaBytes: 1 } },
  { method: 'GET', path: '/api/admin/audit' },
  { method: 'GET', path: '/api/admin/users?q=a' },
  { method: 'GET', path: '/api/admin/users/:self' },
  { method: 'POST', path: '/api/admin/users/:self/disable' },
  { method: 'POST', path: '/api/admin/users/:self/enable' },
  { method: 'GET', path: '/api/admin/orgs' },
  { method: 'GET', path: '/api/admin/orgs/:org' },
  { method: 'POST', path: '/api/admin/orgs/:org/suspend' },
  { method: 'POST', path: '/api/admin/orgs/:org/resume' },
  { method: 'GET', path: '/api/admin/audit?outcome=failure' },
  { method: 'POST', path: '/api/admin/audit/verify' },
  { method: 'GET', path: '/api/admin/audit/export' },
];

test('[user] and [anonymous] get 404 not_found from every admin API route, and nothing is recorded as an admin action', async ({ page, authenticator, playwright, baseURL, db }) => {
  expect(authenticator.id).toBeTruthy();
  await page.goto('/api/health');
  await signUpThroughApi(page, newPerson('nosy'));
  const { session } = await (await page.request.get('/api/session')).json();
  expect(session).toMatchObject({ isPlatformAdmin: false });

  const orgId = (await db.query<{ org_id: string }>('select org_id from memberships where user_id = $1', [session.userId]))[0]!.org_id;
  const anonymous = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL!).origin } });
  for (const route of ADMIN_ROUTES) {
    const { method } = route;
    const path = route.path.replace(':self', session.userId).replace(':org', orgId);
    for (const client of [page.request, anonymous]) {
      const data = JSON.parse(JSON.stringify(route.data ?? {}).replace(':email', session.email));
      const answer = await client.fetch(path, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { data }) });
      expect(answer.headers()['content-disposition']).toBeUndefined();
      await expectRefusal(answer, 404, 'not_found');
    }
  }
  await anonymous.dispose();
  expect(await db.query("select seq from audit_log where actor_user_id = $1 and action like 'admin.%'", [session.userId])).toHaveLength(0);
  expect(await db.query('select id from users where id = $1 and disabled_at is null', [session.userId])).toHaveLength(1);
  expect(await db.query('select id from organizations where id = $1 and suspended_at is null and quota_bytes is null', [orgId])).toHaveLength(1);
  expect(await db.query('select id from users where id = $1 and deleted_at is null', [session.userId])).toHaveLength(1);
  expect((await page.request.get('/api/session')).status()).toBe(200);
  expect(await db.query('select token_hash from setup_tokens where created_by = $1', [session.userId])).toHaveLength(0);
  expect(await db.query("select seq from audit_log where action like 'admin.%' and object_id in ($1, $2)", [session.userId, orgId])).toHaveLength(0);
});

const ADMIN_PAGES = ['/admin', '/admin/users', '/admin/users/:self', '/admin/organizations', '/admin/organizations/:org', '/admin/audit', '/admin/settings'];

test('[user] and [anonymous] get a 404 page for every admin page, not a redirect that confirms it exists', async ({ page, authenticator, browser, baseURL, db }) => {
  expect(authenticator.id).toBeTruthy();
  await page.goto('/api/health');
  await signUpThroughApi(page, newPerson('curious'));
  const { session } = await (await page.request.get('/api/session')).json();
  const orgId = (await db.query<{ org_id: string }>('select org_id from memberships where user_id = $1', [session.userId]))[0]!.org_id;
  const anonymous = await browser.newContext({ baseURL });
  const anonymousPage = await anonymous.newPage();
  for (const template of ADMIN_PAGES) {
    const path = template.replace(':self', session.userId).replace(':org', orgId);
    for (const client of [page, anonymousPage]) {
      const response = await client.goto(path);
      expect({ path, status: response?.status() }).toEqual({ path, status: 404 });
      expect(new URL(client.url()).pathname).toBe(path);
      await expect(client.getByRole('navigation', { name: 'Administration' })).toHaveCount(0);
    }
  }
  await anonymous.close();
});
