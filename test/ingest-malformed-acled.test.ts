import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IngestError } from '../src/ingest/importer.ts';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.ts';

// The header of a real ACLED export: on DuckDB such a file takes the DuckDB-native path, whose header
// sniffing used to let a CSV syntax error escape without the file or line ("unexpected "u" after a
// closing quote").
const HEADER =
  'event_date,year,event_type,sub_event_type,actor1,actor2,interaction,admin1,admin2,location,latitude,longitude,fatalities,civilian_targeting,notes,month';
const row = (day: number) =>
  `2024-06-${String(day).padStart(2, '0')},2024,Battles,Armed clash,BLF: Baloch Liberation Front,Police Forces of Pakistan (2022-) Frontier Corps,State forces-Rebel group,Balochistan,Kalat,Johan,29.3289,66.9716,0,,"On ${day} June 2024, BLF militants attacked an FC outpost.",2024-06`;

const dir = mkdtempSync(join(tmpdir(), 'sitrep-malformed-acled-'));
after(() => rmSync(dir, { recursive: true, force: true }));

for (const kind of STORE_KINDS) {
  describe(`ingest: a malformed ACLED export names the file and line (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
    });
    after(async () => t?.cleanup());

    it('a stray character after a closing quote: file:line, nothing stored', async () => {
      const path = join(dir, `stray-quote-${kind}.csv`);
      writeFileSync(path, [HEADER, row(1), row(2), '"broken,row,with"unclosed quote', row(3), ''].join('\n'));
      await assert.rejects(ingestPaths(t.store, [path]), (error: Error) => {
        assert.ok(
          error instanceof IngestError,
          `an IngestError, got ${error.constructor.name}: ${error.message}`,
        );
        assert.match(
          error.message,
          new RegExp(`^${path}:4: malformed CSV: unexpected "u" after a closing quote`),
        );
        return true;
      });
      assert.equal(await t.store.countEvents({}), 0);
      assert.equal((await t.store.listBatches()).length, 0);
    });
  });
}
