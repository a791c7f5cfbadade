import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { readMigrations } from '../src/db/database.js';

const LATEST = readMigrations().at(-1)!.version;
import request from 'supertest';
import { hashPassword } from '../src/auth/secrets.js';
import { createSetupToken } from '../src/db/sessions.js';
import { createUser, revokeTokens } from '../src/db/users.js';
import { FORM_COOKIE, FORM_TOKEN_LIFETIME_MS, newFormToken } from '../src/web/guards.js';
import { EVENING_SLUG, fieldError, fieldValue, freshApp, page, snapshot, textOf } from './helpers.js';

const NEW_CLAIM = { source_id: '1', facet: 'rockets fired', text: 'Twelve rockets.', value: 'twelve' };

describe('who may write', () => {
  it('sends an anonymous form to sign in and answers an anonymous API call with 401, writing nothing', async () => {
    const { app, db } = freshApp({ demo: true });
    const before = snapshot(db);
    const form = await request(app).post(`/incidents/${EVENING_SLUG}/claims`).type('form').send(NEW_CLAIM).expect(303);
    assert.match(form.headers.location!, /^\/login\?next=/);
    const api = await request(app).post('/api/sources').send({ name: 'Anonymous source' }).expect(401);
    assert.equal(api.headers['www-authenticate'], 'Bearer');
    assert.match(api.body.error.message, /Sign in or send an API token/);
    await request(app).get('/incidents/new').expect(303, /login/);
    assert.deepEqual(snapshot(db), before);
  });

  it('refuses a viewer’s writes with 403, in forms and in the API', async () => {
    const { app, db, signIn, tokenFor } = freshApp({ demo: true });
    const viewer = signIn('viewer');
    const before = snapshot(db);
    const form = await viewer.agent.post(`/incidents/${EVENING_SLUG}/claims`).type('form').send(NEW_CLAIM).expect(403);
    assert.match(textOf(page(form.text), '.error-message'), /needs the editor role; you are signed in as viewer-\d+ \(viewer\)/);
    await viewer.agent.get('/incidents/new').expect(403);
    await request(app).post('/api/sources').set('Authorization', `Bearer ${tokenFor('viewer')}`).send({ name: 'x' }).expect(403);
    assert.deepEqual(snapshot(db).slice(0, 5), before.slice(0, 5), 'no incident, source, claim, override or history written');
    // A viewer still reads everything.
    await viewer.agent.get(`/incidents/${EVENING_SLUG}`).expect(200);
  });

  it('lets an editor write with an API token, and refuses the token once revoked', async () => {
    const { app, db, tokenFor } = freshApp({ demo: true });
    const token = tokenFor('editor', 'Script');
    const created = await request(app).post('/api/sources').set('Authorization', `Bearer ${token}`).send({ name: 'Reuters', kind: 'media' }).expect(201);
    assert.equal(created.body.created_by, db.prepare("SELECT id FROM users WHERE name = 'Script'").pluck().get());
    revokeTokens(db, created.body.created_by);
    const refused = await request(app).post('/api/sources').set('Authorization', `Bearer ${token}`).send({ name: 'AFP' }).expect(401);
    assert.match(refused.body.error.message, /revoked/);
    await request(app).get('/api/incidents').set('Authorization', 'Bearer not-a-token').expect(401);
  });

  it('keeps admin pages from editors', async () => {
    const { db, editor, signIn } = freshApp();
    const before = snapshot(db);
    await editor.get('/admin/users').expect(403);
    await editor.post('/admin/users').type('form').send({ name: 'mallory', role: 'admin', password: 'long enough password' }).expect(403);
    await editor.post('/admin/users/1/role').type('form').send({ role: 'admin' }).expect(403);
    assert.deepEqual(snapshot(db), before);

    const admin = signIn('admin', 'Ada');
    await admin.agent.get('/admin/users').expect(200);
    await admin.agent.post('/admin/users').type('form').send({ name: 'Grace', role: 'viewer', password: 'correct horse battery' }).expect(303);
    assert.equal(db.prepare("SELECT role FROM users WHERE name = 'Grace'").pluck().get(), 'viewer');
    const short = await admin.agent.post('/admin/users').type('form').send({ name: 'Linus', role: 'editor', password: 'short' }).expect(400);
    assert.equal(fieldError(page(short.text), 'password'), 'Password must be at least 12 characters');
    assert.equal(fieldValue(page(short.text), 'name'), 'Linus');
  });

  it('records who made each claim, and shows it in the grid', async () => {
    const { db, editor } = freshApp({ demo: true });
    await editor.post(`/incidents/${EVENING_SLUG}/claims`).type('form').send(NEW_CLAIM).expect(303);
    const id = db.prepare('SELECT max(id) FROM claims').pluck().get();
    const grid = page((await editor.get(`/incidents/${EVENING_SLUG}`)).text);
    assert.match(textOf(grid, `#claim-${id} .provenance`), /added by Test Editor/);
  });
});

