#!/usr/bin/env node
// Run before `npm start`: compiles src/ to dist/ only when something the compiler reads has changed
// since the last good build. `tsc -b` on its own reaches the same answer, but loading the compiler to
// learn that nothing changed costs 0.5–1 s of every start; listing the inputs costs milliseconds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const stampPath = path.join(dist, '.build-inputs');

/**
 * Every input as path, mtime and size, one a line in a fixed order. A whole listing is compared, not
 * the newest time, so that a deleted or renamed source (which leaves no newer file behind) rebuilds
 * too. package-lock.json stands for the installed dependencies, whose types the build checks against.
 */
function listInputs() {
  const files = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', ...filesUnder('src')];
  return files
    .sort()
    .map((file) => {
      const stat = fs.statSync(path.join(root, file), { throwIfNoEntry: false });
      return stat ? `${file}\t${stat.mtimeMs}\t${stat.size}` : `${file}\tmissing`;
    })
    .join('\n');
}

// By hand: readdirSync's `recursive` is missing from the first Node 20 releases, which package.json allows.
function filesUnder(directory) {
  return fs.readdirSync(path.join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(relative) : [relative];
  });
}

// Taken before compiling: a file saved while tsc runs then differs from the stamp and is built next time.
const inputs = listInputs();
const stamp = fs.existsSync(stampPath) ? fs.readFileSync(stampPath, 'utf8') : undefined;
if (stamp === inputs && fs.existsSync(path.join(dist, 'server.js'))) process.exit(0);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// Without the server's own output the build is not to be trusted as a base: tsc -b reads only its
// build-info file, which still says everything is up to date, and would emit nothing.
const force = fs.existsSync(path.join(dist, 'server.js')) ? [] : ['--force'];
const build = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json', ...force], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  // No stamp for a failed build, so the next start tries again (and shows the errors) rather than running stale code.
  fs.rmSync(stampPath, { force: true });
  process.exit(build.status ?? 1);
}
fs.writeFileSync(stampPath, inputs);
