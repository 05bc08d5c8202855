import { expect, type APIResponse, type Page } from '@playwright/test';

export interface PasskeySummary {
  id: string;
  name: string;
  canUnlock: boolean;
  current: boolean;
}

/** The server's view of the signed-in browser, through the same API and cookies the page uses. */
export class PortalApi {
  constructor(readonly page: Page) {}

  /** Who the server thinks is signed in, or null. */
  async sessionEmail(): Promise<string | null> {
    const response = await this.page.request.get('/api/session');
    expect(response.ok()).toBe(true);
    const body = (await response.json()) as { session: { email: string } | null };
    return body.session?.email ?? null;
  }

  async passkeys(): Promise<PasskeySummary[]> {
    const response = await this.page.request.get('/api/passkeys');
    expect(response.ok()).toBe(true);
    return ((await response.json()) as { passkeys: PasskeySummary[] }).passkeys;
  }

  deletePasskey(id: string): Promise<APIResponse> {
    return this.page.request.delete(`/api/passkeys/${encodeURIComponent(id)}`);
  }
}

/** Asserts an API refusal by status and stable error code. */
export async function expectRefusal(response: APIResponse, status: number, code: string): Promise<void> {
  expect(response.status()).toBe(status);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
}
