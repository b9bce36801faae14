import { FoldedText } from './folded-text';

describe('FoldedText', () => {
  it.each([
    ['1782864000000', 1782864000000],
    ['0', 0],
    ['-86400000', -86400000],
    ['', null],
    ['1.5e+21', 1.5e21],
    ['12.25', 12.25],
    ['12345678901234567', 12345678901234567],
  ])('reads the number %p as %p', (field, expected) => {
    const f = new FoldedText(`${field}|7`);
    expect(f.number()).toBe(expected);
    expect(f.number()).toBe(7);
    expect(f.more).toBe(false);
  });

  it('reads records field by field, with empty fields and no final new line', () => {
    const f = new FoldedText('a1|12|open||\nb2|13|resolved|5|met');
    const records: unknown[][] = [];
    while (f.more) records.push([f.string(), f.number(), f.word(0), f.number(), f.word(1)]);
    expect(records).toEqual([
      ['a1', 12, 'open', null, ''],
      ['b2', 13, 'resolved', 5, 'met'],
    ]);
  });

  it('gives one string for each word, also when the last word of its column differs', () => {
    const f = new FoldedText('open\nopening\nopen\nresolved\nopen');
    const words = [f.word(0), f.word(0), f.word(0), f.word(0), f.word(0)];
    expect(words).toEqual(['open', 'opening', 'open', 'resolved', 'open']);
    expect(words[0]).toBe(words[2]);
    expect(f.more).toBe(false);
  });
});
