import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFilesystemBlobStore, putPartStream } from './blob-store';

const root = mkdtempSync(path.join(tmpdir(), 'zkinvoice-blobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe('filesystem blob store', () => {
  const store = createFilesystemBlobStore(root);

  it('stores a part and reads it back in chunks of the asked size', async () => {
    const key = { uploadId: randomUUID(), fileId: randomUUID(), index: 3 };
    const data = new Uint8Array(10_000).map((_, i) => i % 251);
    await store.put(key, data);
    const chunks = await collect(store.read(key, 4096));
    expect(chunks.map((c) => c.byteLength)).toEqual([4096, 4096, 1808]);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(data));
    expect(statSync(path.join(root, 'uploads', key.uploadId, `${key.fileId}.3`)).mode & 0o777).toBe(0o600);
  });

  it('replaces a part whole and leaves no temporary file behind', async () => {
    const key = { uploadId: randomUUID(), fileId: randomUUID(), index: 0 };
    await store.put(key, new Uint8Array(5000).fill(1));
    await store.put(key, new Uint8Array(3).fill(2));
    expect(Buffer.concat(await collect(store.read(key, 4096)))).toEqual(Buffer.from([2, 2, 2]));
    expect(readdirSync(path.join(root, 'uploads', key.uploadId))).toEqual([`${key.fileId}.0`]);
  });

  it('leaves no temporary file behind when a streamed part fails midway', async () => {
    const key = { uploadId: randomUUID(), fileId: randomUUID(), index: 0 };
    async function* failing() {
      yield new Uint8Array(300_000).fill(7);
      throw new Error('the client went away');
    }
    await store.put(key, new Uint8Array(10));
    await expect(putPartStream(store, key, failing())).rejects.toThrow('the client went away');
    expect(readdirSync(path.join(root, 'uploads', key.uploadId))).toEqual([`${key.fileId}.0`]);
  });

  it('reads an empty part as no chunks', async () => {
    const key = { uploadId: randomUUID(), fileId: randomUUID(), index: 0 };
    await store.put(key, new Uint8Array(0));
    expect(await collect(store.read(key, 4096))).toEqual([]);
  });

  it.each([
    { uploadId: '../../etc', fileId: randomUUID(), index: 0 },
    { uploadId: randomUUID(), fileId: '../passwd', index: 0 },
    { uploadId: randomUUID().toUpperCase(), fileId: randomUUID(), index: 0 },
    { uploadId: randomUUID(), fileId: randomUUID(), index: -1 },
    { uploadId: randomUUID(), fileId: randomUUID(), index: 1.5 },
  ])('refuses a key that is not uuids and an integer: %o', async (key) => {
    await expect(store.put(key, new Uint8Array(1))).rejects.toThrow(/blob keys|part indexes/);
    await expect(collect(store.read(key, 10))).rejects.toThrow(/blob keys|part indexes/);
  });

  it('refuses to delete anything but an upload directory', async () => {
    await expect(store.deleteUpload('..')).rejects.toThrow(/blob keys/);
  });

  it('lists the uploads it holds, ignoring anything else, and deletes one with all its parts', async () => {
    const uploadId = randomUUID();
    await store.put({ uploadId, fileId: randomUUID(), index: 0 }, new Uint8Array(1));
    await store.put({ uploadId, fileId: randomUUID(), index: 1 }, new Uint8Array(1));
    mkdirSync(path.join(root, 'uploads', 'not-an-upload'), { recursive: true });
    writeFileSync(path.join(root, 'uploads', randomUUID()), 'a file, not a directory');
    expect(await store.listUploads()).toContain(uploadId);
    expect(await store.listUploads()).not.toContain('not-an-upload');
    await store.deleteUpload(uploadId);
    expect(await store.listUploads()).not.toContain(uploadId);
    await store.deleteUpload(uploadId);
  });

  it('lists nothing before the first part is stored', async () => {
    expect(await createFilesystemBlobStore(path.join(root, 'fresh')).listUploads()).toEqual([]);
  });

  it('keeps the bytes as sent: what is on disk is exactly the part', async () => {
    const key = { uploadId: randomUUID(), fileId: randomUUID(), index: 7 };
    const data = new Uint8Array([0, 1, 2, 255]);
    await store.put(key, data);
    expect(new Uint8Array(readFileSync(path.join(root, 'uploads', key.uploadId, `${key.fileId}.7`)))).toEqual(data);
  });
});
