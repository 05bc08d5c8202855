import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, newPerson, test } from './fixtures';
import { signUpThroughApi } from './webauthn';

// Abuse limits (DESIGN §9, #9) that only a running server shows: malformed ids never reach the
// database, and nothing the client sent lands in the server's log.

test('[attacker] sends ids that are not UUIDs to every route that takes one: 400 or 404, and nothing of the request reaches the server log', async ({ page, authenticator, dbTarget }) => {
  expect(authenticator.id).toBeTruthy();
  await page.goto('/api/health');
  const { orgId } = await signUpThroughApi(page, newPerson('prober'));
  expect((await page.request.post('/api/account/recovery-key/confirm')).status()).toBeLessThan(300);
  const needle = `zkneedle${randomUUID().slice(0, 8)}'or'1'='1`;
  const id = encodeURIComponent(needle);
  const uuid = randomUUID();
  const requests = [
    page.request.get(`/api/invoices/${id}`),
    page.request.get(`/api/invoices/${id}/events`),
    page.request.post(`/api/invoices/${id}/events`, { data: {} }),
    page.request.put(`/api/invoices/${id}/fast-key`, { data: {} }),
    page.request.get(`/api/invoices/${uuid}/files/${id}`),
    page.request.get(`/api/uploads/${id}`),
    page.request.delete(`/api/uploads/${id}`),
    page.request.post(`/api/uploads/${id}/commit`, { data: {} }),
    page.request.put(`/api/uploads/${id}/files/${uuid}/parts/0`, { data: Buffer.alloc(16), headers: { 'content-type': 'application/octet-stream' } }),
    page.request.get(`/api/invoices?box=inbox&orgId=${id}`),
    page.request.post('/api/uploads', { data: { supplierOrgId: needle, customerOrgId: orgId, files: [] } }),
    page.request.patch(`/api/passkeys/${id}`, { data: { name: 'x' } }),
    page.request.get(`/api/admin/users/${id}`),
  ];
  for (const answer of await Promise.all(requests)) {
    expect([400, 404], `${answer.url()} → ${answer.status()}`).toContain(answer.status());
  }
  const log = readFileSync(dbTarget.serverLog, 'utf8');
  expect(log).not.toContain('zkneedle');
  expect(log).not.toContain('Failed query');
  expect(log).not.toContain('params:');
});
