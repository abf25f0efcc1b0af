import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itemToDocument, parseFeed } from './feeds.ts';

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title>
<item>
  <title>Gunmen attack checkpoint in Turbat</title>
  <link>https://news.example.org/turbat-attack</link>
  <guid isPermaLink="false">wire-1001</guid>
  <pubDate>Tue, 04 Mar 2025 09:30:00 +0500</pubDate>
  <description>&lt;p&gt;Three soldiers were killed.&lt;/p&gt;&lt;p&gt;Officials said&amp;nbsp;so.&lt;/p&gt;</description>
</item>
<item>
  <title>Protest in Quetta</title>
  <content:encoded><![CDATA[<div>Hundreds protested <script>track()</script>on Monday.</div>]]></content:encoded>
</item>
</channel></rss>`;

const ATOM = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom wire</title>
<entry><title type="html">Blast in &lt;b&gt;Gwadar&lt;/b&gt;</title><id>urn:uuid:42</id>
<link rel="self" href="https://news.example.org/self/42"/><link rel="alternate" href="https://news.example.org/42"/>
<updated>2025-03-05T08:00:00Z</updated><published>2025-03-05T07:00:00Z</published>
<summary>A bomb exploded near the port.</summary></entry></feed>`;

describe('parseFeed', () => {
  it('reads RSS items: title, escaped-HTML body, link, guid, date', () => {
    const [first, second] = parseFeed(RSS);
    assert.deepEqual(first, {
      title: 'Gunmen attack checkpoint in Turbat',
      body: 'Three soldiers were killed.\nOfficials said so.',
      url: 'https://news.example.org/turbat-attack',
      guid: 'wire-1001',
      published: '2025-03-04T04:30:00.000Z',
    });
    assert.equal(second?.body, 'Hundreds protested on Monday.');
    assert.equal(second?.published, null);
  });

  it('reads Atom entries, preferring the alternate link and the published date', () => {
    const [entry] = parseFeed(ATOM);
    assert.equal(entry?.title, 'Blast in Gwadar');
    assert.equal(entry?.url, 'https://news.example.org/42');
    assert.equal(entry?.guid, 'urn:uuid:42');
    assert.equal(entry?.published, '2025-03-05T07:00:00.000Z');
    assert.equal(entry?.body, 'A bomb exploded near the port.');
  });

  it('turns an item into a document dated by the feed, else by the fetch time', () => {
    const [dated, undated] = parseFeed(RSS);
    assert.ok(dated && undated);
    const fetchedAt = new Date('2025-03-06T00:00:00Z');
    const doc = itemToDocument(dated, 'https://news.example.org/feed.xml', fetchedAt);
    assert.equal(doc.title, dated.title, 'the headline travels as the title too');
    assert.equal(
      doc.text,
      'Gunmen attack checkpoint in Turbat\n\nThree soldiers were killed.\nOfficials said so.',
    );
    assert.equal(doc.published, '2025-03-04T04:30:00.000Z');
    assert.equal(doc.source, 'news.example.org');
    assert.equal(doc.id, 'wire-1001');
    assert.equal(
      itemToDocument(undated, 'https://news.example.org/feed.xml', fetchedAt).published,
      fetchedAt.toISOString(),
    );
  });
});
