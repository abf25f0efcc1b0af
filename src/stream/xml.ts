/**
 * A small, forgiving XML reader for RSS and Atom feeds. It is safe by construction: it never
 * fetches anything, never expands a DOCTYPE's entity declarations (no billion laughs, no XXE),
 * caps input size and nesting depth, and recovers from the unbalanced tags real feeds contain.
 */

export interface XmlElement {
  /** As written, prefix included (`content:encoded`), lower-cased. */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export const MAX_XML_CHARS = 10_000_000;
const MAX_DEPTH = 200;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  // HTML names feeds use inside escaped markup; anything else is left as written.
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
};

/** Decodes the predefined XML entities, common HTML ones and numeric character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

function parseAttributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of source.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
    const name = match[1]?.toLowerCase();
    if (name) attrs[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attrs;
}

/**
 * Parses a document into a tree under a synthetic root element named `#document`.
 *
 * @example parseXml('<rss><item><title>A &amp; B</title></item></rss>')
 */
export function parseXml(xml: string): XmlElement {
  if (xml.length > MAX_XML_CHARS)
    throw new Error(`XML is ${xml.length} characters; the limit is ${MAX_XML_CHARS}`);
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const top = () => stack[stack.length - 1] as XmlElement;
  let i = 0;
  const text = (s: string) => {
    if (s) top().children.push(s);
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      text(decodeEntities(xml.slice(i)));
      break;
    }
    if (lt > i) text(decodeEntities(xml.slice(i, lt)));
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      text(xml.slice(lt + 9, end < 0 ? xml.length : end));
      i = end < 0 ? xml.length : end + 3;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      i = end < 0 ? xml.length : end + 3;
    } else if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      i = end < 0 ? xml.length : end + 2;
    } else if (xml.startsWith('<!', lt)) {
      // DOCTYPE (with an optional [internal subset]) is skipped whole: its entities are never expanded.
      let j = lt + 2;
      let bracket = 0;
      for (; j < xml.length; j++) {
        const c = xml[j];
        if (c === '[') bracket++;
        else if (c === ']') bracket--;
        else if (c === '>' && bracket <= 0) break;
      }
      i = j + 1;
    } else if (xml[lt + 1] === '/') {
      const end = xml.indexOf('>', lt);
      const name = xml
        .slice(lt + 2, end < 0 ? xml.length : end)
        .trim()
        .toLowerCase();
      // Close back to the matching open tag; a stray close tag with no match is ignored.
      const at = stack.findLastIndex((el) => el.name === name);
      if (at > 0) stack.length = at;
      i = end < 0 ? xml.length : end + 1;
    } else {
      const end = findTagEnd(xml, lt + 1);
      const inner = xml.slice(lt + 1, end);
      const selfClosing = inner.endsWith('/');
      const body = selfClosing ? inner.slice(0, -1) : inner;
      const nameMatch = /^[^\s/>]+/.exec(body);
      if (!nameMatch) {
        text('<');
        i = lt + 1;
        continue;
      }
      const element: XmlElement = {
        name: nameMatch[0].toLowerCase(),
        attrs: parseAttributes(body.slice(nameMatch[0].length)),
        children: [],
      };
      top().children.push(element);
      if (!selfClosing) {
        if (stack.length > MAX_DEPTH) throw new Error(`XML nests deeper than ${MAX_DEPTH} elements`);
        stack.push(element);
      }
      i = end + 1;
    }
  }
  return root;
}

/** The index of the `>` closing a start tag, skipping any inside quoted attribute values. */
function findTagEnd(xml: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < xml.length; j++) {
    const c = xml[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
  }
  return xml.length;
}

/** Every descendant element with one of these names, in document order. */
export function findAll(element: XmlElement, names: readonly string[]): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (el: XmlElement) => {
    for (const child of el.children) {
      if (typeof child === 'string') continue;
      if (names.includes(child.name)) found.push(child);
      else walk(child);
    }
  };
  walk(element);
  return found;
}

/** The first direct child with one of these names (tried in the order given). */
export function child(element: XmlElement, ...names: string[]): XmlElement | undefined {
  for (const name of names) {
    const found = element.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);
    if (found) return found;
  }
  return undefined;
}

/** All text inside an element, markup removed. */
export function textOf(element: XmlElement | undefined): string {
  if (!element) return '';
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
