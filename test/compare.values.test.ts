import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import fc from 'fast-check';
import { formatInterval, isCount, parseValue } from '../src/compare/values.js';

type Interval = [low: number, high: number | null];

/** Every phrase in a row must read as the row's interval. */
const COUNTS: { reading: string; interval: Interval; phrases: string[] }[] = [
  // Plain numbers
  { reading: 'digits', interval: [8, 8], phrases: ['8', ' 8 ', '8 rockets', '8.', 'eight', 'Eight', 'EIGHT ROCKETS.'] },
  { reading: 'digits with thousands separators', interval: [1200, 1200], phrases: ['1,200', '1200', '1,200 people', 'one thousand two hundred', 'twelve hundred'] },
  { reading: 'millions in digits', interval: [12_000_000, 12_000_000], phrases: ['12,000,000', '12000000', '12 million', 'twelve million'] },
  { reading: 'hyphenated or spaced tens', interval: [22, 22], phrases: ['twenty-two', 'twenty two', 'Twenty-Two soldiers', '22'] },
  { reading: 'hundreds with "and"', interval: [205, 205], phrases: ['two hundred and five', 'two hundred five', 'Two Hundred And Five civilians'] },
  { reading: 'spelled millions', interval: [3_000_000, 3_000_000], phrases: ['three million', '3 million', '3,000,000'] },
  { reading: 'one million', interval: [1_000_000, 1_000_000], phrases: ['one million', 'a million', '1 million', '1,000,000 litres'] },
  { reading: 'decimal millions', interval: [1_500_000, 1_500_000], phrases: ['1.5 million', '1.5 million people'] },
  { reading: 'thousands with a remainder', interval: [105_000, 105_000], phrases: ['one hundred and five thousand', '105,000'] },
  { reading: 'a dozen', interval: [12, 12], phrases: ['a dozen', 'A dozen rockets', 'one dozen', 'twelve'] },
  { reading: 'dozens multiplied', interval: [24, 24], phrases: ['two dozen', 'two dozen drones', '2 dozen', 'twenty-four'] },
  { reading: 'half a dozen', interval: [6, 6], phrases: ['half a dozen', 'half a dozen shells'] },
  { reading: 'a hundred', interval: [100, 100], phrases: ['a hundred', 'one hundred', 'a hundred rockets'] },
  { reading: 'one thing', interval: [1, 1], phrases: ['1', 'one', 'One base', 'a', 'an', 'a drone', 'an explosion', 'single', 'a single drone', 'A Single rocket.'] },
  { reading: 'leading "a total of"', interval: [12, 12], phrases: ['a total of 12 rockets', 'a total of twelve'] },

  // Nothing
  { reading: 'zero', interval: [0, 0], phrases: ['0', 'zero', 'Zero casualties', 'no', 'No casualties', 'no  injuries.', 'none', 'None', 'none of them', 'nobody', 'no one', 'No One'] },

  // Lower bounds
  { reading: 'at least', interval: [8, null], phrases: ['at least 8', 'at least eight rockets', 'At  least  eight', 'no fewer than 8', 'no less than eight', '8 or more', 'eight or more rockets', '8+', '8 +', '8+ rockets'] },
  { reading: 'more than', interval: [11, null], phrases: ['more than 10', 'More than ten rockets', 'over 10', 'over ten', 'upwards of 10', 'in excess of 10', 'in excess of ten people'] },
  { reading: 'more than a dozen', interval: [13, null], phrases: ['more than a dozen', 'over a dozen rockets', 'more than twelve'] },
  { reading: 'more than a thousand', interval: [1001, null], phrases: ['more than a thousand', 'over 1,000', 'in excess of one thousand'] },

  // Upper bounds
  { reading: 'at most', interval: [0, 5], phrases: ['at most 5', 'at most five', 'up to 5', 'Up to five rockets', 'no more than 5', 'no more than five people', '5 or fewer', 'five or less'] },
  { reading: 'fewer than', interval: [0, 4], phrases: ['fewer than 5', 'fewer than five', 'less than 5', 'less than five casualties', 'under 5', 'Under five.'] },
  { reading: 'fewer than one', interval: [0, 0], phrases: ['fewer than one', 'less than 1', 'under one'] },

  // Ranges
  { reading: 'between', interval: [10, 20], phrases: ['between 10 and 20', 'between ten and twenty', 'Between 20 and 10', 'from 10 to 20', '10 to 20', 'ten to twenty rockets', '10-20', '10 - 20', '10–20', '10 – 20 rockets', '20-10'] },
  { reading: 'between spelled hundreds', interval: [100, 200], phrases: ['between one hundred and two hundred', 'between a hundred and two hundred', '100-200'] },
  { reading: 'between spelled thousands', interval: [1000, 2000], phrases: ['between one thousand and two thousand', '1,000 to 2,000'] },
  { reading: 'N or M', interval: [2, 3], phrases: ['two or three', '2 or 3 rockets', 'three or two'] },

  // Approximations: N ± max(1, 10%), rounded outward
  { reading: 'about 10', interval: [9, 11], phrases: ['about 10', 'About ten', 'around 10', 'approximately 10', 'roughly ten rockets', 'some 10', 'ten or so', 'an estimated 10'] },
  { reading: 'about 15', interval: [13, 17], phrases: ['about 15', 'around fifteen', 'some 15 people'] },
  { reading: 'about 30', interval: [27, 33], phrases: ['about 30', 'approximately thirty'] },
  { reading: 'about 7', interval: [6, 8], phrases: ['about 7', 'roughly seven'] },
  { reading: 'about 1', interval: [0, 2], phrases: ['about one', 'around 1'] },
  { reading: 'about a hundred', interval: [90, 110], phrases: ['about a hundred', 'around 100', 'some one hundred'] },
  { reading: 'about 1,200', interval: [1080, 1320], phrases: ['about 1,200', 'approximately twelve hundred people'] },
  { reading: 'about a dozen', interval: [10, 14], phrases: ['about a dozen', 'around 12', 'roughly a dozen rockets'] },
  { reading: 'nearly 10', interval: [9, 9], phrases: ['nearly 10', 'almost ten', 'Nearly ten people'] },
  { reading: 'nearly 100', interval: [90, 99], phrases: ['nearly 100', 'almost a hundred', 'almost one hundred'] },
  { reading: 'nearly 15', interval: [13, 14], phrases: ['nearly 15', 'almost fifteen'] },

  // Vague quantities
  { reading: 'a couple', interval: [2, 2], phrases: ['a couple', 'A couple of rockets', 'a couple of'] },
  { reading: 'a few / a handful', interval: [2, 5], phrases: ['a few', 'A few rockets', 'a handful', 'a handful of soldiers'] },
  { reading: 'several', interval: [3, 9], phrases: ['several', 'Several rockets', 'several.', 'SEVERAL drones'] },
  { reading: 'dozens', interval: [24, 99], phrases: ['dozens', 'Dozens of rockets', 'dozens of people'] },
  { reading: 'tens', interval: [20, 99], phrases: ['tens', 'tens of people'] },
  { reading: 'scores', interval: [40, 99], phrases: ['scores', 'scores of people'] },
  { reading: 'hundreds', interval: [200, 999], phrases: ['hundreds', 'Hundreds of people', 'hundreds of rockets', '100s', "100's of rockets"] },
  { reading: 'thousands', interval: [2000, 9999], phrases: ['thousands', 'Thousands of residents', '1000s', '1,000s of people'] },
  { reading: 'tens, in digits', interval: [20, 99], phrases: ['10s', '10s of drones'] },
  { reading: 'several hundred', interval: [300, 999], phrases: ['several hundred', 'several hundred people'] },
  { reading: 'a few thousand', interval: [2000, 5999], phrases: ['a few thousand', 'a few thousand people'] },
  { reading: 'tens of thousands', interval: [20_000, 99_999], phrases: ['tens of thousands', 'Tens of thousands of people'] },
  { reading: 'hundreds of thousands', interval: [200_000, 999_999], phrases: ['hundreds of thousands'] },

  // Scale words and letters: the full count
  { reading: 'billions, in words and letters', interval: [2_000_000_000, 2_000_000_000], phrases: ['2 billion', 'two billion', '2bn', '2 bn', '2b', '2bln', '2B'] },
  { reading: 'trillions', interval: [1_000_000_000_000, 1_000_000_000_000], phrases: ['1 trillion', 'one trillion', '1tn'] },
  { reading: 'thousands by "k"', interval: [10_000, 10_000], phrases: ['10k', '10K', '10 k', '10 thousand', 'ten thousand', '10,000 people'] },
  { reading: 'a decimal with a scale is a whole count', interval: [2_500, 2_500], phrases: ['2.5k', '2.5 thousand', '2,500'] },
  { reading: 'millions by "M", "mn", "mil"', interval: [3_000_000, 3_000_000], phrases: ['3M', '3mn', '3 mil', '3mln', '3 million'] },
  { reading: 'a decimal million', interval: [1_200_000, 1_200_000], phrases: ['1.2 million', '1.2M', '1,200,000'] },
  { reading: 'digits and a scale word', interval: [300, 300], phrases: ['3 hundred', 'three hundred', '300'] },
  { reading: 'N dozen and N dozens', interval: [36, 36], phrases: ['3 dozen', '3 dozens', 'three dozen', '36'] },
  { reading: 'digits grouped with spaces', interval: [1_234_567, 1_234_567], phrases: ['1 234 567', '1\u00A0234\u00A0567', '1\u2009234\u2009567', '1\u202F234\u202F567', '1,234,567'] },

  // More wordings of bounds
  { reading: 'above, exceeding, greater than, >', interval: [31, null], phrases: ['above 30', 'exceeding 30', 'greater than 30', '>30', '> 30', 'more than thirty'] },
  { reading: 'at least, in signs and words', interval: [30, null], phrases: ['>= 30', '≥30', '=> 30', 'greater than or equal to 30', 'at least or equal to 30', '30 or greater', '30 and more', '30 or above', '30 and above', '30 or over'] },
  { reading: 'below, <', interval: [0, 29], phrases: ['below 30', '<30', '< 30', 'less than thirty'] },
  { reading: 'at most, in signs and words', interval: [0, 5], phrases: ['<= 5', '≤5', 'less than or equal to 5', 'fewer than or equal to five', '5 or less', '5 and under', '5 or below'] },
  { reading: 'about, by ~ and ≈', interval: [90, 110], phrases: ['~100', '≈100', '~ 100', 'about 100'] },
  { reading: 'exactly, equals', interval: [12, 12], phrases: ['exactly 12', 'equals 12', 'precisely twelve', 'equal to 12'] },
  { reading: 'a range by ~, through, thru', interval: [20, 100], phrases: ['20~100', '20 ~ 100', '20 through 100', 'from 20 through 100', '20 thru 100'] },
  { reading: 'a range with scale letters', interval: [5_000, 20_000], phrases: ['5k-20k', '5k to 20k', '5,000-20,000', 'between 5k and 20k'] },
  { reading: 'two bounds in one phrase', interval: [101, 299], phrases: ['more than 100 and fewer than 300', 'over 100 but under 300'] },
  { reading: 'two bounds, inclusive', interval: [20, 100], phrases: ['at least 20 but no more than 100', 'at least 20 and at most 100'] },

  // More words for small counts
  { reading: 'a pair, a couple of', interval: [2, 2], phrases: ['a pair', 'a pair of drones', 'a couple of'] },
  { reading: 'a trio', interval: [3, 3], phrases: ['a trio', 'a trio of rockets'] },
  { reading: 'a score', interval: [20, 20], phrases: ['a score', 'a score of rockets', 'twenty'] },
  { reading: 'nought, nil', interval: [0, 0], phrases: ['nought', 'nil', 'Nil casualties', 'naught'] },

  // Arabic-Indic and Persian digits
  { reading: 'Arabic-Indic and Persian digits', interval: [3, 3], phrases: ['٣', '۳', '٣ صواريخ'] },
  { reading: 'Arabic-Indic and Persian digits, two of them', interval: [12, 12], phrases: ['١٢', '۱۲', 'at least 12'.replace('at least ', '')] },
  { reading: 'Arabic-Indic digits with the Arabic thousands separator', interval: [1_500, 1_500], phrases: ['١٬٥٠٠', '۱٬۵۰۰'] },
];

