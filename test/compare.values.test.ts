import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

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
];

/** Phrases that are not one count: kept as text values. */
const TEXT_VALUES: { why: string; phrases: string[] }[] = [
  { why: 'no count at all', phrases: ['heavy damage', 'Syria', 'the Green Village compound', 'Iranian-made drones', 'unknown'] },
  { why: 'a count inside prose', phrases: ['killed 8', 'the 3 bases', 'reported that eight rockets hit'] },
  { why: 'a second count after the first', phrases: ['two women and two children', '8 rockets, 2 intercepted', 'three bases, one destroyed', 'one of two bases'] },
  { why: 'an unfinished or relative count', phrases: ['eight more rockets', '10 percent', '10 per cent', '24-hour', 'F-16', '10 times'] },
  { why: 'a quantifier with no number', phrases: ['some rockets', 'at least several', 'more than', 'over the weekend', 'up to dozens', 'few'] },
  { why: 'a measure, not a count', phrases: ['a barrage of rockets', 'a number of casualties', 'a lot', 'a series of explosions'] },
  { why: 'not a whole number', phrases: ['1.5', '2.75 rockets', '1,2'] },
  { why: 'a decade or a plural of digits, not a count', phrases: ['1990s', '2000s', '50s', "the 80's", '1,100s'] },
  { why: 'below zero', phrases: ['fewer than 0', 'under zero', 'less than none', 'nearly zero'] },
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
