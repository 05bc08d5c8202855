import { randomInt } from 'node:crypto';
import { test as base, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { formatRecoveryKey, generateRecoveryKey } from '@/lib/crypto/recovery-key';
import { openTestDatabase, type TestDatabase } from './db';
import type { DbTarget } from './targets';
import { AuthPages } from './pages/auth-pages';
import { SettingsPage } from './pages/settings-page';
import { PortalApi } from './portal-api';

export interface AuthenticatorOptions {
  /** PRF results at create() and get() (hasPrf), or only at get() (hmac-secret), or none. */
  prf?: 'create' | 'get-only' | 'none';
  isUserVerified?: boolean;
  /** Chromium allows one internal (platform) authenticator at a time; a second one is a security key. */
  transport?: 'internal' | 'usb';
}

/** A credential as the CDP WebAuthn domain reports it, private key included (base64). */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

// One CDP session per page: virtual authenticators belong to the session that added them.
const sessions = new WeakMap<Page, Promise<CDPSession>>();

function webAuthnSession(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = page
      .context()
      .newCDPSession(page)
      .then(async (cdp) => {
        await cdp.send('WebAuthn.enable', { enableUI: false });
        return cdp;
      });
    sessions.set(page, session);
  }
  return session;
}

/** A CTAP2 platform authenticator in Chromium, driven over CDP (see shared/ENVIRONMENT.md). */
export class VirtualAuthenticator {
  private constructor(private readonly cdp: CDPSession, readonly id: string) {}

  static async attach(page: Page, options: AuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
    const cdp = await webAuthnSession(page);
    const prf = options.prf ?? 'create';
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: options.transport ?? 'internal',
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

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.id });
    return credentials;
  }

  /** The credential ids as the server and the Settings API name them (base64url). */
  async credentialIds(): Promise<string[]> {
    return (await this.credentials()).map((c) => Buffer.from(c.credentialId, 'base64').toString('base64url'));
  }

  /** Puts a copy of a credential (from another authenticator) on this one. */
  async addCredential(credential: VirtualCredential): Promise<void> {
    await this.cdp.send('WebAuthn.addCredential', { authenticatorId: this.id, credential });
  }

  /** Whether the next ceremonies on this authenticator pass user verification. */
  async setUserVerified(isUserVerified: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setUserVerified', { authenticatorId: this.id, isUserVerified });
  }

  async remove(): Promise<void> {
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.id });
  }
}

/** A unique documentation-range address per browser context, so per-address rate limits do not collide. */
export function uniqueClientIp(): string {
  return `2001:db8::${randomInt(0x10000).toString(16)}:${randomInt(0x10000).toString(16)}`;
}

/**
 * A browser context for one simulated client. Its `page.request` calls go through Playwright's own
 * HTTP client, not the browser, so they name the portal's origin themselves, as every API client
 * must on a state-changing request (DESIGN §9). `browserOrigin` leaves Origin to the browser alone,
 * for tests of what a real browser sends from foreign pages (e2e/cross-site.spec.ts).
 */
export async function newClientContext(browser: import('@playwright/test').Browser, baseURL: string, clientIp = uniqueClientIp(), options: { browserOrigin?: boolean } = {}): Promise<BrowserContext> {
  const origin: Record<string, string> = options.browserOrigin ? {} : { origin: new URL(baseURL).origin };
  return browser.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': clientIp, ...origin } });
}

interface Fixtures {
  dbTarget: DbTarget;
  /** The address the server sees for this test's page and `page.request` (audit rows carry it). */
  clientIp: string;
  db: TestDatabase;
  /** How the default `authenticator` behaves; set per file or group with `test.use`. */
  authenticatorOptions: AuthenticatorOptions;
  authenticator: VirtualAuthenticator;
  auth: AuthPages;
  settings: SettingsPage;
  api: PortalApi;
}

export const test = base.extend<Fixtures, object>({
  dbTarget: [{ kind: 'pglite', port: 3101, location: '', setupLinkFile: '', blobDir: '', serverLog: '', pidFile: '', smtpPort: 0, mailDir: '' }, { option: true }],
  authenticatorOptions: [{}, { option: true }],
  clientIp: async ({}, use) => {
    await use(uniqueClientIp());
  },
  context: async ({ browser, baseURL, clientIp }, use) => {
    const context = await newClientContext(browser, baseURL!, clientIp);
    await use(context);
    await context.close();
  },
  // On a failure, what the page showed goes into the run's output: CI keeps that log, not the trace.
  page: async ({ page }, use, testInfo) => {
    await use(page);
    if (testInfo.status === testInfo.expectedStatus) return;
    const shown = await page.locator('body').innerText({ timeout: 2000 }).catch((error: unknown) => `(unreadable: ${String(error)})`);
    console.log(`--- ${testInfo.title}: the page at ${page.url()} showed:\n${shown.slice(0, 3000)}\n---`);
  },
  db: async ({ dbTarget }, use) => {
    const db = openTestDatabase(dbTarget);
    await use(db);
    await db.close();
  },
  authenticator: async ({ page, authenticatorOptions }, use) => {
    await use(await VirtualAuthenticator.attach(page, authenticatorOptions));
  },
  // Every passkey screen needs an authenticator: without one, the browser's prompt just waits.
  auth: async ({ page, authenticator: _ }, use) => {
    await use(new AuthPages(page));
  },
  settings: async ({ page }, use) => {
    await use(new SettingsPage(page));
  },
  api: async ({ page }, use) => {
    await use(new PortalApi(page));
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

/** A well-formed recovery key (valid checksum) that belongs to no account. */
export function unrelatedRecoveryKey(): string {
  return formatRecoveryKey(generateRecoveryKey());
}

/** The same recovery key with one character changed, as a typing mistake would: the checksum catches it. */
export function mistypedRecoveryKey(recoveryKey: string): string {
  const at = recoveryKey.length - 2;
  const wrong = recoveryKey[at] === 'A' ? 'B' : 'A';
  return `${recoveryKey.slice(0, at)}${wrong}${recoveryKey.slice(at + 1)}`;
}
