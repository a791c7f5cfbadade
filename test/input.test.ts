/**
 * Input that looks fine and is not: broken characters, invisible ones that make look-alike names,
 * URLs a parser reads otherwise than a person, and requests whose refusal used to say the wrong thing.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { EVENING_SLUG, freshApp, snapshot } from './helpers.js';

/** Sends a body's bytes as they are (superagent would write a Buffer out as JSON). */
const raw = (body: unknown) => body as string;

describe('broken text', () => {
  it('refuses a lone UTF-16 surrogate with 400 naming the field, writing nothing', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    // JSON can spell half of a pair; JSON.stringify would repair it, so the body is written by hand.
    const refused = await editor.post('/api/sources').set('Content-Type', 'application/json').send('{"name": "Reuters \\ud800"}').expect(400);
    assert.deepEqual(refused.body.error.issues, [{ path: 'name', message: 'Name contains a broken character (half of a UTF-16 pair)' }]);
    const claim = await editor
      .post(`/api/incidents/${EVENING_SLUG}/claims`)
      .set('Content-Type', 'application/json')
      .send('{"source_id": 1, "facet": "rockets fired", "text": "Ten\\udc00 rockets."}')
      .expect(400);
    assert.deepEqual(claim.body.error.issues, [{ path: 'text', message: 'Statement contains a broken character (half of a UTF-16 pair)' }]);
    assert.deepEqual(snapshot(db), before);
  });

  it('refuses a body that is not UTF-8 instead of saving it with replacement characters', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    // "Agence France-Presse à Paris" written in Latin-1: the à is the single byte 0xE0.
    const latin1 = Buffer.concat([Buffer.from('{"name": "Agence France-Presse '), Buffer.from([0xe0]), Buffer.from(' Paris"}')]);
    const json = await editor.post('/api/sources').set('Content-Type', 'application/json').serialize(raw).send(latin1).expect(400);
    assert.match(json.body.error.message, /not valid UTF-8/);
    // The same, percent-encoded as a Latin-1 page would send it.
    const form = await editor.post('/sources').set('Content-Type', 'application/x-www-form-urlencoded').send('name=Agence+France-Presse+%E0+Paris').expect(400);
    assert.match(form.text, /not valid UTF-8/);
    // A header spelled in capitals is the same form.
    await editor.post('/sources').set('Content-Type', 'Application/X-WWW-Form-Urlencoded').send('name=Agence+France-Presse+%E0+Paris').expect(400, /not valid UTF-8/);
    assert.deepEqual(snapshot(db), before);
  });
});

describe('names that only look different', () => {
  it('drops invisible characters from sources, outlets, affiliations and facets, so a look-alike is the same', async () => {
    const { editor } = freshApp({ demo: true });
    // "ISWNews" with a zero-width space, then with a right-to-left override and a soft hyphen.
    await editor.post('/api/sources').send({ name: 'ISW\u200bNews' }).expect(409, /already exists/);
    await editor.post('/api/sources').send({ name: '\u202eISW\u00adNews' }).expect(409, /already exists/);
    const source = await editor.post('/api/sources').send({ name: '  Syrian\u200b  Observatory ', affiliation: 'UK-based\u2060 monitor' }).expect(201);
    assert.equal(source.body.name, 'Syrian Observatory');
    assert.equal(source.body.affiliation, 'UK-based monitor');
    const claim = await editor
      .post(`/api/incidents/${EVENING_SLUG}/claims`)
      .send({ source_id: source.body.id, facet: 'rockets\u200b fired\u0000', text: 'Nine rockets.', value: 'nine', new_via_name: 'Al\u200e Jazeera' })
      .expect(201);
    assert.equal(claim.body.facet, 'rockets fired');
    assert.equal(claim.body.via, 'Al Jazeera');
  });

  it('takes a bare % in a form field as the text it is', async () => {
    const { editor } = freshApp();
    await editor.post('/sources').type('form').send('name=Up+50%+source').expect(303);
    await editor.post('/sources').type('form').send('name=Caf%C3%A9+%E2%80%94+Paris').expect(303);
  });

  it('keeps the zero-width non-joiner that Persian names need', async () => {
    const { editor } = freshApp();
    const source = await editor.post('/api/sources').send({ name: 'خبرگزاری\u200cها' }).expect(201);
    assert.equal(source.body.name, 'خبرگزاری\u200cها');
  });

  it('refuses a name that is nothing but invisible characters as missing', async () => {
    const { editor } = freshApp();
    const refused = await editor.post('/api/sources').send({ name: '\u200b\u200e\u202e' }).expect(400);
    assert.deepEqual(refused.body.error.issues, [{ path: 'name', message: 'Name is required' }]);
  });
});

