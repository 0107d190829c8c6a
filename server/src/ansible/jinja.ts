/**
 * Jinja2 syntax checking without Python: the public checks, and the statement half of a
 * recursive-descent parser over Jinja2's grammar (tags, blocks and their bodies). Expressions
 * are parsed in jinjaExpressions.ts and tokens walked in jinjaTokenCursor.ts. It stops at the
 * first error, as Jinja does. Pure.
 */
import { JinjaSyntaxError, lexJinja, type JinjaToken } from './jinjaLexer';
import { canAssign, JinjaExpressionParser, type Expr } from './jinjaExpressions';
import { describeToken } from './jinjaTokenCursor';

export type { JinjaToken } from './jinjaLexer';

export interface JinjaProblem {
  /** Offsets into the checked text. */
  start: number;
  end: number;
  message: string;
}

/** Whether Ansible would treat a string as a template (it looks for any of the three openings). */
export function containsJinja(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

/** Checks a template (`Hello {{ name | upper }}`); returns its first syntax error, if any. */
export function checkJinjaTemplate(text: string): JinjaProblem | undefined {
  return run(text, (parser) => parser.parseTemplate());
}

/**
 * Checks a bare expression as Ansible evaluates `when:`, `changed_when:`, `failed_when:` and
 * `until:`: it wraps it as `{% if EXPRESSION %}`, so `a if b else c` is not allowed there but
 * `a, b` is.
 */
export function checkJinjaCondition(text: string): JinjaProblem | undefined {
  // The prefix has no brackets or quotes, so lexing the expression alone gives the same tokens.
  const prefix = '{% if ';
  const problem = run(`${prefix}${text} %}{% endif %}`, (parser) => parser.parseTemplate());
  if (!problem) return undefined;
  const clamp = (offset: number): number => Math.min(Math.max(offset - prefix.length, 0), text.length);
  return { start: clamp(problem.start), end: Math.max(clamp(problem.end), clamp(problem.start)), message: problem.message };
}

function run(text: string, parse: (parser: TemplateParser) => void): JinjaProblem | undefined {
  const { tokens, error } = lexJinja(text);
  try {
    parse(new TemplateParser(tokens, error));
    return undefined;
  } catch (problem) {
    if (problem instanceof JinjaSyntaxError) return { start: problem.start, end: Math.max(problem.end, problem.start), message: problem.message };
    throw problem;
  }
}

/** Statements and the tag that ends their body (`if` … `endif`); `set` only has one in its block form. */
const BLOCK_ENDS: Record<string, string> = {
  for: 'endfor', if: 'endif', block: 'endblock', macro: 'endmacro', call: 'endcall', filter: 'endfilter',
  set: 'endset', with: 'endwith', autoescape: 'endautoescape',
};
/** Tags that need an extension Ansible does not enable unless configured. */
const EXTENSION_TAGS: Record<string, string> = { do: 'jinja2.ext.do', break: 'jinja2.ext.loopcontrols', continue: 'jinja2.ext.loopcontrols' };

interface OpenTag {
  name: string;
  token: JinjaToken;
}

class TemplateParser extends JinjaExpressionParser {
  /** The statements being parsed, innermost last, for messages about unclosed blocks. */
  private readonly openTags: OpenTag[] = [];

  parseTemplate(): void {
    this.subparse(undefined);
  }

  protected override failIfBlockOpen(): void {
    const inner = this.openTags[this.openTags.length - 1];
    if (inner) this.failNeverClosed(inner);
  }

  private failNeverClosed(tag: OpenTag): never {
    return this.fail(`"{% ${tag.name} %}" is never closed with "{% ${BLOCK_ENDS[tag.name]} %}".`, tag.token);
  }

  /** Parses template content until one of `endTags` opens a tag (left as the current token) or the end. */
  private subparse(endTags: readonly string[] | undefined): void {
    while (this.current.type !== 'eof') {
      const token = this.current;
      if (token.type === 'data') {
        this.advance();
      } else if (token.type === 'variable_begin') {
        this.advance();
        this.parseTuple({ withCondexpr: true });
        this.expectType('variable_end');
      } else if (token.type === 'block_begin') {
        this.advance();
        if (endTags && this.current.type === 'name' && endTags.includes(this.current.value)) return;
        this.parseStatement();
        this.expectType('block_end');
      } else {
        this.fail(`Unexpected ${describeToken(token)}.`);
      }
    }
  }

  private parseStatement(): void {
    this.enter();
    try {
      this.parseStatementOnce();
    } finally {
      this.depth--;
    }
  }

  private parseStatementOnce(): void {
    const token = this.current;
    if (token.type !== 'name') this.fail(`Expected a tag name after "{%", found ${describeToken(token)}.`);
    this.openTags.push({ name: token.value, token });
    switch (token.value) {
      case 'for': this.parseFor(); break;
      case 'if': this.parseIf(); break;
      case 'block': this.parseBlock(); break;
      case 'extends': this.advance(); this.parseExpression(); break;
      case 'print': this.parsePrint(); break;
      case 'macro': this.parseMacro(); break;
      case 'include': this.parseInclude(); break;
      case 'from': this.parseFrom(); break;
      case 'import': this.parseImport(); break;
      case 'set': this.parseSet(); break;
      case 'with': this.parseWith(); break;
      case 'autoescape': this.advance(); this.parseExpression(); this.parseBody('autoescape'); break;
      case 'call': this.parseCallBlock(); break;
      case 'filter': this.advance(); this.parseFilter(true); this.parseBody('filter'); break;
      default:
        this.openTags.pop();
        this.failUnknownTag(token);
    }
    this.openTags.pop();
  }

  private failUnknownTag(token: JinjaToken): never {
    const extension = EXTENSION_TAGS[token.value];
    if (extension) this.fail(`The tag "${token.value}" needs the ${extension} extension, which Ansible does not enable by default.`, token);
    const inner = this.openTags[this.openTags.length - 1];
    const opens = Object.keys(BLOCK_ENDS).find((name) => BLOCK_ENDS[name] === token.value);
    const isBranch = token.value === 'else' || token.value === 'elif';
    if (inner && (opens || isBranch)) {
      this.fail(`Unexpected "{% ${token.value} %}": the innermost open block is "{% ${inner.name} %}", which ends with "{% ${BLOCK_ENDS[inner.name]} %}".`, token);
    }
    if (opens) this.fail(`Unexpected "{% ${token.value} %}": no "{% ${opens} %}" is open.`, token);
    if (isBranch) this.fail(`Unexpected "{% ${token.value} %}": it belongs inside "{% if %}"${token.value === 'else' ? ' or "{% for %}"' : ''}.`, token);
    this.fail(`Unknown tag "${token.value}".`, token);
  }

  /** Parses `%}`, the body, and the closing tags (`endTags`); returns the closing tag's name, left consumed. */
  private parseStatements(endTags: readonly string[]): string {
    this.skipOperator(':');
    this.expectType('block_end');
    this.subparse(endTags);
    if (this.current.type === 'eof') this.failNeverClosed(this.openTags[this.openTags.length - 1]);
    return this.advance().value;
  }

  private parseBody(tag: string): void {
    this.parseStatements([BLOCK_ENDS[tag]]);
  }

  private parseFor(): void {
    this.advance();
    this.parseAssignTarget({ extraEnd: ['in'] });
    this.expectName('in');
    this.parseTuple({ withCondexpr: false, extraEnd: ['recursive'] });
    if (this.skipName('if')) this.parseExpression();
    this.skipName('recursive');
    if (this.parseStatements(['endfor', 'else']) === 'else') this.parseStatements(['endfor']);
  }

  private parseIf(): void {
    this.advance();
    for (;;) {
      this.parseTuple({ withCondexpr: false });
      const end = this.parseStatements(['elif', 'else', 'endif']);
      if (end === 'elif') continue;
      if (end === 'else') this.parseStatements(['endif']);
      return;
    }
  }

  private parseBlock(): void {
    this.advance();
    const name = this.expectName().value;
    this.skipName('scoped');
    const required = this.skipName('required');
    if (this.isOperator('-')) this.fail('Block names must be valid identifiers and may not contain hyphens: use an underscore instead.');
    const bodyStart = this.index;
    this.parseBody('block');
    if (required) this.checkRequiredBlockBody(bodyStart);
    this.skipName(name);
  }

  /** A required block may hold only whitespace and comments. */
  private checkRequiredBlockBody(from: number): void {
    for (let i = from + 1; i < this.index - 2; i++) {
      const token = this.tokens[i];
      if (token.type === 'data' && token.value.trim() === '') continue;
      this.fail('A required block may only contain whitespace or comments.', token);
    }
  }

  private parsePrint(): void {
    this.advance();
    let first = true;
    while (this.current.type !== 'block_end') {
      if (!first) this.expectOperator(',');
      this.parseExpression();
      first = false;
    }
  }

  private parseMacro(): void {
    this.advance();
    this.parseAssignTarget({ nameOnly: true });
    this.parseSignature();
    this.parseBody('macro');
  }

  private parseCallBlock(): void {
    this.advance();
    if (this.isOperator('(')) this.parseSignature();
    const start = this.current;
    if (this.parseExpression().kind !== 'call') this.fail('"{% call %}" needs a macro call, such as "{% call render() %}".', start);
    this.parseBody('call');
  }

  private parseSignature(): void {
    this.expectOperator('(');
    let count = 0;
    let defaults = false;
    while (!this.isOperator(')')) {
      if (count > 0) this.expectOperator(',');
      this.parseAssignTarget({ nameOnly: true });
      if (this.skipOperator('=')) {
        this.parseExpression();
        defaults = true;
      } else if (defaults) {
        this.fail('A parameter without a default follows one with a default.');
      }
      count++;
    }
    this.expectOperator(')');
  }

  /** An optional `with context` / `without context`; returns whether there was one. */
  private parseImportContext(): boolean {
    if ((this.isName('with') || this.isName('without')) && this.isName('context', this.look())) {
      this.advance();
      this.advance();
      return true;
    }
    return false;
  }

  private parseInclude(): void {
    this.advance();
    this.parseExpression();
    if (this.isName('ignore') && this.isName('missing', this.look())) {
      this.advance();
      this.advance();
    }
    this.parseImportContext();
  }

  private parseImport(): void {
    this.advance();
    this.parseExpression();
    this.expectName('as');
    this.parseAssignTarget({ nameOnly: true });
    this.parseImportContext();
  }

  private parseFrom(): void {
    this.advance();
    this.parseExpression();
    this.expectName('import');
    let count = 0;
    for (;;) {
      if (count > 0) this.expectOperator(',');
      if (this.current.type !== 'name') this.expectName();
      if (this.parseImportContext()) return;
      const target = this.current;
      this.parseAssignTarget({ nameOnly: true });
      if (target.value.startsWith('_')) this.fail('Names starting with an underscore cannot be imported.', target);
      if (this.skipName('as')) this.parseAssignTarget({ nameOnly: true });
      count++;
      if (this.parseImportContext() || !this.isOperator(',')) return;
    }
  }

  private parseSet(): void {
    this.advance();
    this.parseAssignTarget({ withNamespace: true });
    if (this.skipOperator('=')) {
      this.parseTuple({ withCondexpr: true });
      // `{% set x = 1 %}` has no body: it is not an open block.
      return;
    }
    this.parseFilter(false);
    this.parseBody('set');
  }

  private parseWith(): void {
    this.advance();
    let count = 0;
    while (this.current.type !== 'block_end') {
      if (count > 0) this.expectOperator(',');
      this.parseAssignTarget({});
      this.expectOperator('=');
      this.parseExpression();
      count++;
    }
    this.parseBody('with');
  }

  private parseAssignTarget(options: { nameOnly?: boolean; withNamespace?: boolean; extraEnd?: string[] }): void {
    const start = this.current;
    const target: Expr = options.nameOnly
      ? { kind: 'name', name: this.expectName().value }
      : this.parseTuple({ simplified: true, extraEnd: options.extraEnd, withNamespace: options.withNamespace });
    if (!canAssign(target)) this.fail(`Cannot assign to ${start.type === 'eof' ? 'nothing' : describeToken(start)}.`, start);
  }
}

/**
 * The tokens of a condition (`when:` and the like), with offsets into `text`. A condition
 * written with `{{ }}` is templated first and the result evaluated as an expression, so both
 * the expressions inside the tags and the text around them count. Tokens up to a lexical
 * error are returned; the syntax check reports the error itself.
 */
export function conditionTokens(text: string): JinjaToken[] {
  const inside = containsJinja(text) ? lexJinja(text).tokens.filter(isExpressionToken) : [];
  // Around the tags: each tag stands in as a name of its own length, so offsets stay put.
  const outside = text.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g, (tag) => '_'.repeat(tag.length));
  const prefix = '{{ ';
  const bare = lexJinja(`${prefix}${outside}\n}}`).tokens
    .filter(isExpressionToken)
    .map((token) => ({ ...token, start: token.start - prefix.length, end: token.end - prefix.length }));
  return [...bare, ...inside].sort((a, b) => a.start - b.start);
}

function isExpressionToken(token: JinjaToken): boolean {
  return token.type === 'name' || token.type === 'string' || token.type === 'integer' || token.type === 'float' || token.type === 'operator';
}