/** Phrases that are not one count: kept as text values. */
const TEXT_VALUES: { why: string; phrases: string[] }[] = [
  { why: 'no count at all', phrases: ['heavy damage', 'Syria', 'the Green Village compound', 'Iranian-made drones', 'unknown'] },
  { why: 'a count inside prose', phrases: ['killed 8', 'the 3 bases', 'reported that eight rockets hit'] },
  { why: 'a second count after the first', phrases: ['two women and two children', '8 rockets, 2 intercepted', 'three bases, one destroyed', 'one of two bases'] },
  { why: 'an unfinished or relative count', phrases: ['eight more rockets', '24-hour', 'F-16', '10 times'] },
  { why: 'a quantifier with no number', phrases: ['some rockets', 'at least several', 'more than', 'over the weekend', 'up to dozens', 'few'] },
  { why: 'a measure, not a count', phrases: ['a barrage of rockets', 'a number of casualties', 'a lot', 'a series of explosions'] },
  { why: 'not a whole number', phrases: ['1.5', '2.75 rockets', '1,2'] },
  { why: 'a decade or a plural of digits, not a count', phrases: ['1990s', '2000s', '50s', "the 80's", '1,100s'] },
  { why: 'below zero', phrases: ['fewer than 0', 'under zero', 'less than none', 'nearly zero'] },
  { why: 'a fraction, not a count', phrases: ['two thirds', 'a half', 'one quarter of the rockets', 'three quarters', 'half', 'two-thirds'] },
  { why: 'an ordinal, not a count', phrases: ['11th', '3rd battalion', '1st', '22nd brigade', 'two hundredth', 'the second', 'third'] },
  { why: 'a span of years, not a range of counts', phrases: ['2023-24', '1990-95', '2019-2020', '2023–24'] },
  { why: 'a measure with a unit, not a count', phrases: ['10m', '5g', '10km', '3 kg', '12h', '500 mm'] },
  { why: 'a scaled decimal that is not whole', phrases: ['1.2345 thousand', '1.2345k', '2.5'] },
  { why: 'says nothing was counted, not that none were', phrases: ['no information', 'No comment', 'no details given', 'No official figure', 'no independent confirmation', 'no number given'] },
];

