/**
 * Ansible's `key=value` argument strings (`apt: name=curl state=present`,
 * `action: copy src=a dest=b`), split the way ansible's parse_kv splits them: on whitespace
 * outside quotes, a token with an unescaped `=` is an argument, any other text is free-form.
 */

export interface KeyValueToken {
  key: string;
  value: string;
  /** Offsets of the token in the string. */
  start: number;
  end: number;
}

export interface KeyValueArguments {
  pairs: KeyValueToken[];
  /** The free-form text, tokens joined by single spaces (empty when there is none). */
  freeForm: string;
  /** Start offset of each free-form token. */
  freeFormStart: number | undefined;
}

function splitTokens(text: string): Array<{ text: string; start: number }> {
  const tokens: Array<{ text: string; start: number }> = [];
  let index = 0;
  while (index < text.length) {
    while (index < text.length && /\s/.test(text[index])) index++;
    if (index >= text.length) break;
    const start = index;
    let quote: string | undefined;
    let depth = 0;
    while (index < text.length) {
      const char = text[index];
      if (char === '\\' && index + 1 < text.length) {
        index += 2;
        continue;
      }
      if (quote) {
        if (char === quote) quote = undefined;
      } else if (char === '"' || char === "'") {
        quote = char;
      } else if (text.startsWith('{{', index) || text.startsWith('{%', index)) {
        depth++;
        index++;
      } else if (depth > 0 && (text.startsWith('}}', index) || text.startsWith('%}', index))) {
        depth--;
        index++;
      } else if (depth === 0 && /\s/.test(char)) {
        break;
      }
      index++;
    }
    tokens.push({ text: text.slice(start, index), start });
  }
  return tokens;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/**
 * Splits `text`. `isArgument` decides which keys are arguments: ansible takes every `k=v` for
 * an ordinary module, but only its own few keys (chdir, creates, …) for free-form modules.
 */
export function parseKeyValueArguments(text: string, isArgument: (key: string) => boolean = () => true): KeyValueArguments {
  const pairs: KeyValueToken[] = [];
  const free: string[] = [];
  let freeFormStart: number | undefined;
  for (const token of splitTokens(text)) {
    const match = /^([A-Za-z_][\w-]*)=/.exec(token.text);
    if (match && isArgument(match[1])) {
      pairs.push({ key: match[1], value: unquote(token.text.slice(match[0].length)), start: token.start, end: token.start + token.text.length });
      continue;
    }
    freeFormStart ??= token.start;
    free.push(token.text);
  }
  return { pairs, freeForm: free.join(' '), freeFormStart };
}
