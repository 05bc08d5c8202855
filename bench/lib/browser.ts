import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';

const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Headless Chromium as the e2e suite runs it (see shared/ENVIRONMENT.md for the flags). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
  });
}

/**
 * A page that runs one bench entry (bench/browser/*-entry.ts) and nothing else: the entry bundled
 * by esbuild and served with its page through page.route on a localhost origin (a secure context,
 * so WebCrypto is there), no app server. Resolves once the entry has set `global` on globalThis.
 */
export async function benchEntryPage(browser: Browser, entry: string, origin: string, global: string): Promise<Page> {
  const bundle = await build({ entryPoints: [path.resolve(entry)], bundle: true, format: 'iife', target: 'es2022', write: false, tsconfig: path.resolve('tsconfig.json'), minify: true });
  const script = bundle.outputFiles[0]!.text;
  const page = await browser.newPage();
  await page.route(`${origin}/**`, (route) =>
    new URL(route.request().url()).pathname === '/bench.js'
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>${global}</title><script src="/bench.js"></script>` }),
  );
  await page.goto(`${origin}/`);
  await page.waitForFunction((name) => name in globalThis, global);
  return page;
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
