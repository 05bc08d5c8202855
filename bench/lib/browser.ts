import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';

const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Headless Chromium as the e2e suite runs it (see shared/ENVIRONMENT.md for the flags). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
  });
}

/** A page with a CTAP2 platform authenticator that has PRF, as a user with a modern passkey has. */
export async function newUserPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  // A distinct client address per user keeps the per-address sign-up rate limit out of the way.
  const ip = `2001:db8::b:${Math.floor(Math.random() * 0xffff).toString(16)}`;
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': ip } });
  // tsx compiles bench code with esbuild's keepNames, which wraps named functions inside
  // page.evaluate callbacks in a __name() helper that only exists in Node.
  await context.addInitScript('globalThis.__name ??= (fn) => fn');
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      hasPrf: true,
    } as never,
  });
  return { context, page };
}
