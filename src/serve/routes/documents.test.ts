import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { documentHash, storeDocument } from '../../ingest/text/store-document.ts';
import { type RunningServer, startServer } from '../server.ts';
import { publicSource } from './documents.ts';

/** A hand-written report; the markup in it is hostile input and must come back as the same characters. */
const TEXT =
  'On 3 May 2024, BLF militants attacked a police checkpost near Turbat, killing two policemen. ' +
  'Residents said <script>window.__pwned = 1</script> the attackers fled into the hills.';
/** A second report whose id starts like the first one's, so a prefix match alone would mix them up. */
const OTHER = 'On 9 June 2024, unidentified gunmen killed three labourers in Kech district.';

interface DocumentJson {
  id: string;
  source: string | null;
  url: string | null;
  published: string;
  text: string;
  contentHash: string;
  ingestedAt: string;
  events: {
    id: string;
    index: number | null;
    eventDate: string;
    actor1: string | null;
    span: { start: number; end: number } | null;
    evidence: Record<string, { start: number; end: number }>;
  }[];
}

for (const kind of STORE_KINDS) {
  describe(`GET /api/documents/{id}: ${kind}`, () => {
    let t: TestStore;
    let server: RunningServer;
    let documentId: string;
    const get = async (path: string) => {
      const response = await fetch(`${server.url}${path}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    before(async () => {
      t = await freshStore(kind);
      const now = () => new Date('2026-11-26T10:00:00Z');
      ({ documentId } = await storeDocument(
        t.store,
        { id: 'wire', text: TEXT, published: '2024-05-04', source: 'Wire', url: 'https://example.org/a' },
        { now },
      ));
      // Sources as `sitrep ingest --text` and the watched inbox store them: the path the file was read from.
      await storeDocument(
        t.store,
        { id: 'wire:1', text: OTHER, published: '2024-06-10', source: '/srv/sitrep/inbox/2024/kech.txt' },
        { now },
      );
      await storeDocument(
        t.store,
        {
          id: 'win',
          text: `${OTHER} Police said.`,
          published: '2024-06-11',
          source: 'C:\\feeds\\kech-report.txt',
        },
        { now },
      );
      server = await startServer(t.store, { port: 0 });
    });
    after(async () => {
      await server?.close();
      await t?.cleanup();
    });

    it('returns the stored text and events whose evidence spans slice back to the words', async () => {
      const { status, body } = await get(`/api/documents/${documentId}`);
      assert.equal(status, 200);
      const doc = body as unknown as DocumentJson;
      assert.equal(doc.id, 'wire');
      assert.equal(doc.text, TEXT, 'the text verbatim, markup included');
      assert.equal(doc.contentHash, documentHash(TEXT));
      assert.equal(doc.published, '2024-05-04');
      assert.equal(doc.source, 'Wire');
      assert.equal(doc.url, 'https://example.org/a');
      assert.equal(doc.ingestedAt, '2026-11-26T10:00:00.000Z', 'ISO 8601 UTC, as it was written');
      assert.deepEqual(
        doc.events.map((e) => e.id),
        ['text:wire:0'],
        'only this document’s events, not those of "wire:1"',
      );
      const [event] = doc.events;
      assert.equal(event?.eventDate, '2024-05-03');
      assert.equal(event?.index, 0);
      const slice = (field: string) => {
        const span = event?.evidence[field];
        assert.ok(span, `evidence for ${field}`);
        assert.ok(span.start >= 0 && span.end <= doc.text.length && span.start < span.end);
        return doc.text.slice(span.start, span.end);
      };
      assert.equal(slice('date'), '3 May 2024');
      assert.equal(slice('actor1'), 'BLF');
      assert.equal(slice('fatalities'), 'two');
      assert.ok(event?.span && doc.text.slice(event.span.start, event.span.end).includes('Turbat'));
    });

    it('keeps a document whose id shares the prefix apart', async () => {
      const { status, body } = await get(`/api/documents/${encodeURIComponent('wire:1')}`);
      assert.equal(status, 200);
      const doc = body as unknown as DocumentJson;
      assert.equal(doc.text, OTHER);
      assert.ok(doc.events.length > 0);
      assert.ok(doc.events.every((e) => e.id.startsWith('text:wire:1:')));
    });

    it('shows a file source by its name only, never the server path', async () => {
      const unix = await get(`/api/documents/${encodeURIComponent('wire:1')}`);
      assert.equal(unix.body.source, 'kech.txt');
      assert.doesNotMatch(JSON.stringify(unix.body), /srv|inbox/);
      const windows = await get('/api/documents/win');
      assert.equal(windows.body.source, 'kech-report.txt');
      assert.doesNotMatch(JSON.stringify(windows.body), /feeds/);
    });

    it('answers 404 JSON for an unknown id and 400 for a hostile one', async () => {
      const missing = await get('/api/documents/0123456789abcdef');
      assert.equal(missing.status, 404);
      assert.match(String(missing.body.error), /no document with id 0123456789abcdef/);
      for (const hostile of ['<script>alert(1)</script>', "x' OR '1'='1", 'a'.repeat(201), 'doc\u0000id']) {
        const refused = await get(`/api/documents/${encodeURIComponent(hostile)}`);
        assert.equal(refused.status, 400, hostile.slice(0, 40));
        assert.equal(refused.body.error, 'invalid param');
      }
      const extra = await get(`/api/documents/${documentId}?debug=1`);
      assert.equal(extra.status, 400, 'unknown query parameters are refused');
    });

    it('is described in the OpenAPI document', async () => {
      const { body } = await get('/openapi.json');
      const paths = body.paths as Record<string, { get?: { responses?: Record<string, unknown> } }>;
      assert.ok(paths['/api/documents/{id}']?.get?.responses?.['404']);
    });
  });
}

it('publicSource keeps names and web addresses, and cuts any file path to its file name', () => {
  const cases: [string, string][] = [
    ['/srv/sitrep/inbox/2024/kech.txt', 'kech.txt'],
    ['inbox/2024/kech.txt', 'kech.txt'],
    ['../data/report.html', 'report.html'],
    ['~/news/a.md', 'a.md'],
    ['file:///srv/a.txt', 'a.txt'],
    ['C:\\feeds\\kech-report.txt', 'kech-report.txt'],
    ['\\\\server\\share\\a.txt', 'a.txt'],
    ['Wire', 'Wire'],
    ['Reuters/AP', 'Reuters/AP'],
    ['<i>Wire</i>', '<i>Wire</i>'],
    ['dawn.com', 'dawn.com'],
    ['https://www.dawn.com/news/1/attack.html', 'https://www.dawn.com/news/1/attack.html'],
  ];
  for (const [stored, shown] of cases) assert.equal(publicSource(stored), shown, stored);
});
