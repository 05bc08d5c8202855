import 'server-only';
import { AwsClient } from 'aws4fetch';
import { checkedKey, checkedUuid, isUuid, type BlobStore, type PartKey } from './blob-store-core';

/**
 * Ciphertext parts in an S3-compatible object store (DESIGN §10): AWS S3, Cloudflare R2, MinIO,
 * Ceph RGW. One object per part, keyed `<uploadId>/<fileId>.<index>` — ids only, never a name or
 * anything a user typed. Requests are signed with SigV4 by aws4fetch (about 10 KB of code on the
 * platform's own fetch and WebCrypto) rather than the AWS SDK, whose default request checksums
 * (CRC32 trailers in `aws-chunked` bodies since early 2025) are refused or mis-stored by several
 * non-AWS servers. Each part goes up as one plain PUT with its Content-Length; nothing here relies
 * on the store's checksums or ETags, since the envelope authenticates every record (DESIGN §4).
 */
export interface S3BlobStoreConfig {
  /** Service root, e.g. `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:9000`. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO, most self-hosted servers). */
  forcePathStyle: boolean;
  /** Per-request time limit; a stuck store fails the request instead of holding it forever. */
  timeoutMs?: number;
  /** Attempts after a 5xx or 429 answer (with jittered exponential back-off). */
  retries?: number;
  /** Objects deleted at once when an upload goes (default 8). */
  deleteConcurrency?: number;
}

/** An S3 error answer, with the store's code (`NoSuchBucket`, `AccessDenied`…) but never credentials. */
export class S3Error extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(`S3 ${operation} failed: HTTP ${status}${code ? ` ${code}` : ''}`);
    this.name = 'S3Error';
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);

/** The text of every `<tag>…</tag>` in an S3 XML answer (flat values only: keys, prefixes, tokens). */
function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => unescapeXml(m[1]!));
}

/** Runs `task` over `items` with at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Regroups a byte stream into chunks of exactly `size` bytes (the last may be shorter). */
async function* rechunk(body: ReadableStream<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending = new Uint8Array(size);
  let filled = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let offset = 0;
      while (offset < value.byteLength) {
        const take = Math.min(size - filled, value.byteLength - offset);
        pending.set(value.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === size) {
          yield pending;
          pending = new Uint8Array(size);
          filled = 0;
        }
      }
    }
    if (filled > 0) yield pending.subarray(0, filled);
  } finally {
    // A reader that stops early (a client that went away) releases the connection.
    await reader.cancel().catch(() => {});
  }
}

export function createS3BlobStore(config: S3BlobStoreConfig): BlobStore & { readonly config: S3BlobStoreConfig } {
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    service: 's3',
    region: config.region,
    retries: config.retries ?? 3,
  });
  const endpoint = new URL(config.endpoint);
  const bucketUrl = config.forcePathStyle
    ? `${endpoint.origin}${endpoint.pathname.replace(/\/$/, '')}/${encodeURIComponent(config.bucket)}`
    : `${endpoint.protocol}//${config.bucket}.${endpoint.host}${endpoint.pathname.replace(/\/$/, '')}`;
  const objectUrl = (key: PartKey) => {
    const { uploadId, fileId, index } = checkedKey(key);
    return `${bucketUrl}/${uploadId}/${fileId}.${index}`;
  };
  const timeout = config.timeoutMs ?? 60_000;

  async function request(operation: string, url: string, init: RequestInit = {}, accept: number[] = []): Promise<Response> {
    const response = await client.fetch(url, { ...init, signal: AbortSignal.timeout(timeout) });
    if (response.ok || accept.includes(response.status)) return response;
    const text = await response.text().catch(() => '');
    throw new S3Error(operation, response.status, xmlValues(text, 'Code')[0] ?? null);
  }

  /** Every key under `prefix`, or with a delimiter every common prefix, across result pages. */
  async function list(prefix: string, delimiter: string | null): Promise<string[]> {
    const found: string[] = [];
    let token: string | null = null;
    do {
      const query = new URLSearchParams({ 'list-type': '2', prefix, 'max-keys': '1000' });
      if (delimiter) query.set('delimiter', delimiter);
      if (token) query.set('continuation-token', token);
      const xml = await (await request('list', `${bucketUrl}?${query}`)).text();
      found.push(...(delimiter ? xmlValues(xml, 'Prefix').filter((p) => p !== prefix) : xmlValues(xml, 'Key')));
      token = xmlValues(xml, 'IsTruncated')[0] === 'true' ? (xmlValues(xml, 'NextContinuationToken')[0] ?? null) : null;
    } while (token);
    return found;
  }

  return {
    kind: 's3',
    config,
    async put(key, data) {
      const url = objectUrl(key);
      // A plain body with its length: no aws-chunked encoding, no trailing checksum.
      await request('put', url, { method: 'PUT', body: data as Uint8Array<ArrayBuffer>, headers: { 'content-length': String(data.byteLength), 'content-type': 'application/octet-stream' } });
    },
    async *read(key, chunkBytes) {
      const response = await request('get', objectUrl(key));
      if (!response.body) return;
      yield* rechunk(response.body, chunkBytes);
    },
    async deleteUpload(uploadId) {
      const keys = await list(`${checkedUuid(uploadId)}/`, null);
      // One DELETE per object: DeleteObjects (the batch call) needs a Content-MD5 that some
      // servers check and others ignore, and an upload has few parts (a 100 MiB document: 96).
      await eachLimited(keys, config.deleteConcurrency ?? 8, async (key) => {
        await request('delete', `${bucketUrl}/${key.split('/').map(encodeURIComponent).join('/')}`, { method: 'DELETE' }, [404]);
      });
    },
    async listUploads() {
      return (await list('', '/')).map((p) => p.replace(/\/$/, '')).filter(isUuid);
    },
    async listParts(uploadId) {
      const prefix = `${checkedUuid(uploadId)}/`;
      return (await list(prefix, null)).flatMap((key) => {
        const match = /^([0-9a-f-]{36})\.(\d+)$/.exec(key.slice(prefix.length));
        return match && isUuid(match[1]!) ? [{ uploadId, fileId: match[1]!, index: Number(match[2]) }] : [];
      });
    },
    async ping() {
      // ListObjectsV2 of nothing: proves the endpoint answers, the bucket exists and the keys sign.
      await request('ping', `${bucketUrl}?${new URLSearchParams({ 'list-type': '2', 'max-keys': '0' })}`);
    },
  };
}
