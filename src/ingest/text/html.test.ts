import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlToText } from './html.ts';

test('strips markup safely and keeps the words', () => {
  const html =
    '<html><head><title>t</title><style>p{}</style></head><body><p>Two &amp; three</p><script>alert(1)</script>' +
    '<!-- <p>hidden</p> --><div>&lt;script&gt; stays text&#33;</div></body></html>';
  assert.equal(htmlToText(html), 'Two & three\n<script> stays text!');
});