describe('parseValue reads a count phrase as an interval', () => {
  for (const { reading, interval, phrases } of COUNTS) {
    for (const phrase of phrases) {
      it(`${reading}: "${phrase}" → [${interval.join(', ')}]`, () => {
        const value = parseValue(phrase);
        assert.deepEqual(value, { text: phrase.trim(), low: interval[0], high: interval[1] });
        assert.equal(isCount(value), true);
      });
    }
  }
});

/** Percentages: their own kind of value, read with the same rules, compared only with percentages. */
const PERCENTAGES: { reading: string; interval: Interval; phrases: string[] }[] = [
  { reading: 'a percentage in any spelling', interval: [10, 10], phrases: ['10%', '10 %', '10 percent', '10 per cent', 'ten per cent', '10 pct', '10 percentage points', '10٪', '١٠٪'] },
  { reading: 'a bounded percentage', interval: [10, null], phrases: ['at least 10%', 'more than 9 percent', '>= 10 per cent'] },
  { reading: 'a range of percentages', interval: [20, 30], phrases: ['20-30%', 'between 20 and 30 percent'] },
];

describe('parseValue reads a percentage as a percentage', () => {
  for (const { reading, interval, phrases } of PERCENTAGES) {
    for (const phrase of phrases) {
      it(`${reading}: "${phrase}" → [${interval.join(', ')}] %`, () => {
        assert.deepEqual(parseValue(phrase), { text: phrase.trim(), low: interval[0], high: interval[1], unit: 'percent' });
      });
    }
  }
});

