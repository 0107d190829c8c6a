/**
 * Splitting a large JSON text into the parts a caller wants without parsing the rest: the
 * members of its objects, each value read as text or skipped. It works on UTF-8 bytes, so only
 * the parts kept are ever decoded to strings (see providerSchemaIndex.ts, its one user).
 */

/** The text is not the JSON expected: where and what was expected instead. */
export class JsonShapeError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const utf8 = new TextDecoder('utf-8');

/**
 * Splits a JSON text, as UTF-8 bytes, into the members of its objects, skipping over values
 * without parsing them. Working on bytes, only the parts kept are ever decoded to strings.
 */
export class JsonSplitter {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** The members of the object at the current position, each value left for the caller to read or skip. */
  *members(): Generator<string, void, void> {
    this.expect(OPEN_BRACE);
    if (this.peek() === CLOSE_BRACE) {
      this.position++;
      return;
    }
    for (;;) {
      const key = this.string();
      this.expect(COLON);
      this.skipSpace();
      const before = this.position;
      yield key;
      // The caller did not read the value: skip it.
      if (this.position === before) this.skipValue();
      const next = this.peek();
      this.position++;
      if (next === CLOSE_BRACE) return;
      if (next !== COMMA) this.fail('"," or "}"');
    }
  }

  /** The text of the value at the current position. */
  valueText(): string {
    this.skipSpace();
    const start = this.position;
    this.skipValue();
    return utf8.decode(this.bytes.subarray(start, this.position));
  }

  /** The string at the current position, unescaped. */
  string(): string {
    this.skipSpace();
    if (this.bytes[this.position] !== QUOTE) this.fail('a string');
    const start = this.position;
    this.skipString();
    return JSON.parse(utf8.decode(this.bytes.subarray(start, this.position))) as string;
  }

  /** Whether the value at the current position is an object (and not a string, null, …). */
  atObject(): boolean {
    return this.peek() === OPEN_BRACE;
  }

  end(): void {
    this.skipSpace();
    if (this.position < this.bytes.length) this.fail('the end of the text');
  }

  private peek(): number {
    this.skipSpace();
    return this.bytes[this.position];
  }

  private expect(byte: number): void {
    if (this.peek() !== byte) this.fail(`"${String.fromCharCode(byte)}"`);
    this.position++;
  }

  private skipSpace(): void {
    for (;;) {
      const byte = this.bytes[this.position];
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return;
      this.position++;
    }
  }

  private skipString(): void {
    let from = this.position + 1;
    for (;;) {
      const quote = this.bytes.indexOf(QUOTE, from);
      if (quote < 0) this.fail('the end of a string');
      let backslashes = 0;
      while (this.bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      from = quote + 1;
      if (backslashes % 2 === 0) break;
    }
    this.position = from;
  }

  private skipValue(): void {
    const first = this.bytes[this.position];
    if (first === QUOTE) return this.skipString();
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      const literal = /^(?:-?\d[\d.eE+-]*|true|false|null)/.exec(utf8.decode(this.bytes.subarray(this.position, this.position + 64)));
      if (!literal) this.fail('a value');
      this.position += literal[0].length;
      return;
    }
    let depth = 0;
    while (this.position < this.bytes.length) {
      const byte = this.bytes[this.position];
      if (byte === QUOTE) {
        this.skipString();
        continue;
      }
      this.position++;
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --depth === 0) return;
    }
    this.fail('the end of the value');
  }

  private fail(expected: string): never {
    throw new JsonShapeError(`expected ${expected} at offset ${this.position}`);
  }
}
