import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { deriveRecoveryAuth, hashRecoveryAuth, unwrapAccountKey, userPrivateKeysAad } from '@/lib/crypto/account';
import { importAesGcmKey, openBytes } from '@/lib/crypto/aead';
import { domainLabel } from '@/lib/crypto/domain';
import { fromBase64Url } from '@/lib/crypto/encoding';
import { hkdfBytes } from '@/lib/crypto/kdf';
import { unwrapPrivateKeys } from '@/lib/crypto/keys';
import { importOrgSecret, openOrgSecret, orgPrivateKeysAad } from '@/lib/crypto/org';
import { parseRecoveryKey } from '@/lib/crypto/recovery-key';
import type { KeyBundle } from '@/lib/shared/schemas/auth';
import { needle, scanFiles, scanTables, textNeedle, type Needle, type ScanReport } from './db';
import { expect, newPerson, test } from './fixtures';
import { getAssertion } from './webauthn';

// DESIGN §1, §3: the server never receives a PRF output, an account key or a recovery key. After
// a real sign-up in the browser, this test recomputes every secret the browser held, proves each
// one is the value actually used (it opens what the server stores), and then searches every
// column of every table for it: raw, hex, base64 and base64url. Values the server must store are
// searched the same way and must be found, so a scan that sees nothing cannot pass.

const EMPTY = new Uint8Array(0);

