import { auditFailures, challengeExists, expireChallenge } from './db';
import { expect, newClientContext, newPerson, test } from './fixtures';
import { expectRefusal, getAssertion, prepareSignUp, signInOptions, signUpThroughApi, withPrfOutput, createCredential } from './webauthn';

// API-level refusals of the passkey ceremonies (DESIGN §3.1, §9). Ceremonies run by hand in a page
// at the server origin; the tests post what a client or an attacker could, and check the typed
// refusal and the failure row the audit log keeps for it (each test has its own client address).

// A page that is not the app: same RP ID (`localhost`, ports are not part of it) on another
// origin, like a phishing site on another port of the same host. Playwright answers its requests,
// so nothing has to listen there. Chromium then signs a clientDataJSON that honestly names this
// origin: a genuine signature, a genuine challenge, only the origin is wrong, so the refusal can
// only come from the server's origin check (editing clientDataJSON instead would also break the
// assertion signature and prove nothing about the origin).
const FOREIGN_ORIGIN = 'http://localhost:5999';

test.beforeEach(async ({ page, authenticator }) => {
  expect(authenticator.id).toBeTruthy();
  await page.goto('/api/health');
});

test('[attacker] replays a sign-up response: the second verification is refused as challenge_invalid and logged', async ({ page, db, clientIp }) => {
  const signUp = await prepareSignUp(page, newPerson('replay'));
  expect((await page.request.post('/api/auth/sign-up/verify', { data: signUp.body })).status()).toBe(201);

  await expectRefusal(await page.request.post('/api/auth/sign-up/verify', { data: signUp.body }), 400, 'challenge_invalid');
  expect(await auditFailures(db, clientIp, { action: 'account.sign_up', reason: 'challenge_invalid' })).toHaveLength(1);
});

test('[attacker] replays a sign-in assertion: the second verification is refused as challenge_invalid and logged', async ({ page, db, clientIp }) => {
  await signUpThroughApi(page, newPerson('replay'));
  const { response } = await getAssertion(page, await signInOptions(page));
  expect((await page.request.post('/api/auth/sign-in/verify', { data: { response } })).status()).toBe(200);

  await expectRefusal(await page.request.post('/api/auth/sign-in/verify', { data: { response } }), 400, 'challenge_invalid');
  expect(await auditFailures(db, clientIp, { action: 'account.sign_in', reason: 'challenge_invalid' })).toHaveLength(1);
});

test('[attacker] presents an assertion whose challenge has expired: refused as challenge_invalid and logged', async ({ page, db, clientIp }) => {
  await signUpThroughApi(page, newPerson('expired'));
  const options = await signInOptions(page);
  const { response } = await getAssertion(page, options);
  expect(await expireChallenge(db, options.challenge)).toBe(true);

  await expectRefusal(await page.request.post('/api/auth/sign-in/verify', { data: { response } }), 400, 'challenge_invalid');
  expect(await auditFailures(db, clientIp, { action: 'account.sign_in', reason: 'challenge_invalid' })).toHaveLength(1);
  expect(await challengeExists(db, options.challenge)).toBe(false);
});

test('[phishing site] registers a passkey from another origin: the sign-up is refused as verification_failed and logged', async ({ page, db, clientIp }) => {
  await page.route(`${FOREIGN_ORIGIN}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>not zkinvoice</title>' }));
  await page.goto(`${FOREIGN_ORIGIN}/`);
  const person = newPerson('phished');
  const signUp = await prepareSignUp(page, person);
  expect(JSON.parse(Buffer.from(signUp.body.response.response.clientDataJSON, 'base64url').toString())).toMatchObject({ origin: FOREIGN_ORIGIN, challenge: signUp.challenge });

  await expectRefusal(await page.request.post('/api/auth/sign-up/verify', { data: signUp.body }), 400, 'verification_failed');
  expect(await auditFailures(db, clientIp, { action: 'account.sign_up', reason: 'verification_failed' })).toHaveLength(1);
  expect(await db.query('select id from users where email = $1', [person.email])).toHaveLength(0);
});

test('[phishing site] relays a sign-in assertion made on another origin: refused as verification_failed and logged', async ({ page, db, clientIp }) => {
  const { userId } = await signUpThroughApi(page, newPerson('phished'));
  const options = await signInOptions(page);
  await page.route(`${FOREIGN_ORIGIN}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>not zkinvoice</title>' }));
  await page.goto(`${FOREIGN_ORIGIN}/`);
  const { response } = await getAssertion(page, options);
  expect(JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString())).toMatchObject({ origin: FOREIGN_ORIGIN, challenge: options.challenge });

  const signedInBefore = await db.query('select id from sessions where user_id = $1', [userId]);
  await expectRefusal(await page.request.post('/api/auth/sign-in/verify', { data: { response } }), 400, 'verification_failed');
  expect(await auditFailures(db, clientIp, { action: 'account.sign_in', reason: 'verification_failed' })).toHaveLength(1);
  expect(await db.query('select id from sessions where user_id = $1', [userId])).toHaveLength(signedInBefore.length);
});

test('[attacker] posts a sign-up registration to account recovery: refused as challenge_invalid, logged, and the challenge is spent', async ({ page, db, clientIp }) => {
  const signUp = await prepareSignUp(page, newPerson('cross'));

  await expectRefusal(await page.request.post('/api/recovery/finish', { data: { response: signUp.body.response, name: 'stolen' } }), 400, 'challenge_invalid');
  expect(await auditFailures(db, clientIp, { action: 'recovery.finish', reason: 'challenge_invalid' })).toHaveLength(1);
  expect(await challengeExists(db, signUp.challenge)).toBe(false);

  // Spent for its own ceremony too: the sign-up it was made for cannot complete any more.
  await expectRefusal(await page.request.post('/api/auth/sign-up/verify', { data: signUp.body }), 400, 'challenge_invalid');
  expect(await db.query('select id from users where id = $1', [signUp.userId])).toHaveLength(0);
  expect(await db.query('select id from credentials where id = $1', [signUp.body.response.id])).toHaveLength(0);
});