describe('signing in', () => {
  async function withUser() {
    const test = freshApp({ demo: true });
    createUser(test.db, 'Ada', 'editor', await hashPassword('correct horse battery'));
    return test;
  }

  async function tryPassword(app: ReturnType<typeof freshApp>['app'], password: string) {
    const agent = request.agent(app);
    const form = page((await agent.get('/login').expect(200)).text);
    const csrf = form('input[name="_csrf"]').attr('value')!;
    return { agent, response: await agent.post('/login').type('form').send({ _csrf: csrf, name: 'Ada', password, next: '/sources' }) };
  }

  it('signs in with the right password and goes where the user was headed', async () => {
    const { app } = await withUser();
    const { agent, response } = await tryPassword(app, 'correct horse battery');
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, '/sources');
    const cookie = response.headers['set-cookie']![0]!;
    assert.match(cookie, /claimgrid_session=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const home = page((await agent.get('/').expect(200)).text);
    assert.match(textOf(home, '.account'), /Ada \(editor\)/);
  });

  it('refuses a wrong password, keeping the name typed, and then refuses every try for a while', async () => {
    const { app } = await withUser();
    const wrong = (await tryPassword(app, 'wrong')).response;
    assert.equal(wrong.status, 401);
    assert.equal(fieldValue(page(wrong.text), 'name'), 'Ada');
    assert.equal(fieldError(page(wrong.text), 'password'), 'Wrong name or password');
    for (let attempt = 2; attempt <= 10; attempt++) assert.equal((await tryPassword(app, `wrong ${attempt}`)).response.status, 401);
    const locked = (await tryPassword(app, 'correct horse battery')).response;
    assert.equal(locked.status, 429, 'even the right password is refused while locked');
    assert.equal(locked.headers['retry-after'], '900');
  });

  it('counts guesses sent in parallel: the eleventh and later are refused', async () => {
    const { app } = await withUser();
    const agent = request.agent(app);
    const csrf = page((await agent.get('/login')).text)('input[name="_csrf"]').attr('value')!;
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, n) => agent.post('/login').type('form').send({ _csrf: csrf, name: 'Ada', password: `guess ${n}` })),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [...Array(10).fill(401), ...Array(5).fill(429)]);
  });

  it('limits guesses from one client spread over many names', async () => {
    const { app } = await withUser();
    const agent = request.agent(app);
    const csrf = page((await agent.get('/login')).text)('input[name="_csrf"]').attr('value')!;
    const statuses: number[] = [];
    for (let guess = 0; guess < 55; guess++) {
      const answer = await agent.post('/login').type('form').send({ _csrf: csrf, name: `name ${guess % 20}`, password: `guess ${guess}` });
      statuses.push(answer.status);
      if (answer.status === 429) assert.match(answer.text, /Too many failed sign-ins from your address/);
    }
    assert.deepEqual(statuses, [...Array(50).fill(401), ...Array(5).fill(429)]);
  });

  it('checks only a few passwords at once, refusing the excess with 429 rather than queueing without end', async () => {
    const { app } = await withUser();
    const agent = request.agent(app);
    const csrf = page((await agent.get('/login')).text)('input[name="_csrf"]').attr('value')!;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) => agent.post('/login').type('form').send({ _csrf: csrf, name: `stranger ${n}`, password: 'guess' })),
    );
    const busy = answers.filter((answer) => answer.status === 429);
    assert.ok(busy.length > 0 && busy.every((answer) => /Too many sign-ins at once/.test(answer.text) && answer.headers['retry-after'] === '5'), `${busy.length} refused`);
    assert.ok(answers.every((answer) => answer.status === 401 || answer.status === 429));
    // The flood over, signing in works.
    const { response } = await tryPassword(app, 'correct horse battery');
    assert.equal(response.status, 303);
  });

  it('ignores an Authorization header of another scheme, as a proxy in front may send', async () => {
    const { app } = freshApp({ demo: true });
    await request(app).get('/').set('Authorization', 'Basic dXNlcjpwYXNz').expect(200);
    await request(app).post('/api/sources').set('Authorization', 'Basic dXNlcjpwYXNz').send({ name: 'x' }).expect(401);
  });

  it('refuses a sign-in form posted without its CSRF token', async () => {
    const { app } = await withUser();
    await request(app).post('/login').type('form').send({ name: 'Ada', password: 'correct horse battery' }).expect(403);
  });

  it('writes nothing for a visitor who only opens the sign-in form, however often', async () => {
    const { app, db } = await withUser();
    const before = snapshot(db);
    for (let visit = 0; visit < 20; visit++) await request(app).get('/login').expect(200);
    assert.deepEqual(snapshot(db), before);
    assert.equal(db.prepare('SELECT count(*) FROM sessions').pluck().get(), 0);
  });

  it('refuses a sign-in whose form token is forged or belongs to another cookie', async () => {
    const { app } = await withUser();
    const agent = request.agent(app);
    const csrf = page((await agent.get('/login')).text)('input[name="_csrf"]').attr('value')!;
    const [nonce] = csrf.split('.');
    await agent.post('/login').type('form').send({ _csrf: `${nonce}.forged`, name: 'Ada', password: 'correct horse battery' }).expect(403);
    await request(app).post('/login').set('Cookie', `claimgrid_form=${nonce}.forged`).type('form').send({ _csrf: `${nonce}.forged`, name: 'Ada', password: 'correct horse battery' }).expect(403);
    const otherCsrf = page((await request(app).get('/login')).text)('input[name="_csrf"]').attr('value')!;
    await agent.post('/login').type('form').send({ _csrf: otherCsrf, name: 'Ada', password: 'correct horse battery' }).expect(403);
    await agent.post('/login').type('form').send({ _csrf: csrf, name: 'Ada', password: 'correct horse battery' }).expect(303);
  });

  it('hashes passwords on a thread at the lowest priority, so that a flood of sign-ins waits and not every other request', async (t) => {
    if (process.platform !== 'linux') return t.skip('thread priorities are read from /proc, which only Linux has');
    await hashPassword('correct horse battery');
    const nice = (task: string) => {
      const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const niceness = fs.readdirSync('/proc/self/task').map(nice);
    assert.equal(nice(String(process.pid)), 0, 'the event loop runs at the normal priority');
    assert.ok(niceness.includes(19), `a thread runs at nice 19 (threads: ${niceness.join(', ')})`);
  });

  it('refuses a sign-in form kept open longer than a form token lives, whatever the browser kept', async () => {
    const { app } = await withUser();
    const sign = (token: string) =>
      request(app).post('/login').set('Cookie', `${FORM_COOKIE}=${token}`).type('form').send({ _csrf: token, name: 'Ada', password: 'correct horse battery' });
    await sign(newFormToken(Date.now() - FORM_TOKEN_LIFETIME_MS - 60_000)).expect(403);
    await sign(newFormToken(Date.now() + 3600_000)).expect(403);
    await sign(newFormToken(Date.now() - FORM_TOKEN_LIFETIME_MS + 60_000)).expect(303);
  });

  it('gives a sign-in form a new form token when the one the visitor has is past half its life', async () => {
    const { app } = await withUser();
    const formWith = async (token: string) => {
      const shown = await request(app).get('/login').set('Cookie', `${FORM_COOKIE}=${token}`).expect(200);
      return { field: page(shown.text)('input[name="_csrf"]').attr('value'), cookie: shown.headers['set-cookie']?.[0] };
    };
    const young = newFormToken(Date.now() - FORM_TOKEN_LIFETIME_MS / 4);
    assert.deepEqual(await formWith(young), { field: young, cookie: undefined }, 'a young token is kept');
    const old = newFormToken(Date.now() - (FORM_TOKEN_LIFETIME_MS * 3) / 4);
    const renewed = await formWith(old);
    assert.notEqual(renewed.field, old);
    assert.equal(renewed.cookie?.split(';')[0], `${FORM_COOKIE}=${renewed.field}`);
  });

  it('never redirects to another site after signing in', async () => {
    const { app } = await withUser();
    const agent = request.agent(app);
    const form = page((await agent.get('/login?next=//evil.example/x').expect(200)).text);
    assert.equal(form('input[name="next"]').length, 0);
  });

  it('signs out, ending the session', async () => {
    const { signIn } = freshApp();
    const { agent } = signIn('editor');
    await agent.post('/logout').expect(303);
    await agent.get('/incidents/new').expect(303, /login/);
  });
});

