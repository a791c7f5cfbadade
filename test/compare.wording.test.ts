import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { compareWording, MAX_WORDS_CHANGED, type WordingSegment } from '../src/compare/wording.js';

const changed = (segments: WordingSegment[]) => segments.filter((s) => s.changed).map((s) => s.text);
const joined = (segments: WordingSegment[]) => segments.map((s) => s.text).join('');

describe('compareWording marks the words that differ', () => {
  const cases: { why: string; left: string; right: string; removed: string[]; added: string[] }[] = [
    {
      why: 'a replaced number word',
      left: 'Eight rockets hit the base',
      right: 'Ten rockets hit the base',
      removed: ['Eight'],
      added: ['Ten'],
    },
    {
      why: 'words only on one side',
      left: 'rockets hit the base',
      right: 'rockets hit the main base today',
      removed: [],
      added: ['main', 'today'],
    },
    {
      why: 'a changed run of several words is one segment',
      left: 'the attack killed two soldiers near the gate',
      right: 'the attack wounded three civilians near the gate',
      removed: ['killed two soldiers'],
      added: ['wounded three civilians'],
    },
    {
      why: 'case counts as a difference',
      left: 'The base was hit',
      right: 'the base was hit',
      removed: ['The'],
      added: ['the'],
    },
    {
      why: 'Arabic words are compared whole',
      left: 'قتل ثلاثة جنود في القصف',
      right: 'قتل خمسة جنود في القصف',
      removed: ['ثلاثة'],
      added: ['خمسة'],
    },
    {
      why: 'Persian with different digits',
      left: 'حمله با ۸ موشک',
      right: 'حمله با ۱۰ موشک',
      removed: ['۸'],
      added: ['۱۰'],
    },
    {
      why: 'one side empty',
      left: '',
      right: 'a new statement',
      removed: [],
      added: ['a new statement'],
    },
  ];
  for (const { why, left, right, removed, added } of cases) {
    it(why, () => {
      const result = compareWording(left, right);
      assert.deepEqual(changed(result.left), removed);
      assert.deepEqual(changed(result.right), added);
    });
  }
});

describe('compareWording keeps each side as it was written', () => {
  const cases: [left: string, right: string][] = [
    ['Eight rockets hit  the base', 'Ten rockets hit the  base today'],
    ['  leading space', 'leading space  '],
    ['line one\nline two', 'line one line two'],
    ['قتل ثلاثة جنود في القصف', 'قتل خمسة جنود في القصف.'],
    ['', ''],
  ];
  for (const [left, right] of cases) {
    it(`${JSON.stringify(left)} / ${JSON.stringify(right)}`, () => {
      const result = compareWording(left, right);
      assert.equal(joined(result.left), left);
      assert.equal(joined(result.right), right);
    });
  }
});

describe('compareWording on identical texts', () => {
  for (const text of ['Eight rockets hit the base.', 'قتل ثلاثة جنود', 'one']) {
    it(`has one unchanged segment for ${JSON.stringify(text)}`, () => {
      assert.deepEqual(compareWording(text, text), {
        left: [{ text, changed: false }],
        right: [{ text, changed: false }],
        tooDifferent: false,
      });
    });
  }
  it('has no segments for two empty texts', () => {
    assert.deepEqual(compareWording('', ''), { left: [], right: [], tooDifferent: false });
  });
});

describe('compareWording segments', () => {
  it('alternate between changed and unchanged, never empty', () => {
    const { left, right } = compareWording('a b c d e f', 'a x c y e z');
    for (const side of [left, right]) {
      assert.ok(side.every((s) => s.text !== ''));
      assert.ok(side.every((s, i) => i === 0 || side[i - 1]?.changed !== s.changed));
    }
    assert.deepEqual(left, [
      { text: 'a ', changed: false },
      { text: 'b', changed: true },
      { text: ' c ', changed: false },
      { text: 'd', changed: true },
      { text: ' e ', changed: false },
      { text: 'f', changed: true },
    ]);
  });

  it('leave the space around a change unmarked', () => {
    const { right } = compareWording('hit the base', 'hit the main base');
    assert.deepEqual(right, [
      { text: 'hit the ', changed: false },
      { text: 'main', changed: true },
      { text: ' base', changed: false },
    ]);
  });
});

describe('compareWording within its budget', () => {
  const words = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(' ');

  it(`marks texts that differ in up to ${MAX_WORDS_CHANGED} words (a replaced word counts twice: out and in)`, () => {
    const result = compareWording(`${words('same', 50)} ${words('left', 100)}`, `${words('same', 50)} ${words('right', 100)}`);
    assert.equal(result.tooDifferent, false);
    assert.equal(result.left.filter((segment) => segment.changed).length, 1);
  });

  it('gives up on texts that differ in more, showing both whole and unmarked', () => {
    const left = `${words('same', 50)} ${words('left', 101)}`;
    const right = `${words('same', 50)} ${words('right', 101)}`;
    assert.deepEqual(compareWording(left, right), { left: [{ text: left, changed: false }], right: [{ text: right, changed: false }], tooDifferent: true });
  });

  it('gives up on two long texts with nothing in common', () => {
    const result = compareWording(words('a', 2000), words('b', 2000));
    assert.equal(result.tooDifferent, true);
  });

  it('compares Chinese and Japanese character by character, and Persian words whole with their joiners', () => {
    const chinese = compareWording('十枚火箭弹击中基地', '十二枚火箭弹击中基地');
    assert.deepEqual(chinese.right, [
      { text: '十', changed: false },
      { text: '二', changed: true },
      { text: '枚火箭弹击中基地', changed: false },
    ]);
    const persian = compareWording('پایگاه‌ها هدف قرار گرفتند', 'پایگاه‌ها مورد حمله قرار گرفتند');
    assert.equal(persian.left[0]!.text, 'پایگاه‌ها ');
    assert.equal(persian.left[0]!.changed, false);
  });
});
