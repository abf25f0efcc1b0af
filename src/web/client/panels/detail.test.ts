import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { h, renderToString } from '../../svg/node.ts';
import { evidencePassage, textProvenance } from './detail.ts';

describe('event detail evidence', () => {
  const text =
    'Earlier news. On 3 May, gunmen killed two <b>soldiers</b> in Turbat. Police said more. Unrelated.';
  const start = text.indexOf('On 3 May');
  const end = text.indexOf('Police');

  it('finds the document and evidence spans of a text-extracted event', () => {
    const event = {
      raw: {
        documentId: 'doc1',
        span: { start, end },
        evidence: { fatalities: { start: 39, end: 42 }, bogus: 'x' },
      },
    };
    assert.deepEqual(textProvenance(event), {
      documentId: 'doc1',
      span: { start, end },
      evidence: [['fatalities', { start: 39, end: 42 }]],
    });
    assert.equal(textProvenance({ raw: { source: 'acled row' } }), null);
  });

  it('marks each field in the passage, widened to whole sentences, as text', () => {
    const killed = text.indexOf('two');
    const place = text.indexOf('Turbat');
    const html = renderToString(
      h(
        'p',
        {},
        evidencePassage(text, { start: start + 3, end: end - 3 }, [
          ['fatalities', { start: killed, end: killed + 3 }],
          ['location', { start: place, end: place + 6 }],
        ]),
      ),
    );
    assert.equal(
      html,
      '<p>On 3 May, gunmen killed <mark title="fatalities" data-field="fatalities">two</mark> &lt;b&gt;soldiers&lt;/b&gt; in <mark title="location" data-field="location">Turbat</mark>.</p>',
    );
  });

  it('names every field that rests on the same words in one mark', () => {
    const killed = text.indexOf('killed');
    const span = { start: killed, end: killed + 6 };
    const html = renderToString(
      h(
        'p',
        {},
        evidencePassage(text, null, [
          ['event_type', span],
          ['sub_event_type', span],
        ]),
      ),
    );
    assert.match(
      html,
      /<mark title="event type, sub event type" data-field="event_type sub_event_type">killed<\/mark>/,
    );
    assert.equal(html.match(/<mark/g)?.length, 1);
  });

  it('drops spans that do not fit the text, and gives nothing when none do', () => {
    const place = text.indexOf('Turbat');
    const outside = [
      ['fatalities', { start: text.length - 2, end: text.length + 5 }],
      ['actor1', { start: -4, end: 3 }],
      ['date', { start: 9, end: 9 }],
      ['admin2', { start: 12, end: 4 }],
    ] as [string, { start: number; end: number }][];
    assert.deepEqual(evidencePassage(text, { start: 0, end: text.length + 1 }, outside), []);
    const html = renderToString(
      h('p', {}, evidencePassage(text, null, [...outside, ['location', { start: place, end: place + 6 }]])),
    );
    assert.deepEqual(
      [...html.matchAll(/data-field="([^"]+)"/g)].map((m) => m[1]),
      ['location'],
    );
    assert.ok(html.startsWith('<p>On 3 May'), 'the passage is the sentence around the one valid span');
  });
});