describe('first run', () => {
  it('creates the first admin at a one-time setup link, which then dies', async () => {
    const { app, db } = freshApp({ demo: true });
    const token = createSetupToken(db);
    const agent = request.agent(app);
    const form = page((await agent.get(`/setup?token=${token}`).expect(200)).text);
    const csrf = form('input[name="_csrf"]').attr('value')!;
    const short = await agent.post('/setup').type('form').send({ _csrf: csrf, token, name: 'Ada', password: 'short' }).expect(400);
    assert.equal(fieldError(page(short.text), 'password'), 'Password must be at least 12 characters');
    await agent.post('/setup').type('form').send({ _csrf: csrf, token, name: 'Ada', password: 'a long enough password' }).expect(303, /Redirecting to \/setup$/);
    assert.equal(db.prepare("SELECT role FROM users WHERE name = 'Ada'").pluck().get(), 'admin');
    await agent.get('/admin/users').expect(200);

    await request(app).get(`/setup?token=${token}`).expect(404);
    const again = request.agent(app);
    const csrf2 = page((await again.get('/login')).text)('input[name="_csrf"]').attr('value')!;
    await again.post('/setup').type('form').send({ _csrf: csrf2, token, name: 'Eve', password: 'a long enough password' }).expect(404);
    assert.equal(db.prepare('SELECT count(*) FROM users').pluck().get(), 1);
  });

  it('refuses a wrong setup token', async () => {
    const { app, db } = freshApp();
    createSetupToken(db);
    await request(app).get('/setup?token=guess').expect(404);
  });
});

