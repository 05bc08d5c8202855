import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import S3rver from 's3rver';
import { expect, test, uniqueClientIp, VirtualAuthenticator, newPerson } from './fixtures';
import { AuthPages } from './pages/auth-pages';
import { InvoicePages } from './pages/invoice-pages';
import { spawnServer, type SpawnedServer } from './spawned-server';
import { INSTANCES_PROXY_PORT, spawnedPort } from './targets';
import { pdfFile, xmlFile } from './test-documents';

// Several instances (DESIGN §9–§10, issue #15): two app servers on one PostgreSQL database and one
// S3 store (s3rver), behind a test proxy that is their one public origin, as a load balancer is.
// The supplier's requests go to instance A and the customer's to B, except the ciphertext parts
// of the upload, which alternate between A and B: A's commit then checks parts B stored, and B
// serves the customer a document half written through A. Runs in the `instances` project only,
// which exists when TEST_DATABASE_URL is set.

type Instance = 'a' | 'b';
interface Routed {
  instance: Instance;
  method: string;
  path: string;
}

let s3: S3rver;
let s3Dir: string;
let s3Endpoint: string;
const servers: Partial<Record<Instance, SpawnedServer>> = {};
let proxy: Server;
const routed: Routed[] = [];
const BUCKET = 'zk-instances';

test.beforeAll(async () => {
  test.setTimeout(240_000);
  s3Dir = mkdtempSync(path.join(tmpdir(), 'zkinvoice-instances-s3-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  s3Endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
  const env = {
    E2E_ORIGIN: `http://localhost:${INSTANCES_PROXY_PORT}`,
    BLOB_STORE: 's3',
    S3_ENDPOINT: s3Endpoint,
    S3_BUCKET: BUCKET,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    AUTH_RATE_LIMIT_PER_MINUTE: '40',
  };
  servers.a = await spawnServer({ kind: 'postgres', port: spawnedPort(20, 'postgres', 0), env });
  // B on A's database (started after A has created and migrated it).
  servers.b = await spawnServer({ kind: 'postgres', port: spawnedPort(20, 'postgres', 1), location: servers.a.location, env });

  let nextPart: Instance = 'a';
  proxy = createServer((req, res) => {
    const isPart = req.method === 'PUT' && /^\/api\/uploads\/[^/]+\/files\/[^/]+\/parts\/\d+$/.test(req.url ?? '');
    const asked = req.headers['x-e2e-instance'] === 'b' ? 'b' : 'a';
    const instance: Instance = isPart ? nextPart : asked;
    if (isPart) nextPart = nextPart === 'a' ? 'b' : 'a';
    routed.push({ instance, method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0]! });
    const target = new URL(servers[instance]!.url);
    const upstream = httpRequest({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: `localhost:${INSTANCES_PROXY_PORT}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(INSTANCES_PROXY_PORT, 'localhost', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await servers.b?.dispose();
  await servers.a?.dispose();
  await s3?.close();
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
});

async function actorOn(browser: import('@playwright/test').Browser, baseURL: string, instance: Instance) {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': uniqueClientIp(), 'x-e2e-instance': instance } });
  const page = await context.newPage();
  await VirtualAuthenticator.attach(page, {});
  return { context, page, auth: new AuthPages(page), invoices: new InvoicePages(page) };
}

test('[supplier] on instance A sends an invoice whose parts alternate between A and B; the [customer] on B opens it byte for byte', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const supplier = await actorOn(browser, baseURL!, 'a');
  const customer = await actorOn(browser, baseURL!, 'b');
  await customer.auth.signUp(newPerson('customer'));
  const customerHandle = await customer.invoices.orgHandle();
  await supplier.auth.signUp(newPerson('supplier'));

  // About 3.5 MiB: four ciphertext parts of 1 MiB.
  const pdf = pdfFile('instances.pdf', 'Invoice across instances', 3_500_000);
  const xml = xmlFile('instances.xml', 'across instances');
  await supplier.invoices.chooseRecipient(customerHandle);
  await supplier.invoices.fillInvoice({ number: 'INV-MULTI-1', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', reference: 'INV-MULTI-1' });
  await supplier.invoices.attach([pdf, xml]);
  await supplier.invoices.send();

  const parts = routed.filter((r) => /\/parts\/\d+$/.test(r.path));
  expect(parts.length).toBeGreaterThanOrEqual(4);
  expect(parts.filter((p) => p.instance === 'a').length).toBeGreaterThanOrEqual(2);
  expect(parts.filter((p) => p.instance === 'b').length).toBeGreaterThanOrEqual(2);
  const commit = routed.find((r) => r.method === 'POST' && /^\/api\/uploads\/[^/]+\/commit$/.test(r.path));
  expect(commit?.instance).toBe('a');
  const invoiceId = commit!.path.split('/')[3]!;

  await customer.invoices.openFromInbox('INV-MULTI-1');
  await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
  for (const original of [pdf, xml]) {
    const download = await customer.invoices.download(original.name);
    expect(readFileSync(await download.path())).toEqual(original.buffer);
  }
  // B served the customer's document reads (the supplier's invoice page reads go to A).
  expect(routed.filter((r) => r.path.startsWith(`/api/invoices/${invoiceId}/files/`)).map((r) => r.instance)).toContain('b');

  // The parts are objects in the shared bucket, keyed by ids only; neither instance kept a file.
  const s3Client = new AwsClient({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', service: 's3', region: 'us-east-1' });
  const listing = await (await s3Client.fetch(`${s3Endpoint}/${BUCKET}?list-type=2&prefix=${invoiceId}/`)).text();
  const keys = [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!);
  expect(keys.length).toBe(new Set(parts.map((p) => p.path)).size);
  for (const key of keys) expect(key).toMatch(new RegExp(`^${invoiceId}/[0-9a-f-]{36}\\.\\d+$`));
  for (const server of [servers.a!, servers.b!]) expect(existsSync(path.join(server.blobDir, 'uploads'))).toBe(false);

  await supplier.context.close();
  await customer.context.close();
});
