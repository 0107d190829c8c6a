/**
 * A plain JavaScript copy of a tree-sitter subtree, read in one pass with a TreeCursor.
 *
 * Every property of a web-tree-sitter Node is a call into WebAssembly (and `children` builds
 * new Node objects), so the model builder, which looks at each node several times, spent most
 * of its time there. The copy reads three numbers per node (type id, start and end index) and
 * derives the rest: positions, when asked, from a table of line starts (tree-sitter counts
 * UTF-16 code units, as JavaScript strings and LSP do), `isNamed` from the type id, `hasError`
 * from the children. Reading a 5,000-line file this way takes a fraction of the time.
 */
import type { Language, Node, TreeCursor } from 'web-tree-sitter';

export interface Point {
  row: number;
  column: number;
}

export class LightNode {
  children: LightNode[] = [];
  /** The grammar field this node fills in its parent (`key`, `val`), if any. */
  fieldName?: string;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    public hasError: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    private readonly lines: LineTable,
    readonly parent: LightNode | undefined,
  ) {}

  /** Computed when asked: most nodes never need their position, and fewer objects mean less garbage. */
  get startPosition(): Point {
    return this.lines.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.lines.point(this.endIndex);
  }
}

/** Line starts of a text, to turn indexes into rows and columns. */
export class LineTable {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  point(index: number): Point {
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= index) low = mid;
      else high = mid - 1;
    }
    return { row: low, column: index - starts[low] };
  }
}

const namedByLanguage = new WeakMap<Language, Map<number, boolean>>();

function isNamedType(language: Language, typeId: number): boolean {
  let named = namedByLanguage.get(language);
  if (!named) namedByLanguage.set(language, (named = new Map()));
  let value = named.get(typeId);
  if (value === undefined) named.set(typeId, (value = language.nodeTypeIsNamed(typeId)));
  return value;
}

/** Only the children of these nodes are told apart by field (object keys and values). */
const FIELD_PARENTS = new Set(['object_elem']);

function read(cursor: TreeCursor, language: Language, lines: LineTable, parent: LightNode | undefined): LightNode {
  const typeId = cursor.nodeTypeId;
  const startIndex = cursor.startIndex;
  const endIndex = cursor.endIndex;
  const type = language.types[typeId] || 'ERROR';
  // MISSING nodes are zero-width: only ask about those.
  const isMissing = startIndex === endIndex && cursor.nodeIsMissing;
  const node = new LightNode(type, isNamedType(language, typeId), isMissing, type === 'ERROR' || isMissing, startIndex, endIndex, lines, parent);
  if (parent && FIELD_PARENTS.has(parent.type)) node.fieldName = cursor.currentFieldName ?? undefined;
  return node;
}

/** Copies `node` and everything under it. `lines` is the line table of the text the tree was parsed from. */
export function lightTree(node: Node, lines: LineTable): LightNode {
  const language = node.tree.language;
  const cursor = node.walk();
  try {
    const root = read(cursor, language, lines, undefined);
    const stack: LightNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const parent = stack[stack.length - 1];
      const current = read(cursor, language, lines, parent);
      parent.children.push(current);
      if (cursor.gotoFirstChild()) {
        stack.push(current);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        const done = stack.pop()!;
        if (done.children.some((child) => child.hasError)) done.hasError = true;
        if (stack.length === 0 || !cursor.gotoParent()) return finish(root, stack);
      }
    }
  } finally {
    cursor.delete();
  }
}

function finish(root: LightNode, stack: LightNode[]): LightNode {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].children.some((child) => child.hasError)) stack[i].hasError = true;
  if (root.children.some((child) => child.hasError)) root.hasError = true;
  return root;
}
