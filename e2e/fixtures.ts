import { randomInt } from 'node:crypto';
import { test as base, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { openTestDatabase, type TestDatabase } from './db';
import type { DbTarget } from './targets';
import { AuthPages } from './pages/auth-pages';

export interface AuthenticatorOptions {
  /** PRF results at create() and get() (hasPrf), or only at get() (hmac-secret), or none. */
  prf?: 'create' | 'get-only' | 'none';
  isUserVerified?: boolean;
}

/** A CTAP2 platform authenticator in Chromium, driven over CDP (see shared/ENVIRONMENT.md). */
export class VirtualAuthenticator {
  private constructor(private readonly cdp: CDPSession, readonly id: string) {}

  static async attach(page: Page, options: AuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const prf = options.prf ?? 'create';
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: options.isUserVerified ?? true,
        automaticPresenceSimulation: true,
        hasPrf: prf === 'create',
        hasHmacSecret: prf === 'get-only',
      } as never,
    });
    return new VirtualAuthenticator(cdp, authenticatorId);
  }

  async credentials(): Promise<{ credentialId: string; userHandle?: string }[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.id });
    return credentials;
  }

  async remove(): Promise<void> {
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.id });
  }
}

/** A unique documentation-range address per browser context, so per-address rate limits do not collide. */
export function uniqueClientIp(): string {
  return `2001:db8::${randomInt(0x10000).toString(16)}:${randomInt(0x10000).toString(16)}`;
}

export async function newClientContext(browser: import('@playwright/test').Browser, baseURL: string, clientIp = uniqueClientIp()): Promise<BrowserContext> {
  return browser.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': clientIp } });
}

interface Fixtures {
  dbTarget: DbTarget;
  /** The address the server sees for this test's page and `page.request` (audit rows carry it). */
  clientIp: string;
  db: TestDatabase;
  authenticator: VirtualAuthenticator;
  auth: AuthPages;
}

export const test = base.extend<Fixtures, object>({
  dbTarget: [{ kind: 'pglite', port: 3101, location: '', setupLinkFile: '' }, { option: true }],
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object
  clientIp: async ({}, use) => {
    await use(uniqueClientIp());
  },
  context: async ({ browser, baseURL, clientIp }, use) => {
    const context = await newClientContext(browser, baseURL!, clientIp);
    await use(context);
    await context.close();
  },
  db: async ({ dbTarget }, use) => {
    const db = openTestDatabase(dbTarget);
    await use(db);
    await db.close();
  },
  authenticator: async ({ page }, use) => {
    await use(await VirtualAuthenticator.attach(page));
  },
  auth: async ({ page }, use) => {
    await use(new AuthPages(page));
  },
});

export { expect } from '@playwright/test';

let counter = 0;
/** A fresh, unique identity for one test. */
export function newPerson(label = 'user'): { displayName: string; email: string; orgName: string } {
  const id = `${Date.now().toString(36)}${(counter++).toString(36)}${randomInt(1e6).toString(36)}`;
  return { displayName: `Test ${label} ${id}`, email: `${label}-${id}@example.test`, orgName: `${label} org ${id}` };
}

/** A second (third…) person in their own browser context with their own authenticator. */
export async function newActor(browser: import('@playwright/test').Browser, baseURL: string, options: AuthenticatorOptions = {}) {
  const context = await newClientContext(browser, baseURL);
  const page = await context.newPage();
  const authenticator = await VirtualAuthenticator.attach(page, options);
  return { context, page, authenticator, auth: new AuthPages(page) };
}