describe('URLs', () => {
  it('refuses what a URL parser reads otherwise than a person does, writing nothing', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    for (const [url, message] of [
      ['http:/evil.example', 'must be a full http:// or https:// address'],
      ['https:evil.example', 'must be a full http:// or https:// address'],
      ['http://evil.example\\@good.example', 'must not contain spaces, backslashes or invisible characters'],
      ['https://good.example@evil.example/', 'must not have a user name or password before the host (user@host)'],
      ['https://example.org/\u202egpj.exe', 'must not contain spaces, backslashes or invisible characters'],
      ['https://exa mple.org/', 'must not contain spaces, backslashes or invisible characters'],
    ]) {
      const refused = await editor.post('/api/sources').send({ name: `Site ${url}`, url }).expect(400);
      assert.deepEqual(refused.body.error.issues, [{ path: 'url', message: `Home URL ${message}` }], url);
    }
    assert.deepEqual(snapshot(db), before);
  });

  it('stores the address as the parser gives it back: host lower-cased, an international host in its xn-- form', async () => {
    const { editor } = freshApp();
    const source = await editor.post('/api/sources').send({ name: 'Look-alike', url: 'HTTPS://EXAMPLE.org' }).expect(201);
    assert.equal(source.body.url, 'https://example.org/');
    const idn = await editor.post('/api/sources').send({ name: 'Cyrillic a', url: 'https://\u0430pple.com/news' }).expect(201);
    // A Persian page's address, its word joined by a zero-width non-joiner, is an ordinary URL.
    const persian = await editor.post('/api/sources').send({ name: 'Persian wiki', url: 'https://fa.wikipedia.org/wiki/می\u200cخواهم' }).expect(201);
    assert.match(persian.body.url, /^https:\/\/fa\.wikipedia\.org\/wiki\/%D9%85%DB%8C%E2%80%8C/);
    assert.equal(idn.body.url, 'https://xn--pple-43d.com/news');
  });
});

describe('refusals that say what is wrong', () => {
  it('names an unsupported Content-Encoding instead of asking for UTF-8', async () => {
    const { editor } = freshApp();
    const refused = await editor.post('/api/sources').set('Content-Type', 'application/json').set('Content-Encoding', 'zstd').send('{"name": "x"}').expect(415);
    assert.match(refused.body.error.message, /Content-Encoding "zstd" is not supported/);
    await editor.post('/api/sources').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').serialize(raw).send(gzipSync('{"name": "Zipped"}')).expect(201);
  });

  it('answers a multipart form with 415 saying how to send it, not with the CSRF message', async () => {
    const { db, editor } = freshApp();
    const before = snapshot(db);
    const refused = await editor.post('/sources').field('name', 'Multipart source').expect(415);
    assert.match(refused.text, /application\/x-www-form-urlencoded/);
    assert.doesNotMatch(refused.text, /CSRF/);
    assert.deepEqual(snapshot(db), before);
  });

  it('answers an If-Match too long to be a version with 400, not 409', async () => {
    const { editor } = freshApp({ demo: true });
    const refused = await editor.patch('/api/sources/1').set('If-Match', `"${'9'.repeat(40)}"`).send({ notes: 'x' }).expect(400);
    assert.deepEqual(refused.body.error.issues, [{ path: 'If-Match', message: 'must be an ETag such as "3"' }]);
  });
});