describe('private reading', () => {
  it('with READ_ACCESS=private, shows strangers only the sign-in page and health', async () => {
    const { app, signIn } = freshApp({ demo: true, auth: { readAccess: 'private' } });
    await request(app).get('/').expect(303, /login/);
    await request(app).get('/api/incidents').expect(401);
    await request(app).get(`/incidents/${EVENING_SLUG}/claims.csv`).expect(303);
    await request(app).get('/login').expect(200);
    await request(app).get('/healthz').expect(200);
    await signIn('viewer').agent.get('/').expect(200);
  });

  it('with READ_ACCESS=private, tells strangers not even which methods a path takes', async () => {
    const { app, signIn } = freshApp({ demo: true, auth: { readAccess: 'private' } });
    await request(app).options(`/incidents/${EVENING_SLUG}`).expect(303, /login/);
    await request(app).options('/api/incidents').expect(401);
    await request(app).options('/no/such/path').expect(303, /login/);
    const viewer = signIn('viewer').agent;
    const allowed = await viewer.options('/api/incidents').expect(200);
    assert.match(allowed.headers.allow!, /GET/);
    await viewer.options('/admin/users').expect(403);
  });

  it('answers health checks whatever Authorization they carry', async () => {
    const { app } = freshApp({ auth: { readAccess: 'private' } });
    const health = await request(app).get('/healthz').set('Authorization', 'Bearer revoked-or-never-issued').expect(200);
    assert.equal(health.body.status, 'ok');
    await request(app).get('/').set('Authorization', 'Bearer revoked-or-never-issued').expect(401);
  });

  it('with open reading, shows the demo to anyone', async () => {
    const { app } = freshApp({ demo: true });
    await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200);
  });
});

