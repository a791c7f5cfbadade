/**
 * The demo: the incidents of one real article, so a new Claimgrid shows what it is for.
 * Source: ISWNews, "Resistance Forces Pounded Three US Bases In Syria (Video)", 25 March 2023, 11:52.
 * Every quote is verbatim from the article (its spelling and punctuation kept, "injures" and ",," included);
 * publication times are those the article gives: its own time for its own claims, and 24 March for the
 * official who spoke "minutes after the attack" late that day; the others are left undated.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { type AssessmentFields, createAssessment } from './db/assessments.js';
import { createClaim } from './db/claims.js';
import type { Database } from './db/database.js';
import { createDocument } from './db/documents.js';
import { createFacetLink } from './db/facet-links.js';
import { createIncident } from './db/incidents.js';
import { createSource, type SourceFields } from './db/sources.js';

const ARTICLE_TIME = '2023-03-25T11:52';

/** The article itself, kept with each incident as the document its claims were taken from. */
export const DEMO_ARTICLE_FILE = new URL('../demo/iswnews-2023-03-25-us-bases-syria.txt', import.meta.url);

/** The demo's sources, by the key its claims name them with. */
export const DEMO_SOURCES = {
  iswnews: {
    name: 'ISWNews',
    kind: 'media',
    affiliation: 'Iran-aligned',
    url: null,
    notes: 'Islamic World News analysis group. Its article of 25 March 2023 is the record every demo claim comes from.',
  },
  militaryOfficial: {
    name: 'US military official (unnamed)',
    kind: 'military',
    affiliation: 'US government',
    url: null,
    notes: 'Spoke "minutes after the attack"; the article does not say to whom.',
  },
  usOfficial: {
    name: 'US official (unnamed)',
    kind: 'government',
    affiliation: 'US government',
    url: null,
    notes: 'Spoke to Al Jazeera after the attacks ended.',
  },
  alJazeera: { name: 'Al Jazeera', kind: 'media', affiliation: 'Qatar', url: null, notes: null },
  centcom: {
    name: 'US Central Command (CENTCOM)',
    kind: 'military',
    affiliation: 'US government',
    url: null,
    notes: null,
  },
  biden: { name: 'Joe Biden', kind: 'government', affiliation: 'US government', url: null, notes: 'US President.' },
} satisfies Record<string, SourceFields>;

type SourceName = keyof typeof DEMO_SOURCES;

interface DemoClaim {
  source: SourceName;
  via?: SourceName;
  facet: string;
  text: string;
  quote: string;
  value?: string;
  published_at: string | null;
}

interface DemoIncident {
  title: string;
  occurred_on: string;
  location: string;
  summary: string;
  claims: DemoClaim[];
  /** Facets declared part of others, so that claims on them are checked against each other. */
  parts?: { part: string; whole: string }[];
  /** An analyst's assessment, to show what one looks like. */
  assessments?: AssessmentFields[];
}

const EVENING_QUOTE =
  'pounded the US positions at the CONOCO gas facilities and al-Omar oil field in Deir Ezzor province, and the al-Shadadi strategic base in the southern suburbs Hasakah province with several rockets and suicide drones';
const OFFICIAL_QUOTE = 'one of our bases in Syria’s Deir Ezzor province was targeted by at least eight rockets';
const AL_JAZEERA_QUOTE = 'a US official told Al Jazeera that a US soldier was wounded following the rocket attack on three US bases in Syria';
const DRONES_QUOTE = 'the air defense systems shot down two of the three attacking drones';
const CENTCOM_QUOTE =
  'on the morning of March 24, ten rockets were fired at the Green Village compound, but this attack did not cause any damage or casualties. One of the rockets hit a residential house, causing heavy damage to the house and injures to two women and two children.';

