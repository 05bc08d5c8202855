// Bundled by bench/hpke-open.ts for one Chromium page: the grant open as the client runs it
// (openWithPrivateKey, our RFC 9180 open) against @hpke/core's open of the same boxes, which is
// what openWithPrivateKey was until #13 (it imported the recipient public key on every open too).
import { HPKE_SUITE, openWithPrivateKey, sealToPublicKey } from '@/lib/crypto/hpke';

export interface HpkeOpenRun {
  ms: number;
  opens: number;
}

type Kind = 'core' | 'ours';

const state: { privateKey?: CryptoKey; publicKey?: Uint8Array; boxes: { box: Uint8Array; label: string }[] } = { boxes: [] };

/** `count` DEK grants (32-byte plaintext, info = AAD = the grant label) sealed to one non-extractable key. */
async function setup(count: number): Promise<void> {
  const pair = (await crypto.subtle.generateKey('X25519', false, ['deriveBits'])) as CryptoKeyPair;
  state.privateKey = pair.privateKey;
  state.publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  state.boxes = [];
  for (let i = 0; i < count; i++) {
    const label = `zkinvoice/v1/dek|${crypto.randomUUID()}|${crypto.randomUUID()}|1`;
    state.boxes.push({ label, box: await sealToPublicKey(state.publicKey, crypto.getRandomValues(new Uint8Array(32)), label, label) });
  }
}

async function openCore(privateKey: CryptoKey, publicKey: Uint8Array, box: Uint8Array, label: string): Promise<void> {
  const recipientKey = { privateKey, publicKey: await HPKE_SUITE.kem.deserializePublicKey(publicKey) };
  const additionalData = new Uint8Array([1, ...new TextEncoder().encode(label)]);
  await HPKE_SUITE.open({ recipientKey, enc: box.slice(1, 33), info: new TextEncoder().encode(label) }, box.slice(33), additionalData);
}

/**
 * Opens every box once and times the whole block: `inFlight` 1 awaits one open after another,
 * 64 runs them in batches as openInvoiceList does.
 */
async function run(kind: Kind, inFlight: number): Promise<HpkeOpenRun> {
  const { privateKey, publicKey, boxes } = state;
  if (!privateKey || !publicKey) throw new Error('setup first');
  const open = ({ box, label }: { box: Uint8Array; label: string }) =>
    kind === 'core' ? openCore(privateKey, publicKey, box, label) : openWithPrivateKey(privateKey, publicKey, box, label, label);
  const started = performance.now();
  for (let i = 0; i < boxes.length; i += inFlight) await Promise.all(boxes.slice(i, i + inFlight).map(open));
  return { ms: performance.now() - started, opens: boxes.length };
}

(globalThis as unknown as { zkBench: unknown }).zkBench = { setup, run };
