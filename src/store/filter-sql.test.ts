import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAnalysisFixture } from '../../test/support/analysis-fixture.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import type { EventFilter } from '../schema/index.ts';
import { filterSql, Params } from './filter-sql.ts';

/** Ids and names of the analysis fixture, padded with ids and names no event has. */
const padding = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);
const FILTERS: [string, EventFilter][] = [
  ['one id', { actorIds: ['ttp'] }],
  ['short id list', { actorIds: ['ttp', ...padding('nobody', 5)] }],
  ['long id list', { actorIds: ['ttp', ...padding('nobody', 20)] }],
  ['short name list', { actors: ['BLA: Baloch Liberation Army', 'Military Forces of Pakistan'] }],
  ['long name list', { actors: ['BLA: Baloch Liberation Army', ...padding('Nobody', 20)] }],
  ['names and ids', { actors: ['BLF: Baloch Liberation Front'], actorIds: ['ttp'], from: '2023-01-01' }],
  ['an alias', { actors: ['TTP'] }],
];

for (const kind of STORE_KINDS) {
  describe(`filterSql: ${kind}`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
      await loadAnalysisFixture(t.store);
    });
    after(async () => t?.cleanup());

    it("written for the store's dialect, an actor filter counts what the plain form counts", async () => {
      let shortForms = 0;
      for (const [label, filter] of FILTERS) {
        for (const side of ['either', 'primary'] as const) {
          const count = async (params: Params) => {
            const where = filterSql(filter, params, 'e', side);
            const [row] = await t.store.query<{ n: number }>(
              `SELECT COUNT(*) AS n FROM events e WHERE ${where}`,
              params.values,
            );
            return { n: Number(row?.n), where };
          };
          const plain = await count(new Params());
          const tuned = await count(new Params(t.store.dialect));
          assert.equal(tuned.n, plain.n, `${label}, ${side}`);
          assert.ok(!plain.where.includes('list_contains'), `${label}: the plain form uses IN`);
          if (tuned.where.includes('list_contains')) shortForms++;
        }
      }
      // The short form is DuckDB's, and only for short lists.
      assert.equal(shortForms, kind === 'duckdb' ? 10 : 0);
    });

    it('the counts are those of hand-written SQL', async () => {
      const expected = async (sql: string) =>
        Number((await t.store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${sql}`))[0]?.n);
      const count = async (filter: EventFilter, side: 'either' | 'primary' = 'either') => {
        const params = new Params(t.store.dialect);
        const [row] = await t.store.query<{ n: number }>(
          `SELECT COUNT(*) AS n FROM events e WHERE ${filterSql(filter, params, 'e', side)}`,
          params.values,
        );
        return Number(row?.n);
      };
      const ttp = await expected("actor1_id = 'ttp' OR actor2_id = 'ttp'");
      assert.ok(ttp > 0);
      assert.equal(await count({ actorIds: ['ttp', ...padding('nobody', 5)] }), ttp);
      assert.equal(await count({ actorIds: ['ttp', ...padding('nobody', 20)] }), ttp);
      const bla = await expected("actor1 = 'BLA: Baloch Liberation Army'");
      assert.ok(bla > 0);
      assert.equal(await count({ actors: ['BLA: Baloch Liberation Army'] }, 'primary'), bla);
      const military = await expected("actor2 = 'Military Forces of Pakistan'");
      assert.ok(military > 0);
      assert.equal(await count({ actors: ['Military Forces of Pakistan'] }, 'primary'), 0);
      assert.equal(await count({ actors: ['Military Forces of Pakistan'] }), military);
    });
  });
}