export const DEMO_INCIDENTS: DemoIncident[] = [
  {
    title: 'Evening rocket and drone attacks on US positions in eastern Syria',
    occurred_on: '2023-03-24',
    location: 'CONOCO gas field and al-Omar oil field (Deir Ezzor); al-Shadadi (Hasakah), Syria',
    summary:
      'Late on **24 March 2023**, US positions at the CONOCO gas facilities, the al-Omar oil field and al-Shadadi were attacked with rockets and drones.\n\n' +
      'Accounts differ on how many bases were hit: an unnamed US military official spoke of *one base*, ISWNews and a US official speaking to Al Jazeera of *three*.',
    claims: [
      {
        source: 'iswnews',
        facet: 'bases targeted',
        text: 'Resistance groups targeted three US bases in eastern Syria.',
        quote: 'the resistance groups targeted three bases belonging to the US occupiers in eastern Syria with several rockets and drones',
        value: 'three',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'iswnews',
        facet: 'rockets fired',
        text: 'Several rockets were fired at the US positions.',
        quote: EVENING_QUOTE,
        value: 'several',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'iswnews',
        facet: 'drones launched',
        text: 'Suicide drones were used in the attacks; the article gives no number.',
        quote: EVENING_QUOTE,
        published_at: ARTICLE_TIME,
      },
      {
        source: 'iswnews',
        facet: 'locations hit',
        text: 'The CONOCO gas facilities, the al-Omar oil field and the al-Shadadi base were hit.',
        quote: EVENING_QUOTE,
        value: 'CONOCO, al-Omar, al-Shadadi',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'iswnews',
        facet: 'perpetrator',
        text: 'Resistance groups carried out the attacks, in retaliation for US airstrikes in Deir Ezzor.',
        quote: 'the resistance groups in retaliation to the US airstrikes on positions of SAA and Iranian-backed groups in Deir Ezzor province',
        value: 'resistance groups',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'iswnews',
        facet: 'US military response',
        text: 'About 12 hours after the attacks, the US military had not responded.',
        quote: 'After about 12 hours have passed since last night’s attacks by resistance forces against the US, there is no military response from the US military.',
        value: 'none',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'militaryOfficial',
        via: 'iswnews',
        facet: 'bases targeted',
        text: 'One US base in Deir Ezzor province was targeted.',
        quote: OFFICIAL_QUOTE,
        value: 'one',
        published_at: '2023-03-24',
      },
      {
        source: 'militaryOfficial',
        via: 'iswnews',
        facet: 'rockets fired',
        text: 'At least eight rockets were fired at a US base in Deir Ezzor province.',
        quote: OFFICIAL_QUOTE,
        value: 'at least eight',
        published_at: '2023-03-24',
      },
      {
        source: 'usOfficial',
        via: 'alJazeera',
        facet: 'US personnel wounded',
        text: 'A US soldier was wounded in the rocket attack.',
        quote: AL_JAZEERA_QUOTE,
        value: 'one',
        published_at: null,
      },
      {
        source: 'usOfficial',
        via: 'alJazeera',
        facet: 'bases targeted',
        text: 'Three US bases in Syria were attacked with rockets.',
        quote: AL_JAZEERA_QUOTE,
        value: 'three',
        published_at: null,
      },
      {
        source: 'usOfficial',
        via: 'alJazeera',
        facet: 'drones launched',
        text: 'Three drones attacked.',
        quote: DRONES_QUOTE,
        value: 'three',
        published_at: null,
      },
      {
        source: 'usOfficial',
        via: 'alJazeera',
        facet: 'drones shot down',
        text: 'Air defences shot down two of the three drones.',
        quote: DRONES_QUOTE,
        value: 'two',
        published_at: null,
      },
    ],
    parts: [{ part: 'drones shot down', whole: 'drones launched' }],
    assessments: [
      {
        facet: 'bases targeted',
        value: 'three',
        grade: 'fair',
        reason:
          'ISWNews and a US official speaking to Al Jazeera, two independent accounts, both say three bases; the unnamed US military official spoke only of the base in Deir Ezzor. (Demo assessment, for illustration.)',
      },
    ],
  },
  {
    title: 'Morning rocket attack on the Green Village compound',
    occurred_on: '2023-03-24',
    location: 'Green Village compound, al-Omar oil field, Deir Ezzor, Syria',
    summary:
      'On the morning of **24 March 2023** rockets were fired at the US-led coalition at the al-Omar oil field.\n\n' +
      'CENTCOM\'s statement says the attack caused *no damage or casualties*, and in the next sentence that a rocket hit a house, injuring two women and two children.',
    claims: [
      {
        source: 'iswnews',
        facet: 'location',
        text: 'US coalition positions in the Omar oil field were targeted by a rocket attack.',
        quote: 'in the morning of the same day, the positions of the US coalition in the Omar oil field were also targeted by a rocket attack',
        value: 'Omar oil field',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'centcom',
        via: 'iswnews',
        facet: 'location',
        text: 'The rockets were fired at the Green Village compound.',
        quote: CENTCOM_QUOTE,
        value: 'Green Village compound',
        published_at: null,
      },
      {
        source: 'centcom',
        via: 'iswnews',
        facet: 'rockets fired',
        text: 'Ten rockets were fired at the Green Village compound.',
        quote: CENTCOM_QUOTE,
        value: 'ten',
        published_at: null,
      },
      {
        source: 'centcom',
        via: 'iswnews',
        facet: 'damage',
        text: 'The attack caused no damage.',
        quote: CENTCOM_QUOTE,
        value: 'none',
        published_at: null,
      },
      {
        source: 'centcom',
        via: 'iswnews',
        facet: 'casualties',
        text: 'The attack caused no casualties.',
        quote: CENTCOM_QUOTE,
        value: 'none',
        published_at: null,
      },
      {
        source: 'centcom',
        via: 'iswnews',
        facet: 'houses hit',
        text: 'One rocket hit a residential house, causing heavy damage to it.',
        quote: CENTCOM_QUOTE,
        value: 'one',
        published_at: null,
      },
      {
        source: 'centcom',
        via: 'iswnews',
        facet: 'civilians injured',
        text: 'Two women and two children were injured.',
        quote: CENTCOM_QUOTE,
        value: 'four',
        published_at: null,
      },
    ],
    // CENTCOM's "no casualties" and its four injured civilians: checked against each other, CENTCOM contradicts itself.
    parts: [{ part: 'civilians injured', whole: 'casualties' }],
  },
  {
    title: 'US airstrikes on Iran-backed groups in Deir Ezzor',
    occurred_on: '2023-03-23',
    location: 'Deir Ezzor province, Syria',
    summary:
      'US airstrikes on positions in Deir Ezzor province, which the attacks of 24 March answered. ' +
      'The date is the night before President Biden\'s remark that it "happened last night".',
    claims: [
      {
        source: 'iswnews',
        facet: 'targets',
        text: 'The airstrikes hit positions of the Syrian Arab Army and Iranian-backed groups.',
        quote: 'the US airstrikes on positions of SAA and Iranian-backed groups in Deir Ezzor province',
        value: 'SAA and Iranian-backed groups',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'iswnews',
        facet: 'people killed',
        text: 'Six Syrian servicemen were killed.',
        quote: 'which led to the death of six Syrian servicemen',
        value: 'six',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'iswnews',
        facet: 'trigger',
        text: 'An American contractor had been killed in Syria (headline of a related ISWNews article).',
        quote: 'An American Contractor Was Killed In Syria; American Airstrike On Resistance Positions',
        published_at: ARTICLE_TIME,
      },
      {
        source: 'biden',
        via: 'iswnews',
        facet: 'purpose',
        text: 'The United States does not seek conflict with Iran but acted forcefully to protect its people.',
        quote:
          'To make no mistake, the United States does not — does not, emphasize — seek conflict with Iran,, But be prepared for us to act forcefully to protect our people. That’s exactly what happened last night.',
        published_at: null,
      },
    ],
  },
];

