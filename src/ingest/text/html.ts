const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  hellip: '…',
  eacute: 'é',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/**
 * Readable text from HTML, safely: script, style and other non-content elements are dropped with their
 * contents, comments and tags are removed (never interpreted), block elements become line breaks, and
 * entities are decoded last so that an encoded "&lt;script&gt;" stays text.
 *
 * @example htmlToText('<p>Two <b>killed</b></p><script>x()</script>') // 'Two killed'
 */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(
        /<(script|style|noscript|template|svg|head|iframe|object|nav|footer|form)\b[\s\S]*?<\/\1\s*>/gi,
        ' ',
      )
      .replace(/<(?:br|hr)\b[^>]*>/gi, '\n')
      .replace(/<\/?(?:p|div|h[1-6]|li|ul|ol|tr|table|section|article|header|blockquote|pre)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, ' '),
  )
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/**
 * The page's `<title>`, as text, or null when it has none.
 *
 * @example htmlTitle('<head><title>Blast in Quetta &amp; after</title></head>') // 'Blast in Quetta & after'
 */
export function htmlTitle(html: string): string | null {
  const inner = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1];
  if (inner === undefined) return null;
  const title = htmlToText(inner).replace(/\s+/g, ' ').trim();
  return title || null;
}
