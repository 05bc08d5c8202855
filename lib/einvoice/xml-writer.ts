/** A tiny XML writer: elements are emitted only when they have content, text is escaped. */
export type XmlNode = { name: string; attrs?: Record<string, string | null | undefined>; children?: (XmlNode | null)[]; text?: string | null };

export function el(name: string, content: string | null | undefined | (XmlNode | null)[], attrs?: Record<string, string | null | undefined>): XmlNode | null {
  if (content === null || content === undefined) return null;
  if (typeof content === 'string') return content === '' ? null : { name, attrs, text: content };
  const children = content.filter((c): c is XmlNode => c !== null);
  return children.length === 0 ? null : { name, attrs, children };
}

/** An element that is written even when empty (mandatory containers). */
export function container(name: string, children: (XmlNode | null)[]): XmlNode {
  return { name, children: children.filter((c): c is XmlNode => c !== null) };
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function serialize(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const write = (node: XmlNode, depth: number) => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(node.attrs ?? {})
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
      .map(([k, v]) => ` ${k}="${escape(v)}"`)
      .join('');
    if (node.text !== undefined && node.text !== null) {
      out.push(`${pad}<${node.name}${attrs}>${escape(node.text)}</${node.name}>\n`);
      return;
    }
    const kids = node.children ?? [];
    if (kids.length === 0) {
      out.push(`${pad}<${node.name}${attrs}/>\n`);
      return;
    }
    out.push(`${pad}<${node.name}${attrs}>\n`);
    for (const child of kids) if (child) write(child, depth + 1);
    out.push(`${pad}</${node.name}>\n`);
  };
  write(root, 0);
  return out.join('');
}