describe('CSRF', () => {
  it('refuses a form post without a token, or with a wrong one, with 403 and writes nothing', async () => {
    const { app, db, signIn } = freshApp({ demo: true });
    const { cookie, csrf } = signIn('editor');
    const before = snapshot(db);
    const missing = await request(app).post(`/incidents/${EVENING_SLUG}/claims`).set('Cookie', cookie).type('form').send(NEW_CLAIM).expect(403);
    assert.match(textOf(page(missing.text), '.error-message'), /CSRF token/);
    await request(app).post(`/incidents/${EVENING_SLUG}/claims`).set('Cookie', cookie).type('form').send({ ...NEW_CLAIM, _csrf: `${csrf}x` }).expect(403);
    await request(app).post('/api/sources').set('Cookie', cookie).send({ name: 'x' }).expect(403);
    assert.deepEqual(snapshot(db), before);
    // The token that came with the form works.
    await request(app).post(`/incidents/${EVENING_SLUG}/claims`).set('Cookie', cookie).type('form').send({ ...NEW_CLAIM, _csrf: csrf }).expect(303);
  });

  it('puts the token in every form that writes', async () => {
    const { editor } = freshApp({ demo: true });
    for (const path of ['/incidents/new', `/incidents/${EVENING_SLUG}/claims/new`, '/claims/1/edit', '/claims/1/delete', '/sources/new', '/sources/1/edit', `/incidents/${EVENING_SLUG}/compare?a=1&b=7`]) {
      const $ = page((await editor.get(path).expect(200)).text);
      $('form[method="post"]').each((_, form) => {
        assert.ok($(form).find('input[name="_csrf"]').attr('value'), `${path}: ${$(form).attr('action')} carries a token`);
      });
    }
  });
});

describe('safe pages', () => {
  it('send a strict Content-Security-Policy and the usual protective headers', async () => {
    const { app } = freshApp({ demo: true });
    const response = await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200);
    const csp = response.headers['content-security-policy']!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
    // A JSON-LD data block is never run (script-src 'none' stands): only it may be a script element.
    assert.equal(page(response.text)('[style], script:not([type="application/ld+json"])').length, 0, 'nothing inline that the policy would block');
  });

  it('keep every acknowledged write on disk: WAL with synchronous = FULL, foreign keys on', () => {
    const { db } = freshApp();
    assert.equal(db.pragma('synchronous', { simple: true }), 2, 'FULL');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  });

  it('answers /healthz with the schema version', async () => {
    const { app } = freshApp();
    const response = await request(app).get('/healthz').expect(200);
    assert.deepEqual(response.body, { status: 'ok', schema_version: LATEST });
  });
});
