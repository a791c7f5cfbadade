/** Publication times: read by one grammar, ordered as instants, shown in UTC with the original kept. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { publicationOrderKey, publishedInUtc } from '../src/compare/timestamps.js';
import { freshApp, page } from './helpers.js';

describe('a publication time as pages show it', () => {
  const cases: [published: string | null, shown: string, why: string][] = [
    ['2023-03-24T23:00:00+03:00', '2023-03-24 20:00 UTC', 'a zone: moved to UTC'],
    ['2023-03-25T01:30+05:30', '2023-03-24 20:00 UTC', 'another zone, the same instant'],
    ['2023-03-24T20:00Z', '2023-03-24 20:00 UTC', 'already UTC'],
    ['2023-03-24T20:00:15Z', '2023-03-24 20:00:15 UTC', 'seconds kept when given'],
    ['2023-03-24T21:30', '2023-03-24 21:30 (zone not given)', 'no zone: as written, and said so'],
    ['2023-03-24', '2023-03-24', 'a date alone'],
    ['last week', 'last week', 'not a timestamp: as written'],
    [null, '', 'undated'],
  ];
  for (const [published, shown, why] of cases) {
    it(`${JSON.stringify(published)} → "${shown}" (${why})`, () => assert.equal(publishedInUtc(published), shown));
  }

  it('orders times given with different zones as the instants they are', () => {
    const times = ['2023-03-25T01:31+05:30', '2023-03-24T20:00Z', '2023-03-24T23:00:30+03:00'];
    assert.deepEqual([...times].sort((a, b) => publicationOrderKey(a).localeCompare(publicationOrderKey(b))), ['2023-03-24T20:00Z', '2023-03-24T23:00:30+03:00', '2023-03-25T01:31+05:30']);
  });

  it('shows UTC in the grid, with the time as published in its title; the export keeps it as published', async () => {
    const { app, tokenFor } = freshApp();
    const token = `Bearer ${tokenFor('editor')}`;
    const incident = (await request(app).post('/api/incidents').set('Authorization', token).send({ title: 'Zones' }).expect(201)).body;
    await request(app).post(`/api/incidents/${incident.id}/claims`).set('Authorization', token)
      .send({ new_source_name: 'Tasnim', new_source_kind: 'media', facet: 'rockets fired', text: 'Ten.', value: 'ten', published_at: '2023-03-24T23:00+03:30' }).expect(201);
    const $ = page((await request(app).get(`/incidents/${incident.slug}`).expect(200)).text);
    const time = $('.provenance time').first();
    assert.equal(time.text(), '2023-03-24 19:30 UTC');
    assert.equal(time.attr('title'), 'As published: 2023-03-24T23:00+03:30');
    const exported = await request(app).get(`/incidents/${incident.slug}/claims.json`).expect(200);
    assert.equal(exported.body[0].published_at, '2023-03-24T23:00+03:30');
  });
});
