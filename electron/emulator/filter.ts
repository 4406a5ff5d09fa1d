/**
 * A small OData `$filter` parser and evaluator for the forms the app uses on users and groups:
 * `prop eq|ne|ge|le|gt|lt literal`, `prop in ('a','b')`, `startswith(prop,'x')`, `endswith(prop,'x')`,
 * `groupTypes/any(c:c eq 'Unified')`, `not`, `and`, `or` and parentheses. String comparisons ignore case, as the
 * directory does. `ne`, `not` and `endswith` are "advanced queries": Graph accepts them only with
 * `ConsistencyLevel: eventual` and `$count=true`, so the parse result says whether the expression needs that.
 */

/** A literal value. */
type Literal = string | number | boolean | null;

/** A parsed filter expression. */
export type FilterNode =
  | { op: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { op: 'not'; inner: FilterNode }
  | { op: 'cmp'; cmp: 'eq' | 'ne' | 'ge' | 'le' | 'gt' | 'lt'; prop: string; value: Literal }
  | { op: 'in'; prop: string; values: Literal[] }
  | { op: 'startswith' | 'endswith'; prop: string; value: string }
  | { op: 'any'; prop: string; value: Literal };

/** A parse failure, answered by Graph as 400. */
export class FilterError extends Error {
  constructor(
    readonly graphCode: 'Request_BadRequest' | 'Request_UnsupportedQuery',
    message: string,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

/** A parsed filter: the tree and whether it is an advanced query. */
export interface ParsedFilter {
  readonly node: FilterNode;
  readonly advanced: boolean;
}

const TOKEN = /\s*('(?:[^']|'')*'|\(|\)|,|:|\/|[A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?|[0-9a-f-]{36})/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) throw new FilterError('Request_BadRequest', `Invalid filter clause: syntax error at position ${TOKEN.lastIndex}.`);
    out.push(m[1] as string);
  }
  return out;
}

/** Parses `$filter` for an entity whose filterable properties are `props` (name → entity type for messages). */
export function parseFilter(text: string, props: ReadonlySet<string>, entity: string): ParsedFilter {
  const tokens = tokenize(text);
  let pos = 0;
  let advanced = false;
  const peek = () => tokens[pos];
  const take = () => {
    const t = tokens[pos++];
    if (t === undefined) throw new FilterError('Request_BadRequest', 'Invalid filter clause: unexpected end of expression.');
    return t;
  };
  const expect = (t: string) => {
    const got = take();
    if (got.toLowerCase() !== t)
      throw new FilterError('Request_BadRequest', `Invalid filter clause: expected '${t}', found '${got}'.`);
  };
  const property = () => {
    const name = take();
    if (!props.has(name)) {
      throw new FilterError(
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'microsoft.graph.${entity}'.`,
      );
    }
    return name;
  };
  const literal = (): Literal => {
    const t = take();
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (/^-?\d/.test(t)) return Number(t);
    throw new FilterError('Request_BadRequest', `Invalid filter clause: '${t}' is not a literal.`);
  };

  const factor = (): FilterNode => {
    const t = peek()?.toLowerCase();
    if (t === 'not') {
      take();
      advanced = true;
      return { op: 'not', inner: factor() };
    }
    if (t === '(') {
      take();
      const inner = expression();
      expect(')');
      return inner;
    }
    if (t === 'startswith' || t === 'endswith') {
      take();
      expect('(');
      const prop = property();
      expect(',');
      const value = literal();
      expect(')');
      if (typeof value !== 'string') throw new FilterError('Request_BadRequest', `${t} needs a string literal.`);
      if (t === 'endswith') advanced = true;
      return { op: t, prop, value };
    }
    const prop = property();
    const next = take();
    if (next === '/') {
      expect('any');
      expect('(');
      const variable = take();
      expect(':');
      expect(variable.toLowerCase());
      expect('eq');
      const value = literal();
      expect(')');
      return { op: 'any', prop, value };
    }
    const op = next.toLowerCase();
    if (op === 'in') {
      expect('(');
      const values: Literal[] = [literal()];
      while (peek() === ',') {
        take();
        values.push(literal());
      }
      expect(')');
      if (values.length > 15) {
        throw new FilterError('Request_UnsupportedQuery', 'Too many values in the in operator: at most 15 are allowed.');
      }
      return { op: 'in', prop, values };
    }
    if (op === 'eq' || op === 'ne' || op === 'ge' || op === 'le' || op === 'gt' || op === 'lt') {
      if (op === 'ne') advanced = true;
      return { op: 'cmp', cmp: op, prop, value: literal() };
    }
    throw new FilterError('Request_UnsupportedQuery', `Unsupported query operator '${next}'.`);
  };
  const term = (): FilterNode => {
    let left = factor();
    while (peek()?.toLowerCase() === 'and') {
      take();
      left = { op: 'and', left, right: factor() };
    }
    return left;
  };
  const expression = (): FilterNode => {
    let left = term();
    while (peek()?.toLowerCase() === 'or') {
      take();
      left = { op: 'or', left, right: term() };
    }
    return left;
  };

  const node = expression();
  if (pos !== tokens.length) throw new FilterError('Request_BadRequest', `Invalid filter clause: unexpected '${tokens[pos]}'.`);
  return { node, advanced };
}

const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function compare(a: unknown, b: Literal): number {
  const x = norm(a);
  const y = norm(b);
  if (x === y) return 0;
  if (x === null || x === undefined) return -1;
  if (y === null) return 1;
  return (x as string | number) < (y as string | number) ? -1 : 1;
}

/** Evaluates a parsed filter against an object (reads its properties by name). */
export function matches(node: FilterNode, record: Readonly<Record<string, unknown>>): boolean {
  switch (node.op) {
    case 'and':
      return matches(node.left, record) && matches(node.right, record);
    case 'or':
      return matches(node.left, record) || matches(node.right, record);
    case 'not':
      return !matches(node.inner, record);
    case 'in': {
      const v = norm(record[node.prop]);
      return node.values.some((x) => norm(x) === v);
    }
    case 'startswith':
    case 'endswith': {
      const v = record[node.prop];
      if (typeof v !== 'string') return false;
      const l = v.toLowerCase();
      const p = node.value.toLowerCase();
      return node.op === 'startswith' ? l.startsWith(p) : l.endsWith(p);
    }
    case 'any': {
      const v = record[node.prop];
      return Array.isArray(v) && v.some((x) => norm(x) === norm(node.value));
    }
    case 'cmp': {
      const c = compare(record[node.prop] ?? null, node.value);
      switch (node.cmp) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'ge':
          return c >= 0;
        case 'le':
          return c <= 0;
        case 'gt':
          return c > 0;
        case 'lt':
          return c < 0;
      }
    }
  }
}
