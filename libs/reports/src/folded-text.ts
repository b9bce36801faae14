/**
 * Reads the folded texts the report's queries return ("a|b|c\na|b|c"): fields separated by "|",
 * records by a new line. Numbers are read digit by digit, without a string per field: 100,000
 * tickets are a few million fields, and small strings would keep the garbage collector busy.
 */
export class FoldedText {
  private pos = 0;
  private readonly words = new Map<string, string>();
  private readonly last: string[] = [];

  constructor(private readonly text: string) {}

  /** Whether another record follows. */
  get more(): boolean {
    return this.pos < this.text.length;
  }

  /** The next field as text (an empty field is ''). */
  string(): string {
    const text = this.text;
    let end = this.pos;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c === 124 || c === 10) break;
      end++;
    }
    const s = text.slice(this.pos, end);
    this.pos = end + 1;
    return s;
  }

  /**
   * The next field, from a small set of words (a status, a channel): one string for each. `slot`
   * names the column; its last word is checked first, without slicing.
   */
  word(slot: number): string {
    const last = this.last[slot];
    if (last !== undefined && this.text.startsWith(last, this.pos)) {
      const after = this.pos + last.length;
      const c = after < this.text.length ? this.text.charCodeAt(after) : 10;
      if (c === 124 || c === 10) {
        this.pos = after + 1;
        return last;
      }
    }
    const s = this.string();
    let known = this.words.get(s);
    if (known === undefined) this.words.set(s, (known = s));
    this.last[slot] = known;
    return known;
  }

  /** The next field as a number; an empty field is null. */
  number(): number | null {
    const text = this.text;
    const start = this.pos;
    let i = start;
    let sign = 1;
    if (text.charCodeAt(i) === 45) {
      sign = -1;
      i++;
    }
    let value = 0;
    let digits = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      digits++;
      i++;
    }
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if ((c !== 124 && c !== 10) || digits > 15) {
      // Not a plain integer (an exponent, a fraction, beyond 2^53): the slow way.
      this.pos = start;
      const s = this.string();
      return s === '' ? null : Number(s);
    }
    this.pos = i + 1;
    if (digits === 0) return null;
    return sign * value;
  }
}
