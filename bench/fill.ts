/** Fills a database file with synthetic incidents quickly: prepared INSERTs in large transactions. */
import { facetKey } from '../src/compare/comparison.js';
import { type Database, migrate, nowIso, openDatabase } from '../src/db/database.js';
import { sourceNameKey } from '../src/db/sources.js';
import { syntheticIncident } from './synthetic.js';

export interface FillPlan {
  incidents: number;
  claimsPerIncident: number;
  sources?: number;
  facets?: number;
  seed?: number;
}

/** Creates `file` (which must not exist) holding the planned incidents; returns the number of claims. */
export function fillDatabase(file: string, plan: FillPlan): number {
  const db = openDatabase(file);
  migrate(db);
  // Bulk loading is not what is being measured; the server opens the file with its own settings.
  db.pragma('synchronous = OFF');
  const total = fill(db, plan);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return total;
}

function fill(db: Database, { incidents, claimsPerIncident, sources = 40, facets, seed = 1 }: FillPlan): number {
  const now = nowIso();
  const insertSource = db.prepare(
    'INSERT INTO sources (id, name, name_key, kind, affiliation, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertIncident = db.prepare('INSERT INTO incidents (slug, title, occurred_on, location, summary, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertClaim = db.prepare(
    `INSERT INTO claims (incident_id, source_id, via_source_id, facet, facet_key, text, quote, value, published_at, url, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let total = 0;
  const first = syntheticIncident({ claims: 1, sources, seed });
  db.transaction(() => {
    for (const source of first.sources) {
      insertSource.run(source.id, source.name, sourceNameKey(source.name), source.kind, source.affiliation, now, now);
    }
  })();
  const perTransaction = Math.max(1, Math.floor(50_000 / claimsPerIncident));
  for (let start = 0; start < incidents; start += perTransaction) {
    db.transaction(() => {
      for (let n = start; n < Math.min(incidents, start + perTransaction); n++) {
        const incident = syntheticIncident({ claims: claimsPerIncident, sources, facets, seed: seed + n });
        const id = insertIncident.run(`incident-${n + 1}`, `Synthetic incident ${n + 1}`, '2023-03-24', 'Deir Ezzor', 'A *synthetic* incident.', now, now)
          .lastInsertRowid;
        for (const claim of incident.claims) {
          insertClaim.run(id, claim.source_id, claim.via_source_id, claim.facet, facetKey(claim.facet), claim.text, claim.quote,
            claim.value, claim.published_at, claim.url, claim.created_at, claim.created_at);
          total++;
        }
      }
    })();
  }
  return total;
}
