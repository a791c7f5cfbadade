/**
 * Installing and starting (issue 13): every dependency that runs an install script is approved in
 * package.json, so npm 11 prints no warning and npm 12, which skips what is not approved, still
 * builds better-sqlite3; and `npm start` rebuilds only when the sources changed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const read = (file: string) => JSON.parse(fs.readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));

describe('installing and starting', () => {
  it('approves the install script of every dependency that has one', () => {
    const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
    assert.ok(withScripts.includes('better-sqlite3'), 'better-sqlite3 builds at install');
    const approved = (read('package.json') as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
    assert.deepEqual(withScripts.filter((name) => approved[name] !== true), [], 'approved in package.json allowScripts');
  });

  it('builds before a start only when something the compiler reads changed', { timeout: 120_000 }, () => {
    const { scripts } = read('package.json') as { scripts: Record<string, string> };
    assert.equal(scripts.prestart, 'node bin/build-if-changed.js');
    // A copy of what the build reads, so that the repository's own dist/ is left alone.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-build-'));
    const repo = fileURLToPath(new URL('..', import.meta.url));
    for (const entry of ['bin', 'src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json']) fs.cpSync(path.join(repo, entry), path.join(root, entry), { recursive: true });
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const start = () => {
      const run = spawnSync(process.execPath, ['bin/build-if-changed.js'], { cwd: root, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      return fs.statSync(path.join(root, 'dist', 'server.js')).mtimeMs;
    };
    try {
      const built = start();
      assert.equal(start(), built, 'an unchanged tree starts without compiling');
      fs.rmSync(path.join(root, 'dist', 'server.js'));
      assert.ok(fs.existsSync(path.join(root, 'dist', 'server.js')) === false && start() > 0, 'a missing build is made again');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
