import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The last tagged release, for the upgrade test (e2e/upgrade.spec.ts). A clone without the tag
 * (CI fetches branches only) falls back to the commit the tag names.
 */
export const LAST_RELEASE = { tag: 'v0.1.0', commit: '1970b5e9583de35e3ce58cf3513139ee5c678034' } as const;

function git(...args: string[]): string | null {
  const result = spawnSync('git', args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/**
 * Builds a release's production app once and returns its directory: the release's tree (git
 * archive) in the temp directory, built with this checkout's node_modules (every dependency of
 * v0.1.0 is in this lock at the same version), kept for later runs. The only change to the
 * release's files: Turbopack's root is widened to `/`, because node_modules is a symlink out of
 * the tree, and the type check is skipped (the release passed it when it was tagged).
 */
export function buildRelease(release: { tag: string; commit: string } = LAST_RELEASE): { dir: string; commit: string } {
  const commit = git('rev-parse', '--verify', '-q', `${release.tag}^{commit}`) ?? (git('cat-file', '-e', `${release.commit}^{commit}`) !== null ? release.commit : null);
  if (!commit) throw new Error(`Neither the tag ${release.tag} nor the commit ${release.commit} is in this clone: run \`git fetch --tags --unshallow\` first.`);
  const modules = realpathSync('node_modules');
  const key = createHash('sha256').update(`${commit}\n${modules}`).digest('hex').slice(0, 12);
  const dir = path.join(tmpdir(), `zkinvoice-release-${release.tag}-${key}`);
  if (existsSync(path.join(dir, '.next', 'BUILD_ID'))) return { dir, commit };
  // One build at a time (both databases' upgrade projects start at once): the others wait for it.
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a run that died is older than any build.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 30 * 60_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      if (existsSync(path.join(dir, '.next', 'BUILD_ID'))) return { dir, commit };
    }
  }
  try {
    build(commit, dir, modules, release.tag);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return { dir, commit };
}

function build(commit: string, dir: string, modules: string, tag: string): void {
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${building}"`], { stdio: 'pipe' });
  symlinkSync(modules, path.join(building, 'node_modules'));
  const configFile = path.join(building, 'next.config.ts');
  const config = readFileSync(configFile, 'utf8');
  const opening = 'const nextConfig: NextConfig = {';
  if (!config.includes(opening)) throw new Error(`${tag}'s next.config.ts has no "${opening}" to extend`);
  writeFileSync(configFile, config.replace(opening, `${opening}\n  turbopack: { root: '/' },\n  typescript: { ignoreBuildErrors: true },`));
  const built = spawnSync(process.execPath, [path.join(modules, 'next', 'dist', 'bin', 'next'), 'build'], { cwd: building, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building ${tag} failed:\n${(built.stdout + built.stderr).slice(-4000)}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
}
