/**
 * A small ICU-style message formatter: `{name}` inserts a parameter, and
 * `{count, plural, =0 {none} one {# invoice} other {# invoices}}` picks a form with the locale's
 * plural rules (`#` is the count, formatted for the locale). That subset is all the catalog uses;
 * anything else in braces is a programming error caught by the catalog tests.
 */

export type MessageParams = Readonly<Record<string, string | number>>;

type Node =
  | { kind: 'text'; value: string }
  | { kind: 'arg'; name: string }
  | { kind: 'pound' }
  | { kind: 'plural'; name: string; options: Record<string, Node[]> };

class Parser {
  private pos = 0;
  constructor(private readonly source: string) {}

  parse(): Node[] {
    const nodes = this.nodes(false);
    if (this.pos < this.source.length) throw new Error(`unexpected "}" at ${this.pos} in message: ${this.source}`);
    return nodes;
  }

  private nodes(inPlural: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.source.length) {
      const ch = this.source[this.pos]!;
      if (ch === '}') break;
      if (ch === '{') {
        flush();
        nodes.push(this.argument());
        continue;
      }
      if (ch === '#' && inPlural) {
        flush();
        nodes.push({ kind: 'pound' });
        this.pos++;
        continue;
      }
      text += ch;
      this.pos++;
    }
    flush();
    return nodes;
  }

  private argument(): Node {
    const close = this.source.indexOf('}', this.pos);
    const comma = this.source.indexOf(',', this.pos);
    if (close === -1) throw new Error(`unclosed "{" in message: ${this.source}`);
    if (comma === -1 || comma > close) {
      const name = this.source.slice(this.pos + 1, close).trim();
      if (!/^\w+$/.test(name)) throw new Error(`bad argument "${name}" in message: ${this.source}`);
      this.pos = close + 1;
      return { kind: 'arg', name };
    }
    const name = this.source.slice(this.pos + 1, comma).trim();
    const rest = this.source.slice(comma + 1);
    const typeMatch = /^\s*plural\s*,/.exec(rest);
    if (!typeMatch || !/^\w+$/.test(name)) throw new Error(`only {name} and {name, plural, …} are supported: ${this.source}`);
    this.pos = comma + 1 + typeMatch[0].length;
    const options: Record<string, Node[]> = {};
    for (;;) {
      this.skipSpace();
      if (this.source[this.pos] === '}') {
        this.pos++;
        break;
      }
      const selector = /^(=\d+|zero|one|two|few|many|other)\s*\{/.exec(this.source.slice(this.pos));
      if (!selector) throw new Error(`bad plural option at ${this.pos} in message: ${this.source}`);
      this.pos += selector[0].length;
      options[selector[1]!] = this.nodes(true);
      if (this.source[this.pos] !== '}') throw new Error(`unclosed plural option in message: ${this.source}`);
      this.pos++;
    }
    if (!options.other) throw new Error(`a plural needs an "other" option: ${this.source}`);
    return { kind: 'plural', name, options };
  }

  private skipSpace() {
    while (/\s/.test(this.source[this.pos] ?? '')) this.pos++;
  }
}

export function parseMessage(source: string): Node[] {
  return new Parser(source).parse();
}

/** How the pseudo-locale marks text: accented letters, so a missed string stands out at a glance. */
const PSEUDO: Record<string, string> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'đ', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ĺ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ú', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Đ', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Í', J: 'Ĵ', K: 'Ķ', L: 'Ĺ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Ú', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/** Accents the letters of a text, leaving markup tags (`<strong>`) as they are. */
export function pseudoText(text: string): string {
  return text.replace(/<\/?[a-z]+>|[A-Za-z]/g, (c) => (c.length > 1 ? c : (PSEUDO[c] ?? c)));
}

export interface FormatOptions {
  /** BCP 47 tag for plural rules and numbers. */
  tag: string;
  pseudo?: boolean;
}

function render(nodes: readonly Node[], params: MessageParams, options: FormatOptions, count: number | null): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += options.pseudo ? pseudoText(node.value) : node.value;
    else if (node.kind === 'pound') out += count === null ? '#' : new Intl.NumberFormat(options.tag).format(count);
    else if (node.kind === 'arg') {
      const value = params[node.name];
      out += value === undefined ? `{${node.name}}` : typeof value === 'number' ? new Intl.NumberFormat(options.tag).format(value) : value;
    } else {
      const n = Number(params[node.name] ?? 0);
      const exact = node.options[`=${n}`];
      const branch = exact ?? node.options[new Intl.PluralRules(options.tag).select(n)] ?? node.options.other!;
      out += render(branch, params, options, n);
    }
  }
  return out;
}

const cache = new Map<string, Node[]>();

/** Formats one catalog message; unknown parameters stay visible as `{name}` rather than vanish. */
export function formatMessage(source: string, params: MessageParams = {}, options: FormatOptions): string {
  let nodes = cache.get(source);
  if (!nodes) {
    nodes = parseMessage(source);
    if (cache.size > 2000) cache.clear();
    cache.set(source, nodes);
  }
  const text = render(nodes, params, options, null);
  return options.pseudo ? `⟦${text}⟧` : text;
}
