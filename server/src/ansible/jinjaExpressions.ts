/**
 * The expression half of the Jinja2 parser, by precedence: conditional, `or`, `and`, `not`,
 * comparisons and `in`, `+`/`-`, `~`, `*`/`/`/`//`/`%`, `**`, unary signs, then filters, tests,
 * calls, attributes and subscripts on literals, names, lists, dicts and tuples. It builds no
 * syntax tree, only what the statement grammar needs to know about a result (whether it can be
 * assigned to, whether it is a call). Pure.
 */
import type { JinjaToken } from './jinjaLexer';
import { JinjaTokenCursor } from './jinjaTokenCursor';

/** What the grammar needs to know about a parsed expression. */
export type Expr =
  | { kind: 'name'; name: string }
  | { kind: 'tuple'; items: Expr[] }
  | { kind: 'namespace-ref' | 'call' | 'other' };

const OTHER: Expr = { kind: 'other' };
const CONSTANT_NAMES = new Set(['true', 'false', 'none', 'True', 'False', 'None']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
/** Arithmetic operators by precedence, loosest first. */
const ARITHMETIC_LEVELS: ReadonlyArray<ReadonlySet<string>> = [new Set(['+', '-']), new Set(['~']), new Set(['*', '/', '//', '%']), new Set(['**'])];

/** Abstract because only the statement parser, which tracks open blocks, is ever instantiated. */
export abstract class JinjaExpressionParser extends JinjaTokenCursor {
  private isTupleEnd(extraEnd: readonly string[] | undefined): boolean {
    const token = this.current;
    if (token.type === 'variable_end' || token.type === 'block_end' || this.isOperator(')')) return true;
    return extraEnd !== undefined && token.type === 'name' && extraEnd.includes(token.value);
  }

  protected parseTuple(options: { simplified?: boolean; withCondexpr?: boolean; extraEnd?: string[]; explicitParentheses?: boolean; withNamespace?: boolean }): Expr {
    const parseItem = (): Expr => {
      if (options.simplified) return this.parsePrimary(options.withNamespace);
      return this.parseExpression(options.withCondexpr ?? true);
    };
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length > 0) this.expectOperator(',');
      if (this.isTupleEnd(options.extraEnd)) break;
      items.push(parseItem());
      if (this.isOperator(',')) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (items.length > 0) return items[0];
      if (!options.explicitParentheses) this.expected('an expression');
    }
    return { kind: 'tuple', items };
  }

  protected parseExpression(withCondexpr = true): Expr {
    this.enter();
    try {
      return withCondexpr ? this.parseCondexpr() : this.parseOr();
    } finally {
      this.depth--;
    }
  }

  private parseCondexpr(): Expr {
    let expr = this.parseOr();
    while (this.skipName('if')) {
      this.parseOr();
      if (this.skipName('else')) this.parseCondexpr();
      expr = OTHER;
    }
    return expr;
  }

  private parseOr(): Expr {
    let expr = this.parseAnd();
    while (this.skipName('or')) {
      this.parseAnd();
      expr = OTHER;
    }
    return expr;
  }

  private parseAnd(): Expr {
    let expr = this.parseNot();
    while (this.skipName('and')) {
      this.parseNot();
      expr = OTHER;
    }
    return expr;
  }

  private parseNot(): Expr {
    if (this.skipName('not')) {
      this.enter();
      try {
        this.parseNot();
      } finally {
        this.depth--;
      }
      return OTHER;
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    let expr = this.parseArithmetic();
    for (;;) {
      const token = this.current;
      if (token.type === 'operator' && COMPARISONS.has(token.value)) this.advance();
      else if (this.isName('in')) this.advance();
      else if (this.isName('not') && this.isName('in', this.look())) {
        this.advance();
        this.advance();
      } else return expr;
      this.parseArithmetic();
      expr = OTHER;
    }
  }

  /** `+ -`, then `~`, then `* / // %`, then `**`: each level's operands are the next level's expressions. */
  private parseArithmetic(level = 0): Expr {
    if (level === ARITHMETIC_LEVELS.length) return this.parseUnary(true);
    let expr = this.parseArithmetic(level + 1);
    while (this.current.type === 'operator' && ARITHMETIC_LEVELS[level].has(this.current.value)) {
      this.advance();
      this.parseArithmetic(level + 1);
      expr = OTHER;
    }
    return expr;
  }

  private parseUnary(withFilter: boolean): Expr {
    let expr: Expr;
    if (this.isOperator('-') || this.isOperator('+')) {
      this.advance();
      this.enter();
      try {
        this.parseUnary(false);
      } finally {
        this.depth--;
      }
      expr = OTHER;
    } else {
      expr = this.parsePrimary();
    }
    expr = this.parsePostfix(expr);
    return withFilter ? this.parseFilterExpression(expr) : expr;
  }

  /** With `withNamespace`, `ns.attribute` is a namespace reference, which `{% set %}` may assign to. */
  private parsePrimary(withNamespace = false): Expr {
    const token = this.current;
    switch (token.type) {
      case 'name':
        this.advance();
        if (CONSTANT_NAMES.has(token.value)) return OTHER;
        if (withNamespace && this.skipOperator('.')) {
          this.expectName();
          return { kind: 'namespace-ref' };
        }
        return { kind: 'name', name: token.value };
      case 'string':
        // Adjacent string literals are concatenated, as in Python.
        while (this.current.type === 'string') this.advance();
        return OTHER;
      case 'integer':
      case 'float':
        this.advance();
        return OTHER;
      case 'operator':
        if (token.value === '(') {
          this.advance();
          const inner = this.parseTuple({ explicitParentheses: true });
          this.expectOperator(')');
          return inner;
        }
        if (token.value === '[') return this.parseList();
        if (token.value === '{') return this.parseDict();
    }
    return this.expected('an expression');
  }

  private parseList(): Expr {
    this.expectOperator('[');
    let count = 0;
    while (!this.isOperator(']')) {
      if (count > 0) this.expectOperator(',');
      if (this.isOperator(']')) break;
      this.parseExpression();
      count++;
    }
    this.expectOperator(']');
    return OTHER;
  }

  private parseDict(): Expr {
    this.expectOperator('{');
    let count = 0;
    while (!this.isOperator('}')) {
      if (count > 0) this.expectOperator(',');
      if (this.isOperator('}')) break;
      this.parseExpression();
      this.expectOperator(':');
      this.parseExpression();
      count++;
    }
    this.expectOperator('}');
    return OTHER;
  }

  private parsePostfix(expr: Expr): Expr {
    for (;;) {
      if (this.isOperator('.') || this.isOperator('[')) expr = this.parseSubscript();
      else if (this.isOperator('(')) expr = this.parseCall();
      else return expr;
    }
  }

  private parseFilterExpression(expr: Expr): Expr {
    for (;;) {
      if (this.isOperator('|')) expr = this.parseFilter(false);
      else if (this.isName('is')) expr = this.parseTest();
      else if (this.isOperator('(')) expr = this.parseCall();
      else return expr;
    }
  }

  private parseSubscript(): Expr {
    const token = this.advance();
    if (token.value === '.') {
      const attribute = this.current;
      if (attribute.type !== 'name' && attribute.type !== 'integer') this.expected('an attribute name or number after "."');
      this.advance();
      return OTHER;
    }
    let count = 0;
    while (!this.isOperator(']')) {
      if (count > 0) this.expectOperator(',');
      this.parseSubscribed();
      count++;
    }
    this.expectOperator(']');
    return OTHER;
  }

  /** One subscript: an expression or a slice `a:b:c` with any part left out. */
  private parseSubscribed(): void {
    if (this.isOperator(':')) {
      this.advance();
    } else {
      this.parseExpression();
      if (!this.isOperator(':')) return;
      this.advance();
    }
    const partEnds = (): boolean => this.isOperator(']') || this.isOperator(',');
    if (!this.isOperator(':') && !partEnds()) this.parseExpression();
    if (this.skipOperator(':') && !partEnds()) this.parseExpression();
  }

  private parseCall(): Expr {
    this.parseCallArguments();
    return { kind: 'call' };
  }

  private parseCallArguments(): void {
    const open = this.expectOperator('(');
    let keywords = false;
    let starArgs = false;
    let starKeywords = false;
    let requireComma = false;
    const ensure = (ok: boolean): void => {
      if (!ok) this.fail('Invalid arguments in a call: positional arguments must come before keyword arguments and * / ** arguments.', open);
    };
    while (!this.isOperator(')')) {
      if (requireComma) {
        this.expectOperator(',');
        if (this.isOperator(')')) break;
      }
      if (this.isOperator('*')) {
        ensure(!starArgs && !starKeywords);
        this.advance();
        this.parseExpression();
        starArgs = true;
      } else if (this.isOperator('**')) {
        ensure(!starKeywords);
        this.advance();
        this.parseExpression();
        starKeywords = true;
      } else if (this.current.type === 'name' && this.isOperator('=', this.look())) {
        ensure(!starKeywords);
        this.advance();
        this.advance();
        this.parseExpression();
        keywords = true;
      } else {
        ensure(!starArgs && !starKeywords && !keywords);
        this.parseExpression();
      }
      requireComma = true;
    }
    this.expectOperator(')');
  }

  /** `| name(args)`; with `inline`, the name comes first without a pipe (`{% filter upper %}`). */
  protected parseFilter(inline: boolean): Expr {
    let first = inline;
    while (this.isOperator('|') || first) {
      if (!first) this.advance();
      first = false;
      if (this.current.type !== 'name') this.expected('a filter name');
      this.parseDottedName();
      if (this.isOperator('(')) this.parseCallArguments();
    }
    return OTHER;
  }

  private parseDottedName(): void {
    this.expectName();
    while (this.skipOperator('.')) this.expectName();
  }

  private parseTest(): Expr {
    this.advance();
    this.skipName('not');
    if (this.current.type !== 'name') this.expected('a test name after "is"');
    this.parseDottedName();
    const token = this.current;
    if (this.isOperator('(')) {
      this.parseCallArguments();
    } else if (startsTestArgument(token) && !this.isName('else') && !this.isName('or') && !this.isName('and')) {
      if (this.isName('is')) this.fail('Tests cannot be chained: use "and" between two "is" tests.');
      this.parsePostfix(this.parsePrimary());
    }
    return OTHER;
  }
}

function startsTestArgument(token: JinjaToken): boolean {
  if (token.type === 'name' || token.type === 'string' || token.type === 'integer' || token.type === 'float') return true;
  return token.type === 'operator' && (token.value === '(' || token.value === '[' || token.value === '{');
}

/** Whether `{% set %}`, `{% for %}` and the like may bind to a target: names (not constants), namespace attributes, tuples of them. */
export function canAssign(target: Expr): boolean {
  if (target.kind === 'name') return !CONSTANT_NAMES.has(target.name);
  if (target.kind === 'tuple') return target.items.every(canAssign);
  return target.kind === 'namespace-ref';
}
