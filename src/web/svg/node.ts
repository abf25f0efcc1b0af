/**
 * A tiny element tree that chart code builds once and that becomes either a string (the report,
 * written by Node) or real DOM (the dashboard, built with createElementNS + textContent).
 * Text and attribute values are data and are never parsed as markup on either path.
 */

export type AttrValue = string | number | boolean | null | undefined;

export interface ElementNode {
  kind: 'element';
  tag: string;
  attrs: Record<string, AttrValue>;
  children: Node[];
}

export interface TextNode {
  kind: 'text';
  text: string;
}

export type Node = ElementNode | TextNode;
export type Child = Node | string | number | null | undefined | false | readonly Child[];

const NAME = /^[a-zA-Z][a-zA-Z0-9:_-]*$/;
const SAFE_URL = /^(https?:\/\/|#)/i;

/**
 * Builds an element. Falsy children are dropped; arrays are flattened; strings become text nodes.
 * @example h('text', { x: 4, y: 12, class: 'label' }, actorName)
 */
export function h(tag: string, attrs: Record<string, AttrValue> = {}, ...children: Child[]): ElementNode {
  if (!NAME.test(tag)) throw new Error(`invalid tag name: ${tag}`);
  const out: Node[] = [];
  const push = (child: Child): void => {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      for (const c of child as readonly Child[]) push(c);
    } else if (typeof child === 'string' || typeof child === 'number') {
      out.push({ kind: 'text', text: String(child) });
    } else {
      out.push(child as Node);
    }
  };
  for (const c of children) push(c);
  return { kind: 'element', tag, attrs, children: out };
}

/** Whether an attribute may be written, and its value as text; event handlers and unsafe URLs are refused. */
export function safeAttr(name: string, value: AttrValue): string | null {
  if (value === null || value === undefined || value === false) return null;
  if (!NAME.test(name)) throw new Error(`invalid attribute name: ${name}`);
  if (/^on/i.test(name)) throw new Error(`event-handler attributes are not allowed: ${name}`);
  const text = value === true ? '' : String(value);
  if (/(^|:)(href|src|action)$/i.test(name) && !SAFE_URL.test(text.trim())) return null;
  return text;
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const VOID_HTML = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'col', 'wbr']);

/** Serialises a tree to markup with every text and attribute value escaped. */
export function renderToString(node: Node): string {
  if (node.kind === 'text') return escapeText(node.text);
  let attrs = '';
  for (const [name, value] of Object.entries(node.attrs)) {
    const text = safeAttr(name, value);
    if (text !== null) attrs += ` ${name}="${escapeAttr(text)}"`;
  }
  if (node.children.length === 0) {
    return VOID_HTML.has(node.tag) ? `<${node.tag}${attrs}>` : `<${node.tag}${attrs}></${node.tag}>`;
  }
  return `<${node.tag}${attrs}>${node.children.map(renderToString).join('')}</${node.tag}>`;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Builds real DOM from a tree in the browser: elements via createElementNS, text via text nodes,
 * attributes via setAttribute, so data can never become markup or script.
 */
export function renderToDom(node: Node, doc: Document, inSvg = false): globalThis.Node {
  if (node.kind === 'text') return doc.createTextNode(node.text);
  const svg = inSvg || node.tag === 'svg';
  const el = svg ? doc.createElementNS(SVG_NS, node.tag) : doc.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) {
    const text = safeAttr(name, value);
    if (text !== null) el.setAttribute(name, text);
  }
  for (const child of node.children)
    el.appendChild(renderToDom(child, doc, svg && node.tag !== 'foreignObject'));
  return el;
}