test('[attacker] adds a passkey with a registration made for a sign-up: refused as challenge_invalid, logged, and the challenge is spent', async ({ page, db, clientIp }) => {
  const { userId } = await signUpThroughApi(page, newPerson('owner'));
  // A registration for someone else's sign-up, posted into this fresh (step-up satisfied) session.
  const started = await page.request.post('/api/auth/sign-up/options', { data: newPerson('other') });
  const { options } = await started.json();
  const { response } = await createCredential(page, options);

  await expectRefusal(await page.request.post('/api/passkeys', { data: { response, name: 'smuggled' } }), 400, 'challenge_invalid');
  expect(await auditFailures(db, clientIp, { action: 'passkey.add', reason: 'challenge_invalid' })).toHaveLength(1);
  expect(await challengeExists(db, options.challenge)).toBe(false);
  expect(await db.query('select id from credentials where user_id = $1', [userId])).toHaveLength(1);
});

test('[attacker] hammers sign-in from one address: refused with 429 rate_limited and retry-after, logged; other addresses unaffected', async ({ page, browser, baseURL, db, clientIp }) => {
  const LIMIT = 40; // AUTH_RATE_LIMIT_PER_MINUTE of the e2e servers (playwright.config.ts)
  const EXTRA = 5;
  // The limit counts per fixed clock minute; start the burst well inside one.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await page.waitForTimeout(60_000 - intoMinute + 500);

  const answers = await Promise.all(Array.from({ length: LIMIT + EXTRA }, () => page.request.post('/api/auth/sign-in/options', { data: {} })));
  const statuses = answers.map((a) => a.status());
  expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
  expect(statuses.filter((s) => s === 429)).toHaveLength(EXTRA);

  const refused = answers.find((a) => a.status() === 429)!;
  await expectRefusal(refused, 429, 'rate_limited');
  const retryAfter = Number(refused.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await auditFailures(db, clientIp, { action: 'account.sign_in_options', reason: 'rate_limited' })).toHaveLength(EXTRA);

  const neighbour = await newClientContext(browser, baseURL!);
  expect((await neighbour.request.post('/api/auth/sign-in/options', { data: {} })).status()).toBe(200);
  await neighbour.close();
});

test('[client] sends malformed bodies: refused with 400 bad_request naming the fields, and logged', async ({ page, db, clientIp }) => {
  const notJson = await page.request.post('/api/auth/sign-up/options', { data: 'not json', headers: { 'content-type': 'application/json' } });
  await expectRefusal(notJson, 400, 'bad_request');

  const badProfile = await expectRefusal(await page.request.post('/api/auth/sign-up/options', { data: { displayName: '', email: 'nope', orgName: 'x' } }), 400, 'bad_request');
  expect(badProfile.issues?.map((i) => i.path).sort()).toEqual(['displayName', 'email']);

  const badAssertion = await expectRefusal(
    await page.request.post('/api/auth/sign-in/verify', { data: { response: { id: 'not base64url!', rawId: 'AA', type: 'password', response: {}, clientExtensionResults: {} } } }),
    400,
    'bad_request',
  );
  expect(badAssertion.issues?.map((i) => i.path)).toEqual(
    expect.arrayContaining(['response.id', 'response.type', 'response.response.clientDataJSON', 'response.response.authenticatorData', 'response.response.signature']),
  );

  expect(await auditFailures(db, clientIp, { action: 'account.sign_up_options', reason: 'bad_request' })).toHaveLength(2);
  expect(await auditFailures(db, clientIp, { action: 'account.sign_in', reason: 'bad_request' })).toHaveLength(1);
});

test('[careless client] posts a sign-up response that still carries the PRF output: refused with 400 and logged; without it the same response is accepted', async ({ page, db, clientIp }) => {
  const signUp = await prepareSignUp(page, newPerson('prf'));
  expect(signUp.prfOutput).toBeTruthy();
  const leaking = { ...signUp.body, response: withPrfOutput(signUp.body.response, signUp.prfOutput!) };

  const error = await expectRefusal(await page.request.post('/api/auth/sign-up/verify', { data: leaking }), 400, 'bad_request');
  expect(error.issues?.map((i) => i.path)).toEqual(['response.clientExtensionResults.prf.results']);
  expect(await auditFailures(db, clientIp, { action: 'account.sign_up', reason: 'bad_request' })).toHaveLength(1);
  // Refused before the challenge was touched: the only difference is the PRF output.
  expect((await page.request.post('/api/auth/sign-up/verify', { data: signUp.body })).status()).toBe(201);
});

test('[careless client] posts a sign-in assertion that still carries the PRF output: refused with 400 and logged; without it the same assertion is accepted', async ({ page, db, clientIp }) => {
  await signUpThroughApi(page, newPerson('prf'));
  const { response, prfOutput } = await getAssertion(page, await signInOptions(page));
  expect(prfOutput).toBeTruthy();

  const error = await expectRefusal(await page.request.post('/api/auth/sign-in/verify', { data: { response: withPrfOutput(response, prfOutput!) } }), 400, 'bad_request');
  expect(error.issues?.map((i) => i.path)).toEqual(['response.clientExtensionResults.prf.results']);
  expect(await auditFailures(db, clientIp, { action: 'account.sign_in', reason: 'bad_request' })).toHaveLength(1);
  expect((await page.request.post('/api/auth/sign-in/verify', { data: { response } })).status()).toBe(200);
});
