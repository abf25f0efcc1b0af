import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { actorCatalogue } from '../src/analyse/actors.ts';
import { network } from '../src/analyse/network.ts';
import { Gazetteer } from '../src/extract/places/gazetteer.ts';
import { storeDocument } from '../src/ingest/text/store-document.ts';
import { ActorRegistry } from '../src/resolve/actor-registry.ts';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.ts';

// The analysis column is not committed (see BRIEF): read it from ../shared/samples beside the repository.
const SAMPLE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../shared/samples/analysis-balochistan-2025.txt',
);
const present = existsSync(SAMPLE);
if (!present && process.env.CI === 'true') throw new Error(`sample missing under CI: ${SAMPLE}`);

for (const kind of STORE_KINDS) {
  describe(`relations of the analysis column on ${kind}`, { skip: !present }, () => {
    let t: TestStore | undefined;
    after(() => t?.cleanup());

    test('join the network nodes by canonical id and keep the words of the column', async () => {
      t = await freshStore(kind);
      const text = readFileSync(SAMPLE, 'utf8');
      const actors = await ActorRegistry.fromStore(t.store);
      await storeDocument(
        t.store,
        { text, published: '2025-03-25', source: 'analysis-balochistan-2025.txt' },
        { actors, gazetteer: await Gazetteer.fromStore(t.store) },
      );
      const result = await network(t.store, { filter: {} });
      const fromText = result.relations.filter((r) => r.origin?.startsWith('text:'));
      const collaboration = fromText.find((r) => r.kind === 'collaboration');
      assert.ok(collaboration, 'the BLA–TTP collaboration is stored');
      const bla = actors.resolve('BLA')?.id;
      const ttp = actors.resolve('TTP')?.id;
      assert.ok(bla && ttp);
      assert.deepEqual([collaboration.source, collaboration.target].sort(), [bla, ttp].sort());
      assert.ok(collaboration.sourceName && collaboration.targetName);
      const written = [collaboration.sourceName, collaboration.targetName];
      for (const name of written) assert.ok(text.includes(name), `"${name}" is how the column writes it`);
      assert.ok(written.includes('BLA'));

      // The column's BLA events make BLA a node: the relation now meets it under the same id.
      const nodeIds = new Set(result.nodes.map((n) => n.id));
      assert.ok(nodeIds.has(bla), `network nodes include ${bla}`);

      const merger = fromText.find((r) => r.kind === 'merger');
      assert.ok(merger, 'the merger into one force is stored');
      assert.equal(merger.target, actors.resolve('Balochistan National Army')?.id);
      assert.equal(merger.targetName, 'Balochistan National Army');
      assert.ok(text.includes(merger.sourceName ?? '\u0000'));
      assert.equal(merger.date?.slice(0, 7), '2025-03');

      const catalogue = await actorCatalogue(t.store, { search: 'baloch liberation' });
      assert.ok(
        catalogue.relations.some((r) => r.kind === 'collaboration' && r.source === collaboration.source),
      );
    });
  });
}
