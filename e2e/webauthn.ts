import { expect, type APIResponse, type Page } from '@playwright/test';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { PRF_INPUT } from '@/lib/crypto/account';
import { fromBase64Url, toBase64Url } from '@/lib/crypto/encoding';
import { createAccountMaterial, wrapAccountKeyForPasskey } from '@/lib/client/account';
import type { AuthenticationResponse, RegistrationResponse, SignUpKeys } from '@/lib/shared/schemas/auth';
import { errorBodySchema, type ErrorBody, type ErrorCode } from '@/lib/shared/schemas/errors';

/**
 * Passkey ceremonies run by hand in the page, without the app's client code, so a test can post
 * exactly the response it means to (replayed, from another origin, with the PRF output left in).
 * The response is shaped as the app's client sends it: PRF output read and replaced by
 * `{ enabled: true }`; the output itself is returned beside it.
 */
export interface Ceremony<R> {
  response: R;
  prfOutput: string | null;
}

type CeremonyInput =
  | { kind: 'create'; options: PublicKeyCredentialCreationOptionsJSON; prfInput: string }
  | { kind: 'get'; options: PublicKeyCredentialRequestOptionsJSON; prfInput: string };

/** Runs in the page: the JSON options are converted to what navigator.credentials expects. */
async function ceremonyInPage(input: CeremonyInput): Promise<Ceremony<Record<string, unknown>>> {
  const bytes = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const text = (data: ArrayBuffer): string => btoa(String.fromCharCode(...new Uint8Array(data))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const prf = { eval: { first: bytes(input.prfInput) } };
  let credential: PublicKeyCredential;
  let response: Record<string, unknown>;
  if (input.kind === 'create') {
    const o = input.options;
    credential = (await navigator.credentials.create({
      publicKey: {
        ...(o as unknown as PublicKeyCredentialCreationOptions),
        challenge: bytes(o.challenge),
        user: { ...o.user, id: bytes(o.user.id) },
        excludeCredentials: (o.excludeCredentials ?? []).map((c) => ({ type: 'public-key' as const, id: bytes(c.id) })),
        extensions: { prf },
      },
    })) as PublicKeyCredential;
    const attestation = credential.response as AuthenticatorAttestationResponse;
    response = { clientDataJSON: text(attestation.clientDataJSON), attestationObject: text(attestation.attestationObject), transports: attestation.getTransports() };
  } else {
    const o = input.options;
    credential = (await navigator.credentials.get({
      publicKey: {
        challenge: bytes(o.challenge),
        rpId: o.rpId,
        userVerification: o.userVerification,
        allowCredentials: (o.allowCredentials ?? []).map((c) => ({ type: 'public-key' as const, id: bytes(c.id) })),
        extensions: { prf },
      },
    })) as PublicKeyCredential;
    const assertion = credential.response as AuthenticatorAssertionResponse;
    response = {
      clientDataJSON: text(assertion.clientDataJSON),
      authenticatorData: text(assertion.authenticatorData),
      signature: text(assertion.signature),
      ...(assertion.userHandle ? { userHandle: text(assertion.userHandle) } : {}),
    };
  }
  const first = credential.getClientExtensionResults().prf?.results?.first;
  return {
    response: {
      id: credential.id,
      rawId: text(credential.rawId),
      type: 'public-key',
      ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
      response,
      clientExtensionResults: first ? { prf: { enabled: true } } : {},
    },
    prfOutput: first ? text(first as ArrayBuffer) : null,
  };
}

export async function createCredential(page: Page, options: PublicKeyCredentialCreationOptionsJSON): Promise<Ceremony<RegistrationResponse>> {
  const input: CeremonyInput = { kind: 'create', options, prfInput: toBase64Url(PRF_INPUT) };
  return (await page.evaluate(ceremonyInPage, input)) as Ceremony<RegistrationResponse>;
}

export async function getAssertion(page: Page, options: PublicKeyCredentialRequestOptionsJSON): Promise<Ceremony<AuthenticationResponse>> {
  const input: CeremonyInput = { kind: 'get', options, prfInput: toBase64Url(PRF_INPUT) };
  return (await page.evaluate(ceremonyInPage, input)) as Ceremony<AuthenticationResponse>;
}

/** The response as a careless client would post it: with the PRF output still in it. */
export function withPrfOutput<R extends RegistrationResponse | AuthenticationResponse>(response: R, prfOutput: string): Record<string, unknown> {
  return { ...response, clientExtensionResults: { prf: { enabled: true, results: { first: prfOutput } } } };
}

export interface PreparedSignUp {
  userId: string;
  orgId: string;
  challenge: string;
  prfOutput: string | null;
  /** The new account key (made in this test process), so a test can open its own private keys. */
  accountKey: Uint8Array;
  /** The body for POST /api/auth/sign-up/verify: a real passkey and a consistent key bundle. */
  body: { response: RegistrationResponse; passkeyName: string; keys: SignUpKeys };
}

/**
 * Starts a sign-up and runs create() in the page (at whatever origin it is on), with keys made by
 * the same code the browser uses; nothing is posted to the verify endpoint yet.
 */
export async function prepareSignUp(page: Page, person: { displayName: string; email: string; orgName: string }): Promise<PreparedSignUp> {
  const started = await page.request.post('/api/auth/sign-up/options', { data: person });
  expect(started.status()).toBe(200);
  const { options, userId, orgId } = (await started.json()) as { options: PublicKeyCredentialCreationOptionsJSON; userId: string; orgId: string };
  const material = await createAccountMaterial(userId, orgId);
  const { response, prfOutput } = await createCredential(page, options);
  const passkeyWrappedAccountKey = prfOutput ? await wrapAccountKeyForPasskey(material.accountKey, fromBase64Url(prfOutput), userId, response.id) : undefined;
  return { userId, orgId, challenge: options.challenge, prfOutput, accountKey: material.accountKey, body: { response, passkeyName: 'e2e passkey', keys: { ...material.keys, passkeyWrappedAccountKey } } };
}

/** A complete sign-up through the API; the page's context holds the new session afterwards. */
export async function signUpThroughApi(page: Page, person: { displayName: string; email: string; orgName: string }): Promise<PreparedSignUp> {
  const prepared = await prepareSignUp(page, person);
  expect((await page.request.post('/api/auth/sign-up/verify', { data: prepared.body })).status()).toBe(201);
  return prepared;
}

export async function signInOptions(page: Page): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const answer = await page.request.post('/api/auth/sign-in/options', { data: {} });
  expect(answer.status()).toBe(200);
  return (await answer.json()) as PublicKeyCredentialRequestOptionsJSON;
}

/** Asserts a typed refusal `{error: {code, message}}` with its status, and returns the error. */
export async function expectRefusal(answer: APIResponse, status: number, code: ErrorCode): Promise<ErrorBody['error']> {
  const body: unknown = await answer.json();
  expect({ status: answer.status(), body }).toMatchObject({ status, body: { error: { code } } });
  const { error } = errorBodySchema.parse(body);
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}
