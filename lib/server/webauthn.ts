import 'server-only';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Ceremony, Credential } from '@/lib/db/schema';
import type { AuthenticationResponse, RegistrationResponse } from '@/lib/shared/schemas/auth';
import { challengeFromClientData, consumeChallenge, storeChallenge, type StoredChallenge } from './challenges';
import { env } from './env';
import { AppError } from './errors';
import { currentRequestScope } from './request-scope';

export interface NewPasskey {
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
}

export async function registrationOptions(
  ceremony: Ceremony,
  user: { id: string; email: string; displayName: string },
  binding: { sessionId?: string; data?: Record<string, unknown>; exclude?: { id: string; transports: string[] }[] } = {},
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const config = env();
  const options = await generateRegistrationOptions({
    rpName: config.RP_NAME,
    rpID: config.RP_ID,
    userName: user.email,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: (binding.exclude ?? []).map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: [-8, -7, -257],
  });
  await storeChallenge(options.challenge, ceremony, { userId: user.id, sessionId: binding.sessionId, data: binding.data });
  return options;
}

export async function authenticationOptions(
  ceremony: Ceremony,
  binding: { userId?: string; sessionId?: string; allow?: { id: string; transports: string[] }[] } = {},
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: env().RP_ID,
    userVerification: 'required',
    allowCredentials: (binding.allow ?? []).map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransport[] })),
  });
  await storeChallenge(options.challenge, ceremony, { userId: binding.userId, sessionId: binding.sessionId });
  return options;
}

/** Consumes the challenge, then verifies attestation, origin, RP ID and user verification. */
export async function verifyRegistration(response: RegistrationResponse, ceremony: Ceremony): Promise<{ challenge: StoredChallenge; passkey: NewPasskey }> {
  const challenge = await consumeChallenge(challengeFromClientData(response.response.clientDataJSON), ceremony);
  const config = env();
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: config.ORIGIN,
      expectedRPID: config.RP_ID,
      requireUserVerification: true,
    });
  } catch (error) {
    throw new AppError('verification_failed', 'passkey_unverified', { cause: error });
  }
  if (!verification.verified) throw new AppError('verification_failed', 'passkey_unverified');
  const info = verification.registrationInfo;
  return {
    challenge,
    passkey: {
      id: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: response.response.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    },
  };
}

export interface VerifiedAssertion {
  challenge: StoredChallenge;
  newCounter: number;
  backedUp: boolean;
}

/** Consumes the challenge, then verifies the assertion against the stored credential. */
export async function verifyAssertion(
  response: AuthenticationResponse,
  ceremony: Ceremony,
  lookup: (credentialId: string) => Promise<Credential | null>,
): Promise<VerifiedAssertion & { credential: Credential }> {
  const challenge = await consumeChallenge(challengeFromClientData(response.response.clientDataJSON), ceremony);
  const credential = await lookup(response.id);
  if (!credential) throw new AppError('verification_failed', 'passkey_not_registered');
  // Only an id that names a registered credential may appear in the audit log's refusals: an id
  // made up by the client would show among a stranger's security events.
  const scope = currentRequestScope();
  if (scope) scope.knownCredentialId = credential.id;
  const config = env();
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: config.ORIGIN,
      expectedRPID: config.RP_ID,
      requireUserVerification: true,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports as AuthenticatorTransport[],
      },
    });
  } catch (error) {
    throw new AppError('verification_failed', 'passkey_unverified', { cause: error });
  }
  if (!verification.verified) throw new AppError('verification_failed', 'passkey_unverified');
  const info = verification.authenticationInfo;
  // The backup-eligible flag is fixed for a credential's life; a change means a different authenticator.
  if (info.credentialDeviceType !== credential.deviceType) {
    throw new AppError('verification_failed', 'passkey_properties_changed');
  }
  return { challenge, credential, newCounter: info.newCounter, backedUp: info.credentialBackedUp };
}
