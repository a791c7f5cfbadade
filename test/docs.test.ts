/** The docs keep up with the code: every route, setting and error status a user can meet is written down. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Settings } from '../src/config.js';
import { ERROR_STATUSES } from '../src/web/errors.js';
import { ROUTES } from '../src/web/routes.js';

const ROOT = path.join(import.meta.dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

/** The lines of the docs that name `path` in backticks (alone, or after a method: `POST /login`). */
function linesNaming(routePath: string): string[] {
  const named = new RegExp('`(?:(?:GET|POST|PUT|PATCH|DELETE) )?' + routePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '[`?]');
  return DOCS.flatMap((file) => read(file).split('\n')).filter((line) => named.test(line));
}

/** The section of `text` under the heading `heading`, up to the next heading of its level or higher. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `a section "${heading}"`);
  const level = heading.split(' ')[0]!;
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return end === -1 ? rest : rest.slice(0, end);
}

describe('the docs', () => {
  it('name every route of the route table, and the method of each that is not a page to read', () => {
    const missing = ROUTES.filter((route) => {
      const lines = linesNaming(route.path);
      if (lines.length === 0) return true;
      // A page (GET) is named by its path; an API call or a form's action by its method too.
      const needsMethod = route.method !== 'GET' || route.path.startsWith('/api/');
      return needsMethod && !lines.some((line) => new RegExp(`\\b${route.method}\\b`).test(line));
    });
    assert.deepEqual(missing.map((route) => `${route.method} ${route.path}`), []);
  });

  it('list every configuration variable in the README’s configuration table', () => {
    const table = section(read('README.md'), '## Configuration');
    const missing = Object.keys(Settings.shape).filter((variable) => !table.includes(`| \`${variable}\` |`));
    assert.deepEqual(missing, []);
  });

  it('give every status an error can be answered with in the table of what bad input gets', () => {
    const table = section(read('docs/api.md'), '## What bad input gets');
    const missing = ERROR_STATUSES.filter((status) => !new RegExp(`\\| [^|]*\\b${status}\\b[^|]*\\|\\s*$`, 'm').test(table));
    assert.deepEqual(missing, []);
  });

  it('link only to files that exist', () => {
    const broken = [...DOCS, 'bench/README.md', ...fs.readdirSync(path.join(ROOT, 'docs/decisions')).map((file) => `docs/decisions/${file}`)].flatMap((file) =>
      [...read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
        .map((match) => match[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !fs.existsSync(path.join(ROOT, path.dirname(file), target)))
        .map((target) => `${file} → ${target}`),
    );
    assert.deepEqual(broken, []);
  });

  it('keep a decision record for each choice a newcomer would question', () => {
    const records = fs.readdirSync(path.join(ROOT, 'docs/decisions'));
    for (const topic of ['group-commit', 'stored-incident-summaries', 'csv-writer', 'read-as-arrays', 'no-javascript', 'soft-deletes', 'scrypt']) {
      assert.ok(records.some((file) => /^\d{3}-/.test(file) && file.includes(topic)), `a record on ${topic}`);
    }
    for (const file of records.filter((name) => /^\d{3}-/.test(name))) {
      const text = fs.readFileSync(path.join(ROOT, 'docs/decisions', file), 'utf8');
      for (const part of ['## Context', '## Decision', '## Consequences']) assert.ok(text.includes(part), `${file} has ${part}`);
    }
  });
});
