/**
 * The database file as a dataset (docs/dataset.md): its readable views, read with SQL and with
 * Debian's sqlite-utils, as someone who never runs Claimgrid would read it. Without sqlite-utils
 * those tests are skipped with a message, unless CI is set (.ci/run installs it), where they fail.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../src/db/database.js';
import { EVENING_SLUG, freshApp } from './helpers.js';

const IN_CI = (process.env.CI ?? '') !== '';
const missing = spawnSync('sqlite-utils', ['--version']).status === 0 ? undefined : 'sqlite-utils is not installed (apt-get install -y sqlite-utils; .ci/run does)';
const skip = missing && !IN_CI ? `skipped: ${missing}` : false;
if (skip) console.warn(`sqlite-utils tests ${skip}.`);

/** A demo database in a file, as `npm start` leaves one, its summaries made (the list of incidents makes them). */
async function demoFile(): Promise<{ file: string; done: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-dataset-'));
  const file = path.join(dir, 'claimgrid.sqlite');
  const db = openDatabase(file);
  const { editor } = freshApp({ db, demo: true });
  await editor.get('/').expect(200);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { file, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('the database as a dataset', () => {
  it('claims_view has every live claim with names in place of ids, and leaves deleted claims and incidents out', async () => {
    const { db, editor } = freshApp({ demo: true });
    const live = (await editor.get('/claims.json').expect(200)).body as { claim_id: number; source: string; via: string; statement: string }[];
    const rows = db.prepare('SELECT * FROM claims_view ORDER BY claim_id').all() as { claim_id: number; source: string; via: string | null; statement: string; incident: string }[];
    assert.deepEqual(
      rows.map((row) => [row.claim_id, row.source, row.via ?? '', row.statement]),
      live.map((claim) => [claim.claim_id, claim.source, claim.via ?? '', claim.statement]).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    const [first] = rows;
    await editor.delete(`/api/claims/${first!.claim_id}`).expect(204);
    const incident = (await editor.get('/api/incidents').expect(200)).body.incidents.find((row: { slug: string }) => row.slug === EVENING_SLUG);
    await editor.delete(`/api/incidents/${incident.id}`).expect(204);
    const after = db.prepare('SELECT claim_id, incident FROM claims_view').all() as { claim_id: number; incident: string }[];
    assert.ok(!after.some((row) => row.claim_id === first!.claim_id));
    assert.ok(!after.some((row) => row.incident === EVENING_SLUG));
  });

  it('comparison_view gives each facet its stored status and its assessment, as the comparison has them', async () => {
    const { db, editor } = freshApp({ demo: true });
    await editor.get('/').expect(200);
    const incident = (await editor.get('/api/incidents').expect(200)).body.incidents.find((row: { slug: string }) => row.slug === EVENING_SLUG);
    const comparison = (await editor.get(`/api/incidents/${incident.id}/comparison`).expect(200)).body as { facets: { facet: string; status: string }[] };
    const rows = db.prepare('SELECT facet, facet_key, status, assessment_grade FROM comparison_view WHERE incident = ?').all(EVENING_SLUG) as { facet: string; facet_key: string; status: string; assessment_grade: string | null }[];
    assert.deepEqual(
      Object.fromEntries(rows.map((row) => [row.facet, row.status])),
      Object.fromEntries(comparison.facets.map((facet) => [facet.facet, facet.status])),
    );
    assert.ok(rows.some((row) => row.facet_key === 'bases targeted' && row.assessment_grade !== null), 'the demo assesses bases targeted');
  });

  it('judgements_view names both claims’ sources and values', async () => {
    const { db, editor } = freshApp({ demo: true });
    const [a, b] = db.prepare("SELECT claim_id FROM claims_view WHERE incident = ? AND facet_key = 'bases targeted' ORDER BY claim_id LIMIT 2").pluck().all(EVENING_SLUG) as number[];
    const incident = (await editor.get('/api/incidents').expect(200)).body.incidents.find((row: { slug: string }) => row.slug === EVENING_SLUG);
    await editor.post(`/api/incidents/${incident.id}/relations`).send({ a, b, relation: 'unrelated', reason: 'Different bases.' }).expect(201);
    const [row] = db.prepare('SELECT * FROM judgements_view').all() as Record<string, unknown>[];
    assert.equal(row!.relation, 'unrelated');
    assert.equal(row!.judged_by, 'Test Editor');
    assert.ok(typeof row!.source_a === 'string' && typeof row!.source_b === 'string');
  });

  it('opens in sqlite-utils, which lists the views and reads them', { skip }, async () => {
    if (missing) throw new Error(`${missing}; CI is set, so this fails instead of being skipped`);
    const { file, done } = await demoFile();
    try {
      const views = JSON.parse(execFileSync('sqlite-utils', ['views', file], { encoding: 'utf8' })) as { view: string }[];
      assert.deepEqual(views.map((view) => view.view).sort(), ['claims_view', 'comparison_view', 'judgements_view']);
      const claims = JSON.parse(execFileSync('sqlite-utils', ['rows', file, 'claims_view'], { encoding: 'utf8' })) as { source: string; facet: string }[];
      assert.equal(claims.length, 23);
      assert.ok(claims.some((claim) => claim.source === 'US military official (unnamed)' && claim.facet === 'rockets fired'));
      const contradicted = JSON.parse(execFileSync('sqlite-utils', ['query', file, "SELECT facet FROM comparison_view WHERE status = 'contradict' ORDER BY facet"], { encoding: 'utf8' })) as { facet: string }[];
      assert.ok(contradicted.length > 0);
      // Its full-text search, as Datasette and sqlite-utils offer it on a table with an FTS index.
      const found = JSON.parse(execFileSync('sqlite-utils', ['query', file, "SELECT rowid FROM claims_search WHERE claims_search MATCH 'facet:civilians'"], { encoding: 'utf8' })) as unknown[];
      assert.equal(found.length, 1);
    } finally {
      done();
    }
  });
});
