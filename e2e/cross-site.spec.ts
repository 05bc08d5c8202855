import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, Response } from '@playwright/test';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { expect, newActor, newClientContext, newPerson, test, uniqueClientIp, VirtualAuthenticator } from './fixtures';
import { getAssertion, signUpThroughApi } from './webauthn';

// Cross-site requests (DESIGN §9, #9). The victim's browser is a context that sends only what
// Chromium itself sends (no Origin added by the test). Attacker pages come from a small HTTP server
// of the test's own (on loopback, like the portal, so Chromium's local-network checks let its pages
// reach the portal as a public site's could reach a public portal): as a sibling origin of the same
// site (localhost on another port, so the SameSite=Lax session cookie does go along and only the
// server's origin check can stop it), and as a cross-site origin (127.0.0.1) for the login CSRF form.

interface AttackerSite {
  sibling: string;
  crossSite: string;
  serve(path: string, html: string): void;
  close(): Promise<void>;
}

async function attackerSite(): Promise<AttackerSite> {
  const pages = new Map<string, string>();
  const server = createServer((request, response) => {
    const html = pages.get(request.url ?? '');
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html ? `<!doctype html><html><body>${html}</body></html>` : '');
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    sibling: `http://localhost:${port}`,
    crossSite: `http://127.0.0.1:${port}`,
    serve: (path, html) => void pages.set(path, html),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A signed-in member whose session lives in a browser context that adds no headers of its own. */
async function victimBrowser(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; userId: string; orgId: string }> {
  const clientIp = uniqueClientIp();
  const setup = await newClientContext(browser, baseURL, clientIp);
  const setupPage = await setup.newPage();
  await VirtualAuthenticator.attach(setupPage);
  await setupPage.goto('/api/health');
  const { userId, orgId } = await signUpThroughApi(setupPage, newPerson('victim'));
  expect((await setupPage.request.post('/api/account/recovery-key/confirm')).status()).toBeLessThan(300);
  const storageState = await setup.storageState();
  await setup.close();
  const context = await newClientContext(browser, baseURL, clientIp, { browserOrigin: true });
  await context.addCookies(storageState.cookies);
  return { context, page: await context.newPage(), userId, orgId };
}

/** An HTML form that posts `json` as a text/plain body: `name=value` where the name holds all but the last `"}`. */
function textPlainJsonForm(action: string, json: Record<string, unknown>): string {
  const body = JSON.stringify({ ...json, pad: '' });
  const name = body.slice(0, -2);
  const attr = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<form id="attack" method="post" enctype="text/plain" action="${attr(action)}"><input type="hidden" name="${attr(name)}" value="${attr('"}')}"></form>`;
}

async function statusOf(response: Promise<Response>): Promise<{ status: number; code: string | null }> {
  const answer = await response;
  const body = (await answer.json().catch(() => null)) as { error?: { code: string } } | null;
  return { status: answer.status(), code: body?.error?.code ?? null };
}

test('[attacker page] on a sibling origin posts JSON as text/plain with fetch and with two kinds of form, with the victim’s cookie: refused (403 cross_site), nothing made; the portal’s own page is served', async ({ browser, baseURL, db }) => {
  const customer = await newActor(browser, baseURL!);
  await customer.page.goto('/api/health');
  const { orgId: customerOrgId } = await signUpThroughApi(customer.page, newPerson('customer'));
  await customer.context.close();
  const victim = await victimBrowser(browser, baseURL!);
  const upload = { supplierOrgId: victim.orgId, customerOrgId, files: [] };
  const uploads = () => db.query('select id from uploads where created_by = $1', [victim.userId]);
  const site = await attackerSite();
  const target = `${baseURL}/api/uploads`;
  site.serve('/invoice-offer', textPlainJsonForm(target, upload));
  await victim.page.goto(`${site.sibling}/invoice-offer`);
  const posted = () => victim.page.waitForResponse((r) => r.url() === target && r.request().method() === 'POST');

  // fetch without a preflight: text/plain, no-cors, credentials included. The server's answer is
  // opaque to the page (and its Cross-Origin-Resource-Policy blocks it); what counts is that no
  // upload was made, while the same cookie makes one from the portal's own page below.
  const finished = victim.page.waitForEvent('requestfailed', (r) => r.url() === target);
  await victim.page.evaluate(([url, body]) => void fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body }), [target, JSON.stringify(upload)] as const);
  expect((await finished).failure()?.errorText).toContain('BLOCKED_BY_RESPONSE');
  expect(await uploads()).toHaveLength(0);
  // Forms, urlencoded and text/plain (JSON smuggled in the field's name), are navigations: their answer can be read.
  let answer = posted();
  await victim.page.evaluate(([url, body]) => {
    const form = Object.assign(document.createElement('form'), { method: 'post', action: url });
    form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'json', value: body }));
    document.body.append(form);
    form.submit();
  }, [target, JSON.stringify(upload)] as const);
  expect(await statusOf(answer)).toEqual({ status: 403, code: 'cross_site' });
  await victim.page.goto(`${site.sibling}/invoice-offer`);
  answer = posted();
  await victim.page.locator('#attack').evaluate((form: HTMLFormElement) => form.submit());
  expect(await statusOf(answer)).toEqual({ status: 403, code: 'cross_site' });
  expect(await uploads()).toHaveLength(0);

  // The portal's own page, same cookie, same browser: served.
  await victim.page.goto('/api/health');
  const own = await victim.page.evaluate(async (body) => (await fetch('/api/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, JSON.stringify(upload));
  expect(own).toBe(201);
  // …but not a text/plain body, even from there: 415.
  const plain = await victim.page.evaluate(async (body) => (await fetch('/api/uploads', { method: 'POST', headers: { 'content-type': 'text/plain' }, body })).status, JSON.stringify(upload));
  expect(plain).toBe(415);
  expect(await uploads()).toHaveLength(1);
  await Promise.all([victim.context.close(), site.close()]);
});

test('[attacker page] signs the victim’s browser into the attacker’s account with a form (login CSRF): refused, the browser stays signed out; the sign-in page itself works', async ({ browser, baseURL, db }) => {
  // The attacker makes a genuine assertion for their own account at the portal.
  const attacker = await newActor(browser, baseURL!);
  await attacker.page.goto('/api/health');
  const { userId: attackerId } = await signUpThroughApi(attacker.page, newPerson('attacker'));
  const assertionFor = async (page: Page) => {
    const options = (await (await attacker.page.request.post('/api/auth/sign-in/options', { data: {} })).json()) as PublicKeyCredentialRequestOptionsJSON;
    return (await getAssertion(page, options)).response;
  };
  const forged = await assertionFor(attacker.page);

  const victim = await newClientContext(browser, baseURL!, uniqueClientIp(), { browserOrigin: true });
  const page = await victim.newPage();
  const site = await attackerSite();
  const target = `${baseURL}/api/auth/sign-in/verify`;
  site.serve('/win-a-prize', textPlainJsonForm(target, { response: forged }));
  await page.goto(`${site.crossSite}/win-a-prize`);
  const answer = page.waitForResponse((r) => r.url() === target);
  await page.locator('#attack').evaluate((form: HTMLFormElement) => form.submit());
  expect(await statusOf(answer)).toEqual({ status: 403, code: 'cross_site' });
  expect((await victim.cookies()).filter((c) => c.name.includes('session'))).toEqual([]);
  await page.goto('/api/session');
  expect(JSON.parse((await page.locator('body').textContent()) ?? 'null')).toMatchObject({ session: null });
  expect(await db.query('select id from sessions where user_id = $1', [attackerId])).toHaveLength(1);

  // A fresh assertion posted by a page of the portal in the same browser is served: the refusal
  // above was the origin check's, not the assertion's.
  const fresh = await assertionFor(attacker.page);
  await page.goto('/api/health');
  const status = await page.evaluate(async (body) => (await fetch('/api/auth/sign-in/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, JSON.stringify({ response: fresh }));
  expect(status).toBe(200);
  expect(await db.query('select id from sessions where user_id = $1', [attackerId])).toHaveLength(2);
  await Promise.all([victim.close(), attacker.context.close(), site.close()]);
});
