import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { child, decodeEntities, findAll, parseXml, textOf } from './xml.ts';

describe('parseXml', () => {
  it('reads elements, attributes, entities and CDATA', () => {
    const root = parseXml(
      '<?xml version="1.0"?><rss version="2.0"><item><title>Blast &amp; fire</title>' +
        "<link href='https://example.org/a?x=1&amp;y=2'/><description><![CDATA[<p>Two <b>killed</b></p>]]></description></item></rss>",
    );
    const [item] = findAll(root, ['item']);
    assert.ok(item);
    assert.equal(textOf(child(item, 'title')), 'Blast & fire');
    assert.equal(child(item, 'link')?.attrs.href, 'https://example.org/a?x=1&y=2');
    assert.equal(textOf(child(item, 'description')), '<p>Two <b>killed</b></p>');
  });

  it('never expands entities a DOCTYPE declares', () => {
    const xml =
      '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><r><t>&b;</t><t>&#x41;&#66;</t></r>';
    const texts = findAll(parseXml(xml), ['t']).map((t) => textOf(t));
    assert.deepEqual(texts, ['&b;', 'AB']);
  });

  it('recovers from unbalanced tags and stray close tags', () => {
    const root = parseXml('<feed><entry><title>One</entry></p><entry><title>Two</title></entry>');
    assert.deepEqual(
      findAll(root, ['entry']).map((e) => textOf(child(e, 'title'))),
      ['One', 'Two'],
    );
  });

  it('refuses absurd nesting instead of exhausting the stack', () => {
    assert.throws(() => parseXml('<a>'.repeat(500)), /nests deeper/);
  });

  it('keeps unknown entities as written and decodes common HTML ones', () => {
    assert.equal(decodeEntities('a&nbsp;b &foo; &mdash; &#0;'), 'a\u00a0b &foo; — &#0;');
  });
});
