// `npm test`: every check and test, in the order that fails fastest. With TEST_DATABASE_URL set,
// the server unit tests and every end-to-end spec run on PostgreSQL as well as on PGlite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const bin = (name) => path.join('node_modules', '.bin', name);
// Playwright empties test-results/ when it starts, so the summaries live beside it.
const results = path.resolve('.test-reports');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

function step(title, command, args, env = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`  ${title}: ${result.status === 0 ? 'ok' : `failed (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

function counts(file, read) {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  return read(JSON.parse(readFileSync(file, 'utf8')));
}

if (!process.env.TEST_DATABASE_URL) {
  console.log('TEST_DATABASE_URL is not set: running on PGlite only (CI also runs on PostgreSQL).');
}

const next = path.join('node_modules', 'next', 'dist', 'bin', 'next');
// Route types come from `next typegen`, so a stale .next/ cannot fail or fool the typecheck.
let ok = step('route types', process.execPath, [next, 'typegen']) && step('typecheck', bin('tsc'), ['--noEmit']) && step('lint', bin('eslint'), ['.', '--max-warnings=0']);
const vitestJson = path.join(results, 'vitest.json');
const playwrightJson = path.join(results, 'playwright.json');
if (ok) {
  ok = step('unit and server tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]) && ok;
  ok = step('build', process.execPath, [next, 'build']) && ok;
  if (ok) {
    ok = step('end-to-end tests (Playwright, Chromium)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson }) && ok;
  }
}

const unit = counts(vitestJson, (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests }));
const e2e = counts(playwrightJson, (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky, skipped: r.stats.skipped }));
console.log(`\nunit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`e2e: ${e2e.passed} passed, ${e2e.failed} failed, ${e2e.skipped} skipped`);
// A failed step with no failed test (typecheck, lint, build) still counts as one failure.
const failed = Math.max(unit.failed + e2e.failed, ok ? 0 : 1);
console.log(`tests: ${unit.passed + e2e.passed} passed, ${failed} failed, ${unit.skipped + e2e.skipped} skipped`);
process.exit(ok ? 0 : 1);
