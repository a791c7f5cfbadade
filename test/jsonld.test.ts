/** The incident as schema.org JSON-LD: Claims, ClaimReviews, at /incidents/:slug.jsonld and in the incident page. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import request from 'supertest';
import { GRADES } from '../src/db/assessments.js';
import { BEST_RATING, EMBEDDED_CLAIMS_LIMIT, GRADE_RATINGS, WORST_RATING } from '../src/web/jsonld.js';
import { freshApp, page } from './helpers.js';

type Node = Record<string, unknown>;

/**
 * The schema.org vocabulary as the installed schema-dts declares it: each type's properties, its
 * own and those of the types it extends. (schema-dts is generated from schema.org's definitions: an
 * `interface XBase extends YBase` per type with its properties, and a leaf naming its "@type".)
 */
function schemaOrgVocabulary(): Map<string, Set<string>> {
  const declarations = fs.readFileSync(createRequire(import.meta.url).resolve('schema-dts/dist/schema.d.ts'), 'utf8').split('\n');
  const own = new Map<string, { parents: string[]; properties: string[] }>();
  const baseOfType = new Map<string, string>();
  let current: { parents: string[]; properties: string[] } | undefined;
  let leafBase: string | undefined;
  for (const line of declarations) {
    const base = /^interface (\w+)Base extends (.*) \{$/.exec(line);
    if (base) {
      current = { parents: [...base[2]!.matchAll(/\b(\w+)Base\b/g)].map((match) => match[1]!), properties: [] };
      own.set(base[1]!, current);
      continue;
    }
    if (line === '}') current = undefined;
    const property = /^ {4}"([^"@][^"]*)"\?:/.exec(line);
    if (current && property) current.properties.push(property[1]!);
    const leaf = /^export (?:interface|type) \w+Leaf\b.*?\b(\w+)Base\b/.exec(line);
    if (leaf) leafBase = leaf[1];
    const type = /^ {4}"@type": "(\w+)";$/.exec(line);
    if (type && leafBase) baseOfType.set(type[1]!, leafBase);
  }
  const propertiesOf = (base: string, seen = new Set<string>()): string[] => {
    if (seen.has(base)) return [];
    seen.add(base);
    const found = own.get(base);
    return found ? [...found.properties, ...found.parents.flatMap((parent) => propertiesOf(parent, seen))] : [];
  };
  return new Map([...baseOfType].map(([type, base]) => [type, new Set(propertiesOf(base))]));
}

const VOCABULARY = schemaOrgVocabulary();

/** Every "@type" and property of the graph that schema.org does not define (for that type): none, if it is well made. */
function outsideSchemaOrg(value: unknown, where = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => outsideSchemaOrg(item, `${where}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  const node = value as Node;
  const type = node['@type'];
  const properties = typeof type === 'string' ? VOCABULARY.get(type) : undefined;
  const wrong: string[] = [];
  if (type !== undefined && properties === undefined) wrong.push(`${where}: type ${String(type)}`);
  for (const [key, inner] of Object.entries(node)) {
    if (key.startsWith('@')) {
      if (!['@context', '@graph', '@type', '@id'].includes(key)) wrong.push(`${where}: keyword ${key}`);
    } else if (!properties?.has(key)) {
      wrong.push(`${where}: ${String(type ?? 'untyped node')}.${key}`);
    }
    wrong.push(...outsideSchemaOrg(inner, `${where}.${key}`));
  }
  return wrong;
}

const ofType = (graph: Node[], type: string) => graph.filter((node) => node['@type'] === type);

interface ApiClaim {
  id: number;
  source_id: number;
  source: string;
  facet: string;
  text: string;
  published_at: string | null;
  url: string | null;
  archive_url: string | null;
  via_source_id: number | null;
}

async function demo() {
  const app = freshApp({ demo: true });
  const incidents = (await app.editor.get('/api/incidents').expect(200)).body.incidents as { id: number; slug: string; title: string }[];
  assert.ok(incidents.length >= 1);
  return { ...app, incidents };
}

async function jsonLdOf(app: ReturnType<typeof freshApp>['app'], slug: string): Promise<{ '@context': string; '@graph': Node[] }> {
  const response = await request(app).get(`/incidents/${encodeURIComponent(slug)}.jsonld`).expect(200);
  assert.match(response.headers['content-type']!, /^application\/ld\+json; charset=utf-8$/);
  return JSON.parse(response.text);
}

/** The JSON-LD blocks of a page, parsed. */
function embedded(html: string): unknown[] {
  const $ = page(html);
  return $('script[type="application/ld+json"]').toArray().map((element) => JSON.parse($(element).html()!));
}

describe('JSON-LD', () => {
  it('the vocabulary check knows schema.org, and catches what is not in it', () => {
    assert.ok(VOCABULARY.size > 500, `${VOCABULARY.size} types`);
    for (const [type, property] of [['Claim', 'appearance'], ['Claim', 'text'], ['ClaimReview', 'reviewRating'], ['Rating', 'bestRating'], ['CreativeWork', 'archivedAt'], ['Person', 'affiliation']]) {
      assert.ok(VOCABULARY.get(type!)?.has(property!), `${type}.${property}`);
    }
    assert.deepEqual(outsideSchemaOrg({ '@type': 'Claim', apperance: 1, reviewRating: 2, x: { '@type': 'Klaim' } }), ['$: Claim.apperance', '$: Claim.reviewRating', '$: Claim.x', '$.x: type Klaim']);
  });

  it('of the demo parses and uses only schema.org types and properties', async () => {
    const { app, incidents } = await demo();
    for (const incident of incidents) {
      const document = await jsonLdOf(app, incident.slug);
      assert.equal(document['@context'], 'https://schema.org');
      assert.ok(Array.isArray(document['@graph']));
      assert.deepEqual(outsideSchemaOrg(document), [], incident.slug);
      const [event] = ofType(document['@graph'], 'Event');
      assert.equal(event?.name, incident.title);
      assert.equal(event?.['@id'], `/incidents/${encodeURIComponent(incident.slug)}#incident`);
    }
  });

  it('round-trips each claim’s source, URL, archive URL and date', async () => {
    const { app, editor, incidents } = await demo();
    let checked = 0;
    for (const incident of incidents) {
      const claims = (await editor.get(`/api/incidents/${incident.id}/claims`).expect(200)).body.claims as ApiClaim[];
      const nodes = ofType((await jsonLdOf(app, incident.slug))['@graph'], 'Claim');
      assert.equal(nodes.length, claims.length, incident.slug);
      for (const claim of claims) {
        const node = nodes.find((candidate) => candidate['@id'] === `/claims/${claim.id}`);
        assert.ok(node, `claim ${claim.id}`);
        assert.equal(node.text, claim.text);
        assert.equal(node.keywords, claim.facet);
        const author = node.author as Node;
        assert.equal(author.name, claim.source);
        assert.equal(author['@id'], `/sources/${claim.source_id}`);
        assert.equal(node.datePublished ?? null, claim.published_at);
        const appearance = node.appearance as Node | undefined;
        assert.equal(appearance?.url ?? null, claim.url);
        assert.equal(appearance?.archivedAt ?? null, claim.archive_url);
        if (appearance) assert.equal(appearance.datePublished ?? null, claim.published_at);
        if (appearance && claim.via_source_id === null) assert.deepEqual(node.firstAppearance, appearance);
        else assert.equal(node.firstAppearance, undefined, 'a claim that came through another outlet was first said elsewhere');
        checked += 1;
      }
    }
    assert.ok(checked >= 10, `${checked} claims`);
  });

  it('gives a source of kind individual as a Person, any other as an Organization', async () => {
    const { app, editor, incidents } = await demo();
    const incident = incidents[0]!;
    const person = (await editor.post('/api/sources').send({ name: 'A witness', kind: 'individual', affiliation: 'Local council' }).expect(201)).body;
    const claim = (await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: person.id, facet: 'rockets fired', text: 'I heard six.', value: 'six' }).expect(201)).body;
    const nodes = ofType((await jsonLdOf(app, incident.slug))['@graph'], 'Claim');
    const mine = nodes.find((node) => node['@id'] === `/claims/${claim.id}`)!;
    assert.deepEqual(mine.author, { '@type': 'Person', '@id': `/sources/${person.id}`, name: 'A witness', affiliation: { '@type': 'Organization', name: 'Local council' } });
    assert.equal(mine.appearance, undefined, 'no URL, no appearance');
    const others = nodes.filter((node) => node !== mine);
    assert.ok(others.length > 0 && others.every((node) => (node.author as Node)['@type'] === 'Organization'));
  });

  it('gives each assessment as a ClaimReview of its facet’s claims, rated as docs/api.md says', async () => {
    const { app, editor, incidents } = await demo();
    const incident = incidents[0]!;
    const graded = new Map<string, (typeof GRADES)[number]>();
    // Each grade on a facet of its own, of two claims.
    for (const grade of GRADES) {
      const facet = `Facet graded ${grade}`;
      for (const source_id of [1, 2]) {
        await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id, facet, text: `Said by ${source_id}.`, value: 'three' }).expect(201);
      }
      await editor.put(`/api/incidents/${incident.id}/assessments`).send({ facet, value: 'three', grade, reason: `Graded ${grade}.` }).expect(201);
      graded.set(facet, grade);
    }
    const claims = (await editor.get(`/api/incidents/${incident.id}/claims`).expect(200)).body.claims as ApiClaim[];
    const documentGraph = (await jsonLdOf(app, incident.slug))['@graph'];
    assert.deepEqual(outsideSchemaOrg(documentGraph), []);
    const reviews = ofType(documentGraph, 'ClaimReview');
    assert.ok(reviews.length >= graded.size);
    for (const [facet, grade] of graded) {
      const review = reviews.find((node) => (node.claimReviewed as string).startsWith(`${facet}: `));
      assert.ok(review, facet);
      assert.equal(review.reviewBody, `Graded ${grade}.`);
      assert.equal(review.claimReviewed, `${facet}: three`);
      const rating = review.reviewRating as Node;
      assert.equal(rating['@type'], 'Rating');
      assert.equal(rating.ratingValue, GRADE_RATINGS[grade]);
      assert.equal(rating.alternateName, grade);
      assert.equal(rating.bestRating, BEST_RATING);
      assert.equal(rating.worstRating, WORST_RATING);
      const reviewed = (review.itemReviewed as Node[]).map((item) => item['@id']).sort();
      const expected = claims.filter((claim) => claim.facet === facet).map((claim) => `/claims/${claim.id}`).sort();
      assert.equal(expected.length, 2);
      assert.deepEqual(reviewed, expected);
    }
    // The documented mapping: strongest grade best, one step apart.
    assert.deepEqual(GRADES.map((grade) => GRADE_RATINGS[grade]), [5, 4, 3, 2, 1]);
    const apiDoc = fs.readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');
    for (const grade of GRADES) assert.match(apiDoc, new RegExp(`\\| \`${grade}\` \\| ${GRADE_RATINGS[grade]} \\|`), `docs/api.md maps ${grade}`);
  });

  it('is embedded in the incident page, the same graph, and no claim text can close the script element', async () => {
    const { app, editor, incidents } = await demo();
    const incident = incidents[0]!;
    const hostile = '</script><script>alert(1)</script><!-- <SCRIPT>';
    const claim = (await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: 1, facet: 'rockets fired', text: hostile, value: 'six' }).expect(201)).body;
    const graph = await jsonLdOf(app, incident.slug);
    for (const agent of [request(app), editor]) {
      const response = await agent.get(`/incidents/${encodeURIComponent(incident.slug)}`).expect(200);
      assert.equal(page(response.text)('script').length, 1, 'one script element: the JSON-LD block');
      assert.equal(response.text.split('<script').length, 2);
      assert.doesNotMatch(response.headers['content-security-policy']!, /script-src [^;]*'(unsafe-inline|self)'/, 'the CSP still runs no script');
      const blocks = embedded(response.text);
      assert.equal(blocks.length, 1);
      assert.deepEqual(blocks[0], graph);
      const node = ofType((blocks[0] as { '@graph': Node[] })['@graph'], 'Claim').find((candidate) => candidate['@id'] === `/claims/${claim.id}`);
      assert.equal(node?.text, hostile);
    }
    // The page links to it.
    const $ = page((await request(app).get(`/incidents/${encodeURIComponent(incident.slug)}`).expect(200)).text);
    assert.equal($(`a[href="/incidents/${encodeURIComponent(incident.slug)}.jsonld"]`).length, 1);
  });

  it('is kept with the comparison for signed-in readers, and made again after a write', async () => {
    const { editor, incidents } = await demo();
    const incident = incidents[0]!;
    const path = `/incidents/${encodeURIComponent(incident.slug)}`;
    const texts = async () => ofType(((embedded((await editor.get(path).expect(200)).text)[0]) as { '@graph': Node[] })['@graph'], 'Claim').map((node) => node.text);
    const before = await texts();
    assert.deepEqual(await texts(), before, 'the same block the second time, from what was kept');
    await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: 1, facet: 'rockets fired', text: 'A claim written just now.', value: 'six' }).expect(201);
    assert.ok((await texts()).includes('A claim written just now.'));
  });

  it('is embedded only in the page of an incident of up to EMBEDDED_CLAIMS_LIMIT claims; the .jsonld has them all', async () => {
    const { app, db, incidents, signIn } = await demo();
    // Signed in: the claims below are written straight to the database, past what tells kept pages they changed.
    const reader = signIn('viewer').agent;
    const incident = incidents[0]!;
    const path = `/incidents/${encodeURIComponent(incident.slug)}`;
    const had = ofType((await jsonLdOf(app, incident.slug))['@graph'], 'Claim').length;
    const columns = 'incident_id, source_id, facet, facet_key, text, version, created_at, updated_at';
    const add = db.prepare(`INSERT INTO claims (${columns}) VALUES (?, 1, 'many', 'many', ?, 1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`);
    db.transaction(() => {
      for (let index = had; index < EMBEDDED_CLAIMS_LIMIT; index += 1) add.run(incident.id, `Claim ${index}`);
    })();
    assert.equal(embedded((await reader.get(path).expect(200)).text).length, 1, 'at the limit');
    add.run(incident.id, 'One more');
    const $ = page((await reader.get(path).expect(200)).text);
    assert.equal($('script').length, 0, 'above the limit');
    assert.equal(ofType((await jsonLdOf(app, incident.slug))['@graph'], 'Claim').length, EMBEDDED_CLAIMS_LIMIT + 1);
  });

  it('answers 404 for an unknown incident, and 304 when unchanged', async () => {
    const { app, incidents } = await demo();
    await request(app).get('/incidents/no-such-incident.jsonld').expect(404);
    const path = `/incidents/${encodeURIComponent(incidents[0]!.slug)}.jsonld`;
    const first = await request(app).get(path).expect(200);
    await request(app).get(path).set('If-None-Match', first.headers.etag!).expect(304);
  });
});
