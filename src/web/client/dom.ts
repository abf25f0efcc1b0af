import { type Child, h, type Node, renderToDom } from '../svg/node.ts';

/** Replaces an element's content with a tree built by `h` (text always as text, never as markup). */
export function show(target: Element, ...nodes: Child[]): void {
  const wrapper = h('div', {}, ...nodes);
  target.replaceChildren(...wrapper.children.map((n: Node) => renderToDom(n, document)));
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el as T;
}

/** Runs `handler` for clicks on (or inside) elements matching `selector` within `root`. */
export function onClick(
  root: Element,
  selector: string,
  handler: (el: Element, event: MouseEvent) => void,
): void {
  root.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest(selector);
    if (target && root.contains(target)) handler(target, event as MouseEvent);
  });
}

/** Splits text at http(s) URLs: URLs become links (opened safely), everything else stays text. */
export function linkify(text: string): Child[] {
  const out: Child[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    const start = m.index ?? 0;
    if (start > last) out.push(text.slice(last, start));
    out.push(h('a', { href: m[0], target: '_blank', rel: 'noopener noreferrer nofollow' }, m[0]));
    last = start + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
