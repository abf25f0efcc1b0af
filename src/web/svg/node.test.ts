import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { h, renderToString, safeAttr } from './node.ts';

describe('svg node tree', () => {
  it('escapes text and attribute values', () => {
    const out = renderToString(
      h('text', { 'data-actor': '"><script>x</script>' }, '<img src=x onerror=alert(1)> & more'),
    );
    assert.equal(
      out,
      '<text data-actor="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;img src=x onerror=alert(1)&gt; &amp; more</text>',
    );
    assert.doesNotMatch(out, /<script|<img/);
  });

  it('drops links that are not http(s) or in-page and refuses event-handler attributes', () => {
    assert.equal(safeAttr('href', 'javascript:alert(1)'), null);
    assert.equal(safeAttr('href', ' JAVASCRIPT:alert(1)'), null);
    assert.equal(safeAttr('src', 'data:text/html,<script>'), null);
    assert.equal(safeAttr('href', 'https://example.org/a'), 'https://example.org/a');
    assert.equal(safeAttr('href', '#part'), '#part');
    assert.throws(() => safeAttr('onclick', 'x'), /event-handler/);
    assert.throws(() => h('scr ipt'), /invalid tag/);
    assert.equal(renderToString(h('a', { href: 'javascript:x' }, 'link')), '<a>link</a>');
  });

  it('flattens children and leaves out empty ones', () => {
    const out = renderToString(h('g', {}, null, false, ['a', ['b', undefined]], 3, h('br')));
    assert.equal(out, '<g>ab3<br></g>');
  });
});
