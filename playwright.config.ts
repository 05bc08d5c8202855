import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { dbTargets, E2E_METRICS_TOKEN, INSTANCES_PROXY_PORT, type DbTarget } from './e2e/targets';

const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const targets = dbTargets();

/** e2e/large-document.spec.ts sends a 200 MiB document (over twice its server-memory bound); the default limit is 100 MiB. */
const E2E_MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

export default defineConfig<{ dbTarget: DbTarget }>({
  testDir: './e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never' }]],
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      // As root Chromium needs --no-sandbox; the rest keeps it off the (closed) network.
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
    },
  },
  // The 100 MiB round trip saturates the machine for minutes; it runs after every other spec on
  // every server, so no other spec's requests time out or break beside it. Registration-mode changes an
  // instance-wide setting (sign-up by invitation only), so it runs alone at the very end.
  // `instances` (PostgreSQL only): two app servers of its own on one database and one S3 store,
  // behind a test proxy as their one origin (e2e/instances.spec.ts starts them).
  // `faults` (PostgreSQL only): an app server of its own that the spec kills, cuts off from its
  // database and starves of disk (e2e/faults.spec.ts); it runs beside the other projects.
  projects: targets.flatMap((target) => {
    const use = { baseURL: `http://localhost:${target.port}`, dbTarget: target, browserName: 'chromium' as const };
    return [
      { name: target.kind, use, testIgnore: [/large-document\.spec\.ts/, /registration-mode\.spec\.ts/, /instances\.spec\.ts/, /faults\.spec\.ts/, /upgrade\.spec\.ts/] },
      // A database and blob store written by the last release, opened by the current server (e2e/upgrade.spec.ts).
      { name: `${target.kind}-upgrade`, use, testMatch: /upgrade\.spec\.ts/ },
      ...(target.kind === 'postgres'
        ? [
            { name: 'instances', use: { ...use, baseURL: `http://localhost:${INSTANCES_PROXY_PORT}` }, testMatch: /instances\.spec\.ts/ },
            { name: 'faults', use, testMatch: /faults\.spec\.ts/ },
          ]
        : []),
      { name: `${target.kind}-large`, use, testMatch: /large-document\.spec\.ts/, dependencies: targets.map((t) => t.kind) },
      { name: `${target.kind}-exclusive`, use, testMatch: /registration-mode\.spec\.ts/, dependencies: [`${target.kind}-large`] },
    ];
  }),
  webServer: [
    // Each app sends its mail to a real SMTP server of its own, which keeps every message for the specs.
    ...targets.map((target) => ({
      command: `node scripts/e2e-smtp.mjs ${target.smtpPort} ${target.mailDir}`,
      port: target.smtpPort,
      reuseExistingServer: false,
      timeout: 30_000,
    })),
    ...targets.map((target) => ({
    command: `node scripts/e2e-server.mjs ${target.kind} ${target.port} ${target.location} ${target.sqlSocket ?? ''}`.trim(),
    url: `http://localhost:${target.port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: { LOG_LEVEL: 'info', METRICS_TOKEN: E2E_METRICS_TOKEN, MAX_DOCUMENT_BYTES: String(E2E_MAX_DOCUMENT_BYTES), AUTH_RATE_LIMIT_PER_MINUTE: '40', SETUP_LINK_FILE: target.setupLinkFile, BLOB_DIR: target.blobDir, SERVER_LOG_FILE: target.serverLog, E2E_PID_FILE: target.pidFile, SMTP_URL: `smtp://localhost:${target.smtpPort}` },
    })),
  ],
});
