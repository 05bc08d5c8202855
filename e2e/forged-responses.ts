import { createHash, createPrivateKey, sign } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import type { VirtualCredential } from './fixtures';

/**
 * Chromium itself refuses to complete a ceremony when user verification fails, so the server's
 * own check (`requireUserVerification`) is only reached by a client that lies. These helpers
 * rewrite a real response on its way to the server, as such a client would.
 */

const USER_VERIFIED = 0x04;
const FLAGS_OFFSET = 32; // after the RP ID hash

interface JsonBody {
  response: { response: Record<string, string> };
}

/** A copy with the UV flag cleared; `start` is where the authenticator data begins. */
function withoutUserVerification(bytes: Buffer, start = 0): Buffer {
  const at = start + FLAGS_OFFSET;
  expect(bytes[at]! & USER_VERIFIED, 'the authenticator verified the user').toBe(USER_VERIFIED);
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! & ~USER_VERIFIED;
  return copy;
}

/**
 * Clears the UV flag of the next sign-up registration. With attestation "none" nothing signs the
 * authenticator data, so the result is exactly what an authenticator that skipped UV would send.
 */
export async function clearUserVerificationAtSignUp(page: Page, rpId = 'localhost'): Promise<void> {
  await page.route(
    '**/api/auth/sign-up/verify',
    async (route) => {
      const body = route.request().postDataJSON() as JsonBody;
      const attestation = Buffer.from(body.response.response.attestationObject!, 'base64url');
      // The authenticator data starts with the RP ID hash; CBOR stores it as a plain byte string.
      const start = attestation.indexOf(createHash('sha256').update(rpId).digest());
      expect(start, 'authenticator data in the attestation object').toBeGreaterThan(0);
      body.response.response.attestationObject = withoutUserVerification(attestation, start).toString('base64url');
      if (body.response.response.authenticatorData) {
        body.response.response.authenticatorData = withoutUserVerification(Buffer.from(body.response.response.authenticatorData, 'base64url')).toString('base64url');
      }
      await route.continue({ postData: JSON.stringify(body) });
    },
    { times: 1 },
  );
}

/**
 * Re-signs the next sign-in assertion with the credential's private key (taken from the virtual
 * authenticator), with the UV flag kept or cleared: a validly signed assertion from a client that
 * did not verify the user. Keeping the flag is the control that shows the re-signing is sound.
 */
export async function resignNextSignIn(page: Page, credential: VirtualCredential, options: { userVerified: boolean }): Promise<void> {
  const key = createPrivateKey({ key: Buffer.from(credential.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  await page.route(
    '**/api/auth/sign-in/verify',
    async (route) => {
      const body = route.request().postDataJSON() as JsonBody;
      const fields = body.response.response;
      const original = Buffer.from(fields.authenticatorData!, 'base64url');
      const authenticatorData = options.userVerified ? original : withoutUserVerification(original);
      const clientDataHash = createHash('sha256').update(Buffer.from(fields.clientDataJSON!, 'base64url')).digest();
      const signature = sign(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', Buffer.concat([authenticatorData, clientDataHash]), key);
      fields.authenticatorData = authenticatorData.toString('base64url');
      fields.signature = signature.toString('base64url');
      await route.continue({ postData: JSON.stringify(body) });
    },
    { times: 1 },
  );
}
