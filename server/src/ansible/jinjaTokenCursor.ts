/**
 * The token-level half of the Jinja2 parser: walking the lexer's tokens, matching and
 * expecting them, and raising syntax errors with Jinja's wording. Kept apart from the grammar
 * so the expression and statement parsers share one cursor and one way of failing. Pure.
 */
import { JinjaSyntaxError, type JinjaToken } from './jinjaLexer';

/** Far beyond any real template, and well within the call stack. */
const MAX_NESTING = 200;

/** How a message names a token: delimiters and the end by what they are, others by their text. */
export function describeToken(token: JinjaToken): string {
  switch (token.type) {
    case 'eof': return 'the end of the template';
    case 'variable_end': return '"}}"';
    case 'block_end': return '"%}"';
    case 'variable_begin': return '"{{"';
    case 'block_begin': return '"{%"';
    case 'data': return 'text';
    default: return `"${token.value}"`;
  }
}

export abstract class JinjaTokenCursor {
  protected index = 0;
  /** How deeply expressions and statements are nested, to stop before the call stack does. */
  protected depth = 0;

  constructor(protected readonly tokens: JinjaToken[], private readonly lexError: JinjaSyntaxError | undefined) {
    this.checkLexError();
  }

  protected get current(): JinjaToken {
    return this.tokens[this.index];
  }

  protected look(): JinjaToken {
    if (this.index + 1 >= this.tokens.length - 1) this.checkLexError(this.index + 1);
    return this.tokens[Math.min(this.index + 1, this.tokens.length - 1)];
  }

  /** The lexer stopped at an error: the parser meets it when it reaches the tokens' end. */
  private checkLexError(at = this.index): void {
    if (this.lexError && at >= this.tokens.length - 1) throw this.lexError;
  }

  protected advance(): JinjaToken {
    const token = this.current;
    if (this.index < this.tokens.length - 1) this.index++;
    this.checkLexError();
    return token;
  }

  protected isOperator(value: string, token = this.current): boolean {
    return token.type === 'operator' && token.value === value;
  }

  protected isName(value: string, token = this.current): boolean {
    return token.type === 'name' && token.value === value;
  }

  protected skipOperator(value: string): boolean {
    if (!this.isOperator(value)) return false;
    this.advance();
    return true;
  }

  protected skipName(value: string): boolean {
    if (!this.isName(value)) return false;
    this.advance();
    return true;
  }

  protected fail(message: string, token = this.current): never {
    throw new JinjaSyntaxError(message, token.start, token.end);
  }

  protected expected(what: string): never {
    const token = this.current;
    if (token.type === 'eof') this.failUnclosed(what);
    return this.fail(`Expected ${what}, found ${describeToken(token)}.`);
  }

  /** At the end of the template, the useful message names what was left open, not the end. */
  private failUnclosed(what: string): never {
    const opening = this.tokens.slice(0, this.index).reverse().find((token) => token.type === 'variable_begin' || token.type === 'block_begin');
    const lastEnd = this.tokens.slice(0, this.index).reverse().find((token) => token.type !== 'data');
    if (opening && (!lastEnd || (lastEnd.type !== 'variable_end' && lastEnd.type !== 'block_end'))) {
      const close = opening.type === 'variable_begin' ? '}}' : '%}';
      return this.fail(`"${opening.value}" is never closed: expected ${what} and then "${close}".`, opening);
    }
    this.failIfBlockOpen();
    return this.fail(`Unexpected end of the template: expected ${what}.`);
  }

  /** Blocks (`{% if %}` … `{% endif %}`) are the statement parser's to track and report. */
  protected abstract failIfBlockOpen(): void;

  protected expectOperator(value: string, what = `"${value}"`): JinjaToken {
    if (!this.isOperator(value)) this.expected(what);
    return this.advance();
  }

  protected expectName(value?: string): JinjaToken {
    const token = this.current;
    if (token.type !== 'name' || (value !== undefined && token.value !== value)) this.expected(value === undefined ? 'a name' : `"${value}"`);
    return this.advance();
  }

  protected expectType(type: 'variable_end' | 'block_end'): void {
    if (this.current.type !== type) this.expected(type === 'variable_end' ? '"}}"' : '"%}"');
    this.advance();
  }

  /** Counts one level of nesting; the caller undoes it with `depth--` in a finally. */
  protected enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`Nested more than ${MAX_NESTING} levels deep.`);
  }
}