/** Numbers as words, the way news writes them: "twenty-three thousand four hundred and five". */
function inWords(n: number): string {
  const units = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
  const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
  const below100 = (k: number) => (k < 20 ? units[k]! : `${tens[Math.floor(k / 10)]}${k % 10 ? `-${units[k % 10]}` : ''}`);
  const below1000 = (k: number) => (k < 100 ? below100(k) : `${units[Math.floor(k / 100)]} hundred${k % 100 ? ` and ${below100(k % 100)}` : ''}`);
  if (n < 1000) return below1000(n);
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  return `${below1000(thousands)} thousand${rest === 0 ? '' : rest < 100 ? ` and ${below100(rest)}` : ` ${below1000(rest)}`}`;
}

describe('a number reads the same however it is written', () => {
  it('in digits, with separators, in words, and with a scale word or letter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
        const expected = { low: n, high: n };
        const read = (phrase: string) => {
          const value = parseValue(phrase);
          return { low: value?.low, high: value?.high };
        };
        assert.deepEqual(read(String(n)), expected, String(n));
        assert.deepEqual(read(n.toLocaleString('en-US')), expected, n.toLocaleString('en-US'));
        assert.deepEqual(read(inWords(n)), expected, inWords(n));
        assert.deepEqual(read(`${inWords(n)} rockets`), expected, `${inWords(n)} rockets`);
        if (n % 1000 === 0 && n > 0) {
          assert.deepEqual(read(`${n / 1000} thousand`), expected);
          assert.deepEqual(read(`${n / 1000}k`), expected);
        }
        if (n % 100 === 0 && n >= 1000) assert.deepEqual(read(`${n / 1000}k`), expected, `${n / 1000}k`);
      }),
      { numRuns: 2000 },
    );
  });

  it('in millions and billions, with a scale word or letters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.constantFrom(['million', 'M', 1e6], ['billion', 'bn', 1e9]), (n, [word, letters, scale]) => {
        const expected = { low: n * (scale as number), high: n * (scale as number) };
        for (const phrase of [`${n} ${word}`, `${n}${letters}`, `${inWords(n)} ${word}`, (n * (scale as number)).toLocaleString('en-US')]) {
          const value = parseValue(phrase);
          assert.deepEqual({ low: value?.low, high: value?.high }, expected, phrase);
        }
      }),
    );
  });
});