test('[user] after sign-up the database holds no PRF output, account key, recovery key or anything derived from them', async ({ page, auth, authenticator, db }) => {
  const recoveryKeyText = await auth.signUp(newPerson('secrets'));
  const [credential] = await authenticator.credentials();
  const credentialId = Buffer.from(credential!.credentialId, 'base64').toString('base64url');
  const bundle = (await (await page.request.get('/api/account/keys')).json()) as KeyBundle;
  const userId = bundle.userId;

  // The PRF output: the virtual authenticator's PRF is deterministic per credential, so a second
  // evaluation with the app's PRF input yields the output the browser used at sign-up.
  const { prfOutput } = await getAssertion(page, {
    challenge: randomBytes(32).toString('base64url'),
    rpId: 'localhost',
    userVerification: 'required',
    allowCredentials: [{ id: credentialId, type: 'public-key' }],
  });
  expect(prfOutput).toBeTruthy();
  const prf = fromBase64Url(prfOutput!);

  const [user] = await db.query<{ recovery_wrapped_account_key: Uint8Array }>('select recovery_wrapped_account_key from users where id = $1', [userId]);
  const [stored] = await db.query<{ wrapped_account_key: Uint8Array }>('select wrapped_account_key from credentials where id = $1', [credentialId]);

  // Each KEK as raw bytes (the app only ever holds them as non-extractable keys), with the salt
  // and info of derivePasskeyKek / deriveRecoveryKek; opening the stored wraps with them proves
  // they are the real KEKs, and that the PRF output and recovery key above are the real ones.
  const recoveryKey = parseRecoveryKey(recoveryKeyText);
  const recoveryKek = await hkdfBytes(recoveryKey, EMPTY, domainLabel('recovery-kek'), 32);
  const accountKey = await unwrapAccountKey(await importAesGcmKey(recoveryKek), user!.recovery_wrapped_account_key, { userId, slot: 'recovery' });
  const passkeyKek = await hkdfBytes(prf, fromBase64Url(credentialId), domainLabel('passkey-kek'), 32);
  expect(Buffer.from(await unwrapAccountKey(await importAesGcmKey(passkeyKek), stored!.wrapped_account_key, { userId, slot: credentialId }))).toEqual(Buffer.from(accountKey));
  const recoveryAuth = await deriveRecoveryAuth(recoveryKey);

  // What the account key opens: the key that encrypts the private keys, the private keys
  // themselves, the org secret sealed to the user and the org's private keys.
  const accountEncKey = await hkdfBytes(accountKey, EMPTY, domainLabel('account-key-enc'), 32);
  const userWrapKey = await importAesGcmKey(accountEncKey);
  const userPrivateKeys = await openBytes(userWrapKey, fromBase64Url(bundle.user.wrappedPrivateKeys), userPrivateKeysAad(userId));
  const userPublic = { encryptionPublicKey: fromBase64Url(bundle.user.encryptionPublicKey), signingPublicKey: fromBase64Url(bundle.user.signingPublicKey) };
  const userKeys = await unwrapPrivateKeys(userWrapKey, fromBase64Url(bundle.user.wrappedPrivateKeys), userPrivateKeysAad(userId), userPublic);
  const org = bundle.organizations[0]!;
  const orgSecret = await openOrgSecret(userKeys.encryptionPrivateKey, userPublic.encryptionPublicKey, fromBase64Url(org.sealedOrgSecret), { orgId: org.orgId, userId, version: 1 });
  const orgPrivateKeys = await openBytes(await importOrgSecret(orgSecret, { orgId: org.orgId, version: 1 }), fromBase64Url(org.wrappedPrivateKeys), orgPrivateKeysAad(org.orgId, 1));

  const secrets: Needle[] = [
    needle('PRF output', prf),
    needle('passkey KEK', passkeyKek),
    needle('recovery key', recoveryKey),
    textNeedle('recovery key (printed)', recoveryKeyText),
    textNeedle('recovery key (printed, no dashes)', recoveryKeyText.replace(/-/g, '')),
    needle('recovery KEK', recoveryKek),
    needle('recovery auth', recoveryAuth),
    needle('account key', accountKey),
    needle('account encryption key', accountEncKey),
    needle('user private keys', userPrivateKeys),
    needle('org secret', orgSecret),
    needle('org private keys', orgPrivateKeys),
  ];
  // Positive controls, taken from outside the database: the authenticator, the key bundle API,
  // and the recovery-auth hash recomputed here. The server stores each of them.
  const controls: Needle[] = [
    needle('credential id', fromBase64Url(credentialId)),
    needle('user encryption public key', userPublic.encryptionPublicKey),
    needle('recovery auth hash', await hashRecoveryAuth(recoveryAuth)),
  ];

  // Soft, so both scans always run and report everything they found.
  const expectClean = (report: ScanReport, scan: string): void => {
    const found = new Set(report.hits.map((h) => h.needle));
    for (const control of controls) expect.soft(found.has(control.name), `${scan} must find the ${control.name}`).toBe(true);
    const leaks = report.hits.filter((h) => secrets.some((s) => s.name === h.needle));
    expect.soft(leaks, `${scan} found secrets`).toEqual([]);
  };

  const tables = await scanTables(db, [...secrets, ...controls]);
  expect(tables.scanned.some((s) => s.startsWith('public.users.recovery_wrapped_account_key '))).toBe(true);
  expect(tables.scanned.some((s) => s.startsWith('public.webauthn_challenges.data'))).toBe(true);
  expectClean(tables, 'The table scan');

  if (db.target.kind === 'pglite') {
    // Also every byte PGlite wrote: heap files (after a checkpoint), indexes and the WAL, where
    // rows since deleted (consumed challenges, replaced wraps) still are.
    await db.query('checkpoint');
    const files = scanFiles(db.target.location, [...secrets, ...controls]);
    expect(files.scanned.some((f) => f.startsWith('pg_wal/'))).toBe(true);
    expectClean(files, 'The file scan');
  }

  // And the blob store (document ciphertext). Sign-up stores nothing there, so there is no positive
  // control of its own (e2e/zero-plaintext.spec.ts has one); whatever other tests put there must
  // hold none of these secrets either.
  if (existsSync(db.target.blobDir)) {
    const blobs = scanFiles(db.target.blobDir, secrets);
    expect.soft(blobs.hits, 'The blob store scan found secrets').toEqual([]);
  }
});
