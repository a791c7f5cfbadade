/**
 * Proposals from a text: who said what count, through whom. Measured against answer keys: the demo
 * (the seed article's claims, typed by hand) and test texts of our own, written without the rules
 * in view. The figures printed here are the ones the README reports, and the README is checked.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatInterval, parseValue } from '../src/compare/values.js';
import { DEMO_ARTICLE_FILE, DEMO_INCIDENTS, DEMO_SOURCES } from '../src/demo.js';
import { proposeClaims, type Proposal } from '../src/extract/proposals.js';
import { heldOutTexts, ownTexts, percent, score, type KeyClaim, type Score } from './extraction-scores.js';

const SEED = fs.readFileSync(DEMO_ARTICLE_FILE, 'utf8');
const SHARED_SEED = new URL('../../shared/seed/iswnews-2023-03-25-us-bases-syria.txt', import.meta.url);
const README = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function seedProposals(): Proposal[] {
  return proposeClaims(SEED, { outlet: 'ISWNews' }).proposals;
}

/** The demo's claims as an answer key, the ones with a count for a value and the rest apart. */
function demoKey(): { counts: (KeyClaim & { quote: string })[]; others: (KeyClaim & { quote: string })[] } {
  const counts: (KeyClaim & { quote: string })[] = [];
  const others: (KeyClaim & { quote: string })[] = [];
  for (const incident of DEMO_INCIDENTS) {
    for (const claim of incident.claims) {
      const key = {
        source: DEMO_SOURCES[claim.source].name,
        via: claim.via ? DEMO_SOURCES[claim.via].name : null,
        facet: claim.facet,
        value: claim.value ?? '',
        quote: claim.quote,
      };
      if (parseValue(claim.value)?.low != null) counts.push(key);
      else others.push(key);
    }
  }
  return { counts, others };
}

function describeScore(name: string, s: Score): string {
  const lines = [`${name}: ${s.matched.length} of ${s.claims} claims proposed right (recall ${percent(s.matched.length, s.claims)}), ${s.matched.length} of ${s.proposed} proposals right (precision ${percent(s.matched.length, s.proposed)})`];
  for (const miss of s.missed) lines.push(`  missed: ${miss.source} — ${miss.facet} = ${miss.value}`);
  for (const extra of s.extra) lines.push(`  not in the key: ${extra.source.name} — ${extra.facet} = ${extra.value?.text}`);
  return lines.join('\n');
}

/** The README's row for a scored text: | name | claims | proposals | right | recall | precision |. */
function tableRow(name: string, s: Score): string {
  return `| ${name} | ${s.claims} | ${s.proposed} | ${s.matched.length} | ${percent(s.matched.length, s.claims)} | ${percent(s.matched.length, s.proposed)} |`;
}

function total(scores: Score[]): Score {
  return {
    claims: scores.reduce((n, s) => n + s.claims, 0),
    proposed: scores.reduce((n, s) => n + s.proposed, 0),
    matched: scores.flatMap((s) => s.matched),
    missed: scores.flatMap((s) => s.missed),
    extra: scores.flatMap((s) => s.extra),
  };
}

function only(proposals: Proposal[], match: (p: Proposal) => boolean): Proposal {
  const found = proposals.filter(match);
  assert.equal(found.length, 1, `one proposal, found ${found.length}: ${JSON.stringify(found.map((p) => [p.source.name, p.facet, p.value?.text]))}`);
  return found[0]!;
}

