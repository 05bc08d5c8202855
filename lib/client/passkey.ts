import 'client-only';

import {
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { PRF_INPUT } from '@/lib/crypto/account';
import type { Translate } from '@/lib/shared/i18n';

export type PrfState = 'results' | 'enabled' | 'unsupported';

interface PrfExtensionOutput {
  enabled?: boolean;
  results?: { first?: ArrayBuffer | Uint8Array };
}

/**
 * Reads the PRF output from the extension results and deletes it from the response object, so
 * the response that is posted to the server never contains it (DESIGN §3.1).
 */
function takePrf(results: Record<string, unknown>): { state: PrfState; output: Uint8Array | null } {
  const prf = results.prf as PrfExtensionOutput | undefined;
  delete results.prf;
  const first = prf?.results?.first;
  if (first) {
    const output = new Uint8Array(first instanceof Uint8Array ? first : new Uint8Array(first));
    // Tell the server PRF works here, without the secret.
    results.prf = { enabled: true };
    return { state: 'results', output };
  }
  if (prf?.enabled) {
    results.prf = { enabled: true };
    return { state: 'enabled', output: null };
  }
  return { state: 'unsupported', output: null };
}

const prfExtension = { prf: { eval: { first: PRF_INPUT } } };

export async function createPasskey(options: PublicKeyCredentialCreationOptionsJSON): Promise<{ response: RegistrationResponseJSON; prf: PrfState; prfOutput: Uint8Array | null }> {
  const response = await startRegistration({ optionsJSON: { ...options, extensions: { ...options.extensions, ...prfExtension } as never } });
  const { state, output } = takePrf(response.clientExtensionResults as Record<string, unknown>);
  return { response, prf: state, prfOutput: output };
}

export async function getPasskeyAssertion(options: PublicKeyCredentialRequestOptionsJSON): Promise<{ response: AuthenticationResponseJSON; prfOutput: Uint8Array | null }> {
  const response = await startAuthentication({ optionsJSON: { ...options, extensions: { ...options.extensions, ...prfExtension } as never } });
  const { output } = takePrf(response.clientExtensionResults as Record<string, unknown>);
  return { response, prfOutput: output };
}

/** A message for the ways a passkey prompt ends without a result. */
export function describePasskeyError(error: unknown, t: Translate): string {
  if (error instanceof Error) {
    if (error.name === 'NotAllowedError') return t('error.passkey_cancelled');
    if (error.name === 'InvalidStateError') return t('error.passkey_exists');
    if (error.message.includes('not supported')) return t('error.passkey_unsupported');
    return error.message;
  }
  return t('error.passkey_failed');
}