describe('parseValue keeps anything that is not one count as a text value', () => {
  for (const { why, phrases } of TEXT_VALUES) {
    for (const phrase of phrases) {
      it(`${why}: "${phrase}"`, () => {
        const value = parseValue(phrase);
        assert.deepEqual(value, { text: phrase.trim(), low: null, high: null });
        assert.equal(isCount(value), false);
      });
    }
  }
});

describe('parseValue treats a missing phrase as no value', () => {
  for (const phrase of [null, undefined, '', '   ', '\t\n']) {
    it(`${JSON.stringify(phrase)} → null`, () => {
      assert.equal(parseValue(phrase), null);
      assert.equal(isCount(parseValue(phrase)), false);
    });
  }
});

describe('parseValue keeps the phrase as worded, only trimmed', () => {
  it('for a count', () => {
    assert.equal(parseValue('  At least  Eight rockets. ')?.text, 'At least  Eight rockets.');
  });
  it('for a text value', () => {
    assert.equal(parseValue(' Heavy  damage ')?.text, 'Heavy  damage');
  });
});

describe('formatInterval says how a phrase was read', () => {
  const cases: [phrase: string | null, shown: string][] = [
    [null, ''],
    ['heavy damage', 'text, not a count'],
    ['no casualties', '0'],
    ['ten', 'exactly 10'],
    ['a single drone', 'exactly 1'],
    ['1,200', 'exactly 1,200'],
    ['at least eight', '8 or more'],
    ['more than a thousand', '1,001 or more'],
    ['several', '3 to 9'],
    ['up to five', '0 to 5'],
    ['thousands', '2,000 to 9,999'],
  ];
  for (const [phrase, shown] of cases) {
    it(`${JSON.stringify(phrase)} → "${shown}"`, () => {
      assert.equal(formatInterval(parseValue(phrase)), shown);
    });
  }
});