describe('proposals from the seed article', () => {
  it('is the article of ../shared/seed, copied so the tests run without it', { skip: !fs.existsSync(SHARED_SEED) && 'no ../shared here' }, () => {
    assert.equal(SEED, fs.readFileSync(SHARED_SEED, 'utf8'));
  });

  it('include at least 90% of the demo’s count claims with the right source, via and value', () => {
    const s = score(seedProposals(), demoKey().counts, { withVia: true });
    console.log(describeScore('Seed article, source + via + value', s));
    assert.ok(s.matched.length / s.claims >= 0.9, describeScore('seed', s));
    assert.ok(README.includes(tableRow('Seed article (ISWNews), source + via + value', s)), `the README reports ${tableRow('Seed article (ISWNews), source + via + value', s)}`);
  });

  it('reports its text values and quotations as a second score', () => {
    const proposals = seedProposals();
    const { others, counts } = demoKey();
    const textValues = others.filter((claim) => claim.value !== '');
    const textRight = textValues.filter((claim) =>
      proposals.some((p) => p.source.name === claim.source && p.value?.text.toLowerCase() === claim.value.toLowerCase()),
    );
    // The quotations: demo claims whose quote stands between quotation marks in the article.
    const quoted = [...counts, ...others as (KeyClaim & { quote: string })[]].filter((claim) => /[“"]/.test(SEED.slice(Math.max(0, SEED.indexOf(claim.quote.slice(0, 30)) - 3), SEED.indexOf(claim.quote.slice(0, 30)))));
    const quotesRight = quoted.filter((claim) => proposals.some((p) => p.source.name === claim.source && p.quote !== null && (p.quote.includes(claim.quote) || claim.quote.includes(p.quote))));
    const line = `text values ${textRight.length} of ${textValues.length}, quotations ${quotesRight.length} of ${quoted.length}`;
    console.log(`Seed article, second score: ${line}`);
    assert.ok(quoted.length >= 7, 'CENTCOM’s six claims and Biden’s are quoted');
    assert.equal(quotesRight.length, quoted.length);
    assert.ok(README.includes(`Second score on the seed article: ${line}.`), `the README reports: Second score on the seed article: ${line}.`);
  });

  it('proposes where an attack struck and who struck, as text values, but not "in eastern Syria" or "Deir Ezzor province"', () => {
    const places = seedProposals().filter((p) => p.facet === 'location' || p.facet === 'perpetrator');
    assert.deepEqual(
      places.map((p) => [p.source.name, p.facet, p.value?.text]),
      [
        ['ISWNews', 'perpetrator', 'Resistance Forces'],
        ['ISWNews', 'perpetrator', 'resistance groups'],
        ['ISWNews', 'location', 'CONOCO gas facilities'],
        ['ISWNews', 'location', 'Omar oil field'],
        ['US Central Command (CENTCOM)', 'location', 'Green Village compound'],
      ],
    );
  });

  it('names the official who told Al Jazeera as "US official (unnamed)", via Al Jazeera', () => {
    const wounded = only(seedProposals(), (p) => p.sentence.includes('told Al Jazeera') && p.value?.low === 1);
    assert.deepEqual([wounded.source.name, wounded.source.kind, wounded.via?.name], ['US official (unnamed)', 'government', 'Al Jazeera']);
    assert.match(wounded.cue, /"told" with subject "a US official", through "Al Jazeera"/);
    // The next sentence ("Also, the air defense systems shot down …") continues the same account.
    const shotDown = only(seedProposals(), (p) => p.facet === 'drones shot down');
    assert.deepEqual([shotDown.source.name, shotDown.via?.name, shotDown.value?.text], ['US official (unnamed)', 'Al Jazeera', 'two']);
  });

  it('gives CENTCOM its ten rockets and its "no damage or casualties", through ISWNews', () => {
    const proposals = seedProposals();
    const rockets = only(proposals, (p) => p.value?.text === 'ten');
    assert.deepEqual([rockets.source.name, rockets.via?.name, rockets.facet], ['US Central Command (CENTCOM)', 'ISWNews', 'rockets fired']);
    assert.equal(rockets.statement, 'Ten rockets were fired at the Green Village compound.', 'a statement in the analyst’s style, with the place the sentence names');
    for (const facet of ['damage', 'casualties']) {
      const denied = only(proposals, (p) => p.facet === facet);
      assert.deepEqual([denied.source.name, denied.value?.text, denied.value?.low], ['US Central Command (CENTCOM)', 'none', 0]);
      assert.ok(denied.quote?.startsWith('on the morning of March 24, ten rockets'), 'the quotation is CENTCOM’s words');
    }
  });

  it('proposes "six Syrian servicemen" in the article’s own voice, and neither "March 24" nor "12 hours"', () => {
    const proposals = seedProposals();
    const six = only(proposals, (p) => p.value?.text === 'six');
    assert.deepEqual([six.source.name, six.via, six.facet], ['ISWNews', null, 'servicemen killed']);
    assert.match(six.cue, /own voice/);
    const valueTexts = proposals.map((p) => (p.marks.value ? SEED.slice(p.marks.value[0], p.marks.value[1]) : ''));
    assert.ok(!valueTexts.some((text) => /24|12/.test(text)), `no date or duration: ${valueTexts.join(' | ')}`);
    assert.ok(!proposals.some((p) => p.value?.low === 24 || p.value?.low === 12 || p.value?.low === 25 || p.value?.low === 2023));
  });

  it('matches the incident’s facets and sources when it knows them', () => {
    const { proposals } = proposeClaims(SEED, {
      outlet: 'ISWNews',
      sources: [{ id: 7, name: 'US Central Command (CENTCOM)', kind: 'military' }, { id: 3, name: 'ISWNews', kind: 'media' }],
      facets: ['US personnel wounded', 'people killed', 'US military response', 'civilians injured', 'houses hit', 'rockets fired'],
    });
    // Things match only by their own noun: bases are not houses, drones not rockets.
    assert.ok(proposals.some((p) => p.facet === 'bases targeted' && p.value?.text === 'three'));
    assert.ok(proposals.some((p) => p.facet === 'drones launched' && p.value?.text === 'three'));
    assert.deepEqual(proposals.filter((p) => p.facet === 'houses hit').map((p) => p.value?.text), ['a']);
    const wounded = only(proposals, (p) => p.sentence.includes('told Al Jazeera') && p.value?.low === 1);
    assert.equal(wounded.facet, 'US personnel wounded');
    assert.equal(only(proposals, (p) => p.value?.text === 'six').facet, 'people killed');
    assert.equal(only(proposals, (p) => p.facet === 'US military response').value?.text, 'none');
    const rockets = only(proposals, (p) => p.value?.text === 'ten');
    assert.deepEqual([rockets.source.id, rockets.via?.id], [7, 3]);
  });
});

describe('proposals from test texts of our own', () => {
  it('are scored on source + value, and the README reports the figures', () => {
    const scores = ownTexts().map(({ name, text, key }) => {
      const s = score(proposeClaims(text, { outlet: key.outlet }).proposals, key.claims, { withVia: false });
      console.log(describeScore(name, s));
      assert.ok(README.includes(tableRow(name, s)), `the README reports ${tableRow(name, s)}`);
      return s;
    });
    assert.equal(scores.length, 5);
    const all = total(scores);
    assert.ok(README.includes(tableRow('All five', all)), `the README reports ${tableRow('All five', all)}`);
    assert.ok(all.matched.length / all.claims >= 0.85 && all.matched.length / all.proposed >= 0.85, describeScore('all five', all));
  });

  it('are scored on texts held out while the rules were tuned, and the README reports them', () => {
    const held = heldOutTexts();
    const scores = held.map(({ name, text, key }) => {
      const s = score(proposeClaims(text, { outlet: key.outlet }).proposals, key.claims, { withVia: false });
      console.log(describeScore(`${name} (held out)`, s));
      assert.ok(README.includes(tableRow(name, s)), `the README reports ${tableRow(name, s)}`);
      return s;
    });
    assert.ok(held.length >= 3);
    const all = total(scores);
    assert.ok(README.includes(tableRow('All held out', all)), `the README reports ${tableRow('All held out', all)}`);
  });
});

/** One sentence, one expected proposal: the attribution forms news writing uses. */
const ATTRIBUTIONS: { text: string; source: string; via: string | null; value: string }[] = [
  { text: 'Three soldiers were killed, the army said.', source: 'Army', via: 'Wire', value: 'Three' },
  { text: 'The army said three soldiers were killed.', source: 'Army', via: 'Wire', value: 'three' },
  { text: '“Three soldiers were killed,” said Ahmed Saleh, a local official.', source: 'Ahmed Saleh', via: 'Wire', value: 'Three' },
  { text: 'At least 12 people were killed, according to the Syrian Observatory for Human Rights.', source: 'Syrian Observatory for Human Rights (SOHR)', via: 'Wire', value: 'At least 12' },
  { text: 'A US official told Reuters that two drones were shot down.', source: 'US official (unnamed)', via: 'Reuters', value: 'two' },
  { text: 'The ministry said in a statement that 40 people were wounded.', source: 'Ministry', via: 'Wire', value: '40' },
  { text: 'Speaking on condition of anonymity, a US official said five rockets were fired.', source: 'US official (unnamed)', via: 'Wire', value: 'five' },
  { text: 'Colonel Ali Hamdan was quoted by ISNA as saying that 11 guards were killed.', source: 'Ali Hamdan', via: 'ISNA', value: '11' },
  { text: 'A spokesman for the Houthis said 14 drones were launched.', source: 'Houthis', via: 'Wire', value: '14' },
  { text: "The army's spokesman, Col. Yahya Saree, said 20 missiles were fired.", source: 'Yahya Saree', via: 'Wire', value: '20' },
  { text: 'The strike, the ministry said, killed 12 civilians.', source: 'Ministry', via: 'Wire', value: '12' },
  { text: 'Hamas claimed that 30 rockets were fired.', source: 'Hamas', via: 'Wire', value: '30' },
  { text: 'Israel confirmed that two soldiers were wounded.', source: 'Israel', via: 'Wire', value: 'two' },
  { text: 'Speaking to Al Jazeera, a resident said four houses were destroyed.', source: 'Resident (unnamed)', via: 'Al Jazeera', value: 'four' },
  { text: 'In an interview with CNN, the governor said nine people were injured.', source: 'Governor', via: 'CNN', value: 'nine' },
  { text: 'Yahya Saree said on al-Masirah TV that six missiles were fired.', source: 'Yahya Saree', via: 'al-Masirah TV', value: 'six' },
  { text: 'Eight fighters were killed, SANA reported.', source: 'SANA', via: 'Wire', value: 'Eight' },
];

describe('attribution', () => {
  for (const { text, source, via, value } of ATTRIBUTIONS) {
    it(`"${text}" → ${source}${via ? ` via ${via}` : ''}: ${value}`, () => {
      const { proposals } = proposeClaims(text, { outlet: 'Wire' });
      const counted = proposals.filter((p) => p.value !== null);
      assert.equal(counted.length, 1, JSON.stringify(proposals.map((p) => [p.source.name, p.facet, p.value?.text, p.cue])));
      assert.deepEqual([counted[0]!.source.name, counted[0]!.via?.name ?? null, counted[0]!.value!.text], [source, via, value]);
    });
  }

  it('carries the last speaker on through "He added" and "the official said"', () => {
    const text = [
      'Defence Minister Ali Karimi said 12 drones were shot down.',
      'He added that three soldiers were wounded.',
      'A US official said two bases were targeted. The official said four rockets were fired.',
    ].join('\n\n');
    const { proposals } = proposeClaims(text, { outlet: 'Wire' });
    assert.deepEqual(
      proposals.map((p) => [p.source.name, p.value?.text]),
      [['Ali Karimi', '12'], ['Ali Karimi', 'three'], ['US official (unnamed)', 'two'], ['US official (unnamed)', 'four']],
    );
  });

  it('gives a quotation over several sentences to the speaker named at its end', () => {
    const text = '“The attack began at night. Ten rockets hit the base. Two guards were wounded,” the commander, Gen. Omar Said, told AFP.';
    const { proposals } = proposeClaims(text, { outlet: 'Wire' });
    assert.deepEqual(
      proposals.filter((p) => p.value).map((p) => [p.source.name, p.via?.name, p.value?.text, p.quote !== null]),
      [['Omar Said', 'AFP', 'Ten', true], ['Omar Said', 'AFP', 'Two', true]],
    );
  });

  it('leaves dates, ages, years, times, durations, distances, ordinals and page furniture alone', () => {
    const text = [
      'On March 24, 2023, a 34-year-old man was killed at 3 a.m., 5 km from the border, in the third attack in two weeks.',
      'The 2nd Brigade has held the town since 1998 for 12 hours a day.',
      'Read more: Five killed in earlier strike',
      'Share this: 3 comments',
    ].join('\n');
    const { proposals } = proposeClaims(text, { outlet: 'Wire' });
    assert.deepEqual(proposals.map((p) => [p.facet, p.value?.text]), [['men killed', 'a']]);
  });
});

/** Values as written, and what they count: the forms of the issue's list, each in a sentence. */
const VALUES: { text: string; value: string; facet: string; reads: string }[] = [
  { text: 'At least eight rockets were fired, the army said.', value: 'At least eight', facet: 'rockets fired', reads: '8 or more' },
  { text: 'All but one of the soldiers were killed, the army said.', value: 'All but one', facet: 'soldiers killed', reads: 'text, not a count' },
  { text: 'A contractor was killed, the Pentagon said.', value: 'A', facet: 'contractors killed', reads: 'exactly 1' },
  { text: 'More than 60 people were wounded, the ministry said.', value: 'More than 60', facet: 'people wounded', reads: '61 or more' },
  { text: 'The toll rose from at least 30 dead to more than 60, the ministry said.', value: 'from at least 30 dead to more than 60', facet: 'people killed', reads: 'text, not a count' },
  { text: 'Several drones were shot down, the army said.', value: 'Several', facet: 'drones shot down', reads: '3 to 9' },
  { text: 'Most of the drones were shot down, the army said.', value: 'Most', facet: 'drones shot down', reads: 'text, not a count' },
  { text: 'Dozens of rockets were fired, the army said.', value: 'Dozens', facet: 'rockets fired', reads: '24 to 99' },
  { text: 'Half of the rockets were intercepted, the army said.', value: 'Half', facet: 'rockets intercepted', reads: 'text, not a count' },
  { text: 'Another soldier was wounded, the army said.', value: 'Another', facet: 'soldiers wounded', reads: 'text, not a count' },
  { text: 'No civilians were killed, the army said.', value: 'none', facet: 'civilians killed', reads: '0' },
  { text: 'Two women and two children were injured, the ministry said.', value: 'four', facet: 'civilians injured', reads: 'exactly 4' },
  { text: 'At least 30 people were killed and more than 60 wounded, the ministry said.', value: 'more than 60', facet: 'people wounded', reads: '61 or more' },
  { text: 'Twelve were killed and dozens were hurt, the ministry said.', value: 'dozens', facet: 'people injured', reads: '24 to 99' },
  { text: 'Police arrested 25 suspects, the ministry said.', value: '25', facet: 'suspects arrested', reads: 'exactly 25' },
];

describe('values as written', () => {
  for (const { text, value, facet, reads } of VALUES) {
    it(`"${text}" → ${facet}: ${value} (${reads})`, () => {
      const found = proposeClaims(text, { outlet: 'Wire' }).proposals.filter((p) => p.value?.text === value);
      assert.equal(found.length, 1, JSON.stringify(proposeClaims(text, { outlet: 'Wire' }).proposals.map((p) => [p.facet, p.value?.text])));
      assert.equal(found[0]!.facet, facet);
      assert.equal(formatInterval(found[0]!.value), reads);
    });
  }
});

/** Texts and what must come of them: the cases a review of the rules found wrong, kept right. */
const CASES: { what: string; text: string; expected: [source: string, value: string | undefined][] }[] = [
  {
    what: 'a description is never given to a speaker named after it',
    text: 'Strike in the south\n\nFive people were killed, the ministry said. The White House said two drones were shot down.',
    expected: [['Ministry', 'Five'], ['White House', 'two']],
  },
  {
    what: 'the surname alone is the person named before',
    text: 'Houthi military spokesman Yahya Saree said six missiles were fired. Saree said two drones were shot down.',
    expected: [['Yahya Saree', 'six'], ['Yahya Saree', 'two']],
  },
  {
    what: 'a quotation right after a speaker’s goes on in their voice',
    text: '"The ship was hit," Yahya Saree said.\n\n"We fired 12 missiles at the ship."',
    expected: [['Yahya Saree', '12']],
  },
  {
    what: 'a follow-up goes on through the same outlet',
    text: 'A US official told Al Jazeera that two soldiers were wounded. He added that no civilians were harmed.',
    expected: [['US official (unnamed)', 'two'], ['US official (unnamed)', 'none']],
  },
  {
    what: 'a place after "of" is no person',
    text: 'The mayor of Nabatieh said three houses were destroyed.',
    expected: [['Mayor of Nabatieh', 'three']],
  },
  {
    what: 'a denied count is the speaker’s "none", up to the next clause',
    text: 'Iran denied that three of its advisers were killed. The RSF denied that it had shelled the market, saying its fighters had shot down two drones.',
    expected: [['Iran', 'none'], ['RSF', 'two']],
  },
  {
    what: 'a dozen and two dozen are numbers',
    text: 'Two dozen rockets were fired, the army said. We fired a dozen missiles, the navy said.',
    expected: [['Army', 'Two dozen'], ['Navy', 'a dozen']],
  },
  {
    what: 'a dateline is not the speaker',
    text: 'BEIRUT, Jan 5 (Reuters) - At least 12 people were killed in an airstrike, the health ministry said.',
    expected: [['Health ministry', 'At least 12']],
  },
  {
    what: 'a bare "the group" is no perpetrator',
    text: 'The group fired two rockets at the base.',
    expected: [['Wire', 'two']],
  },
];

describe('cases found wrong once', () => {
  for (const { what, text, expected } of CASES) {
    it(what, () => {
      const { proposals } = proposeClaims(text, { outlet: 'Wire' });
      assert.deepEqual(proposals.map((p) => [p.source.name, p.value?.text]), expected);
      if (what.includes('same outlet')) assert.deepEqual(proposals.map((p) => p.via?.name), ['Al Jazeera', 'Al Jazeera']);
    });
  }

  it('reads a text with no full stop in sentences of at most 120 words, and proposes each claim once', () => {
    const text = Array.from({ length: 400 }, (_, i) => `the army said ${(i % 5) + 2} rockets were fired at base ${i} and`).join(' ');
    const { sentences, proposals } = proposeClaims(text, { outlet: 'Wire' });
    assert.ok(sentences >= 4000 / 120, `${sentences} sentences`);
    assert.ok(proposals.every((p) => p.sentence.split(/\s+/).length <= 121), 'no proposal carries more than a sentence of 120 words');
    assert.deepEqual(proposals.map((p) => p.value?.text).sort(), ['2', '3', '4', '5', '6']);
  });
});

describe('the extractor, for any text', () => {
  it('never fails, proposes only from inside the text, and only values that read as counts', () => {
    const word = fc.constantFrom('said', 'the', 'army', '12', 'rockets', 'were', 'fired', '“', '”', ',', '.', 'no', 'damage', 'a', 'soldier', 'killed', 'according', 'to', 'Reuters', 'told', '\n', 'at', 'least', 'He', 'added', '-', ';', 'of', 'two', 'three');
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.string()), { maxLength: 60 }), (parts) => {
        const text = parts.join(' ');
        const result = proposeClaims(text, { outlet: 'Wire' });
        for (const p of result.proposals) {
          assert.ok(p.start >= 0 && p.end <= text.length && p.start < p.end);
          assert.equal(text.slice(p.start, p.end), p.sentence);
          // The value is what the grid will read from it: a count, or words that say how many ("most").
          if (p.value) assert.deepEqual(parseValue(p.value.text), p.value);
        }
        assert.deepEqual(proposeClaims(text, { outlet: 'Wire' }), result, 'the same text gives the same proposals');
      }),
      { numRuns: 200 },
    );
  });
});
