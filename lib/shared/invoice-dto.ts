import type { InvoiceStatus, Manifest } from './schemas/invoice';

/** Response shapes of the invoice APIs: public keys, metadata and ciphertext only. */
/**
 * Key succession record (DESIGN §3.3): epoch N's public keys, signed by epoch N-1's org signing
 * key (lib/crypto/org/succession.ts verifies it).
 */
export interface SuccessionDto {
  record: { v: 1; orgId: string; epoch: number; prevEpoch: number; encryptionPublicKey: string; signingPublicKey: string };
  signature: string;
}

/** An organization's current public keys, as the server publishes them. */
export interface OrgPublicKeys {
  orgId: string;
  name: string;
  handle: string;
  keyVersion: number;
  encryptionPublicKey: string;
  signingPublicKey: string;
  /** After a rotation: the succession records from epoch 2 up to keyVersion, oldest first. */
  successions?: SuccessionDto[];
}

export interface InvoiceKeyDto {
  kind: 'grant' | 'fast';
  orgId: string;
  keyVersion: number;
  sealedDek: string;
}

/** What a member's browser needs to open and verify one invoice; ciphertext and public data only. */
export interface InvoiceDto {
  id: string;
  supplierOrgId: string;
  customerOrgId: string;
  signerUserId: string;
  status: InvoiceStatus;
  createdAt: string;
  updatedAt: string;
  manifest: Manifest;
  manifestSignature: string;
  sealedHeader: string;
  /** The DEK for the caller's org: the fast-path copy when there is one, else the HPKE grant. */
  keys: InvoiceKeyDto[];
  files: { fileId: string; ciphertextSize: number }[];
}

export interface SignerDto {
  userId: string;
  orgId: string;
  /** Account metadata from the server: shown next to the verified signature, not part of it. */
  displayName: string;
  signingPublicKey: string;
  certificate: Record<string, unknown>;
  certificateSignature: string;
}

export interface InvoiceListDto {
  invoices: InvoiceDto[];
  orgs: Record<string, OrgPublicKeys>;
  signers: Record<string, SignerDto>;
}