/** Fills the database with the demo incidents, in one transaction. */
export function loadDemo(db: Database): { incidents: number; claims: number } {
  const article = fs.readFileSync(DEMO_ARTICLE_FILE, 'utf8');
  const sha256 = createHash('sha256').update(article).digest('hex');
  return db.transaction(() => {
    const sourceIds = new Map<SourceName, number>();
    for (const [key, fields] of Object.entries(DEMO_SOURCES) as [SourceName, SourceFields][]) {
      sourceIds.set(key, createSource(db, fields).id);
    }
    let claims = 0;
    for (const { claims: demoClaims, parts = [], assessments = [], ...fields } of DEMO_INCIDENTS) {
      const incident = createIncident(db, fields);
      const document = createDocument(
        db,
        incident.id,
        {
          title: article.split('\n', 1)[0]!,
          outlet_source_id: sourceIds.get('iswnews')!,
          url: null,
          archive_url: null,
          published_at: ARTICLE_TIME,
          format: 'text',
          text: article,
          sha256,
        },
        null,
      );
      for (const { source, via, value, ...claim } of demoClaims) {
        // Every quote is verbatim from the article: its place there is the claim's span.
        const at = article.indexOf(claim.quote);
        createClaim(db, incident.id, {
          ...claim,
          source_id: sourceIds.get(source)!,
          via_source_id: via ? sourceIds.get(via)! : null,
          value: value ?? null,
          url: null,
          archive_url: null,
          document_id: at < 0 ? null : document.id,
          span_start: at < 0 ? null : at,
          span_end: at < 0 ? null : at + claim.quote.length,
        });
        claims++;
      }
      for (const link of parts) createFacetLink(db, incident.id, link, null);
      for (const assessment of assessments) createAssessment(db, incident.id, assessment, null);
    }
    return { incidents: DEMO_INCIDENTS.length, claims };
  })();
}
