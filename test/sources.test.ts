import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { count, fieldError, fieldValue, freshApp, page, snapshot, textOf } from './helpers.js';

describe('source pages', () => {
  it('list every source with its kind, affiliation, the claims it made and those it carried as an outlet', async () => {
    const { editor } = freshApp({ demo: true });
    const response = await editor.get('/sources').expect(200);
    const $ = page(response.text);
    const row = (name: string) => $('tbody tr').filter((_, tr) => $(tr).find('td').first().text().trim() === name).find('td').map((_, td) => $(td).text().trim()).get();
    assert.deepEqual(row('ISWNews'), ['ISWNews', 'media', 'Iran-aligned', '10', '9', '3']);
    // Al Jazeera made no claim of its own but carried the US official's: the list says so, not 0 alone.
    assert.deepEqual(row('Al Jazeera'), ['Al Jazeera', 'media', 'Qatar', '0', '4', '0']);
  });

  it('show a source’s claims across incidents, and those it carried as an outlet', async () => {
    const { db, editor } = freshApp({ demo: true });
    const alJazeera = db.prepare("SELECT id FROM sources WHERE name = 'Al Jazeera'").pluck().get();
    const response = await editor.get(`/sources/${alJazeera}`).expect(200);
    const $ = page(response.text);
    assert.match(textOf($, 'main'), /Claims by Al Jazeera \(0\)/);
    assert.match(textOf($, 'main'), /Claims carried by Al Jazeera as an outlet \(4\)/);
    assert.match(textOf($, 'main'), /A US soldier was wounded in the rocket attack\./);
  });

  it('create a source from the form', async () => {
    const { db, editor } = freshApp();
    const response = await editor
      .post('/sources')
      .type('form')
      .send({ name: 'Syrian Arab News Agency (SANA)', kind: 'media', affiliation: 'Syrian government', url: 'https://sana.sy/en/' })
      .expect(303);
    const shown = await editor.get(response.headers.location!).expect(200);
    const $ = page(shown.text);
    const facts = Object.fromEntries($('dl.facts dt').map((_, dt) => [[$(dt).text(), $(dt).next('dd').text()]]).get());
    assert.deepEqual(facts, { Kind: 'media', Affiliation: 'Syrian government', Home: 'sana.sy' }, 'the home page named by its site');
    assert.equal($('dl.facts dd a').attr('href'), 'https://sana.sy/en/');
    assert.equal(count(db, 'sources'), 1);
  });

  it('refuse a name already taken (whatever its case), a bad kind or a non-http URL, keeping what was typed', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    const duplicate = await editor
      .post('/sources')
      .type('form')
      .send({ name: 'iswnews', kind: 'media', notes: 'typed notes' })
      .expect(409);
    assert.equal(fieldError(page(duplicate.text), 'name'), 'A source named "iswnews" already exists');
    assert.equal(fieldValue(page(duplicate.text), 'notes'), 'typed notes');

    for (const [existing, again] of [['Россия Сегодня', 'РОССИЯ сегодня'], ['École de guerre', 'ÉCOLE DE GUERRE']]) {
      await editor.post('/sources').type('form').send({ name: existing }).expect(303);
      const twin = await editor.post('/sources').type('form').send({ name: again }).expect(409);
      assert.equal(fieldError(page(twin.text), 'name'), `A source named "${again}" already exists`);
    }
    const afterUnicode = snapshot(db);

    const bad = await editor
      .post('/sources')
      .type('form')
      .send({ name: 'Someone', kind: 'spy agency', url: 'ftp://example.org' })
      .expect(400);
    const $ = page(bad.text);
    assert.match(fieldError($, 'kind')!, /Kind must be one of: government, military/);
    assert.equal(fieldError($, 'url'), 'Home URL must be a full http:// or https:// address');
    assert.equal(fieldValue($, 'name'), 'Someone');
    assert.notDeepEqual(afterUnicode, before);
    assert.deepEqual(snapshot(db), afterUnicode);
  });

  it('keep a bad edit’s text, name the bad field and change nothing', async () => {
    const { db, editor } = freshApp({ demo: true });
    const id = db.prepare("SELECT id FROM sources WHERE name = 'Joe Biden'").pluck().get();
    const before = snapshot(db);
    const response = await editor
      .post(`/sources/${id}/edit`)
      .type('form')
      .send({ name: 'Joe Biden', kind: 'president', notes: 'Spoke in Ottawa.', version: '1' })
      .expect(400);
    const $ = page(response.text);
    assert.match(fieldError($, 'kind')!, /^Kind must be one of/);
    assert.equal(fieldValue($, 'notes'), 'Spoke in Ottawa.');
    assert.deepEqual(snapshot(db), before);
  });

  it('edit a source', async () => {
    const { db, editor } = freshApp({ demo: true });
    const id = db.prepare("SELECT id FROM sources WHERE name = 'Joe Biden'").pluck().get();
    const form = await editor.get(`/sources/${id}/edit`).expect(200);
    assert.equal(fieldValue(page(form.text), 'kind'), 'government');
    await editor.post(`/sources/${id}/edit`).type('form').send({ name: 'Joe Biden', kind: 'individual', affiliation: 'US government', version: fieldValue(page(form.text), 'version') }).expect(303);
    assert.equal(db.prepare('SELECT kind FROM sources WHERE id = ?').pluck().get(id), 'individual');
  });

  it('delete an unused source after asking, and refuse to delete one claims cite', async () => {
    const { db, editor } = freshApp({ demo: true });
    const cited = db.prepare("SELECT id FROM sources WHERE name = 'Al Jazeera'").pluck().get();
    const confirm = await editor.get(`/sources/${cited}/delete`).expect(200);
    assert.match(textOf(page(confirm.text), 'main'), /cannot be deleted/);
    const refused = await editor.post(`/sources/${cited}/delete`).expect(409);
    assert.match(textOf(page(refused.text), '.error-message'), /"Al Jazeera" is cited by 4 claims/);

    await editor.post('/sources').type('form').send({ name: 'Unused' }).expect(303);
    const unused = db.prepare("SELECT id FROM sources WHERE name = 'Unused'").pluck().get();
    await editor.post(`/sources/${unused}/delete`).expect(303);
    assert.equal(db.prepare("SELECT count(*) FROM sources WHERE name = 'Unused'").pluck().get(), 0);
  });

  it('answer unknown sources with 404', async () => {
    const { editor } = freshApp();
    await editor.get('/sources/42').expect(404);
    await editor.get('/sources/-1').expect(404);
    await editor.get('/sources/x/edit').expect(404);
  });
});
