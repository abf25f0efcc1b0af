import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';

function sample(n: number, overrides: Partial<EventRecord> = {}): EventRecord {
  return blankEvent({
    id: `test:${n}`,
    source: 'test',
    sourceId: String(n),
    eventDate: `2024-01-${String((n % 28) + 1).padStart(2, '0')}`,
    eventType: n % 2 ? 'Battles' : 'Explosions/Remote violence',
    actor1: n % 3 ? 'BLA: Baloch Liberation Army' : 'BLF: Baloch Liberation Front',
    actor1Id: n % 3 ? 'baloch-liberation-army' : 'baloch-liberation-front',
    admin1: 'Balochistan',
    admin2: n % 2 ? 'Kech' : 'Quetta',
    latitude: 26 + n / 100,
    longitude: 63 + n / 100,
    fatalities: { low: n, best: n, high: n + 1 },
    notes: `note ${n} with 'quotes' and $1 -- not sql`,
    raw: { n },
    ...overrides,
  });
}

async function ingest(store: TestStore['store'], events: EventRecord[], file = 'f.csv') {
  const writer = await store.beginImport({ file, sha256: 'x', format: 'test' });
  await writer.add(events);
  return writer.finish({ rowsRead: events.length, rowsRejected: 0 });
}

for (const kind of STORE_KINDS) {
  describe(`store contract: ${kind}`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
    });
    after(async () => t.cleanup());

    it('stores a batch and reads every field back unchanged', async () => {
      const events = Array.from({ length: 30 }, (_, i) => sample(i + 1));
      const summary = await ingest(t.store, events);
      assert.deepEqual([summary.inserted, summary.updated, summary.unchanged], [30, 0, 0]);
      const back = await t.store.eventById('test:7');
      assert.deepEqual({ ...back, batchId: null }, { ...sample(7), batchId: null });
      assert.equal(back?.batchId, summary.batchId);
    });

    it('re-importing the same records adds nothing; a changed record is updated', async () => {
      const events = Array.from({ length: 30 }, (_, i) => sample(i + 1));
      const again = await ingest(t.store, events);
      assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 30]);
      events[4] = sample(5, { fatalities: { low: 9, best: 9, high: 9 } });
      const changed = await ingest(t.store, events);
      assert.deepEqual([changed.inserted, changed.updated, changed.unchanged], [0, 1, 29]);
      assert.equal((await t.store.eventById('test:5'))?.fatalities.best, 9);
      assert.equal(await t.store.countEvents({}), 30);
    });

    it('an aborted import leaves nothing behind', async () => {
      const writer = await t.store.beginImport({ file: 'g.csv', sha256: 'y', format: 'test' });
      await writer.add([sample(100), sample(101)]);
      await writer.abort();
      assert.equal(await t.store.countEvents({}), 30);
      assert.equal((await t.store.listBatches()).filter((b) => b.file === 'g.csv').length, 0);
    });

    it('filters by type, place, date and actor alias with bound parameters', async () => {
      await t.store.saveActors([
        { id: 'baloch-liberation-army', name: 'Baloch Liberation Army', kind: 'rebel', aliases: ['BLA'] },
      ]);
      const bla = await t.store.countEvents({ actors: ['bla'] });
      const direct = await t.store.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM events WHERE actor1_id = 'baloch-liberation-army'",
      );
      assert.equal(bla, direct[0]?.n);
      assert.ok(bla > 0);
      assert.equal(await t.store.countEvents({ admin2: ["Kech' OR 1=1 --"] }), 0);
      const kechBattles = await t.store.countEvents({ admin2: ['Kech'], eventTypes: ['Battles'] });
      assert.equal(kechBattles, 15);
      assert.equal(await t.store.countEvents({ from: '2024-01-05', to: '2024-01-06' }), 2);
    });

    it('pages through events with a cursor, newest first, without repeats', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page = await t.store.events({}, { limit: 7, after });
        seen.push(...page.events.map((e) => e.id));
        after = page.nextCursor;
      } while (after);
      assert.equal(seen.length, 30);
      assert.equal(new Set(seen).size, 30);
    });

    it('stats group by actor and year and agree with SQL', async () => {
      const rows = await t.store.stats(['actor', 'year'], {});
      const bla = rows.find((r) => r.keys.actor === 'Baloch Liberation Army');
      const [direct] = await t.store.query<{ n: number; f: number }>(
        "SELECT COUNT(*) AS n, SUM(fatalities_best) AS f FROM events WHERE actor1_id = 'baloch-liberation-army'",
      );
      assert.equal(bla?.events, direct?.n);
      assert.equal(bla?.fatalities, direct?.f);
      assert.equal(bla?.keys.year, 2024);
    });

    it('stats by week key each event to the Monday its ISO week starts on', async () => {
      const rows = await t.store.stats(['week'], { from: '2024-01-01', to: '2024-01-14' });
      // Jan 1 2024 is a Monday: days 1-7 fall in the week of 2024-01-01, days 8-14 in 2024-01-08.
      const byWeek = Object.fromEntries(rows.map((r) => [r.keys.week, r.events]));
      const firstWeek = await t.store.countEvents({ from: '2024-01-01', to: '2024-01-07' });
      const secondWeek = await t.store.countEvents({ from: '2024-01-08', to: '2024-01-14' });
      assert.deepEqual(byWeek, { '2024-01-01': firstWeek, '2024-01-08': secondWeek });
      const [sunday] = await t.store.stats(['week'], { from: '2024-01-07', to: '2024-01-07' });
      assert.equal(sunday?.keys.week, '2024-01-01');
    });

    it('rolls back a failed transaction', async () => {
      await assert.rejects(
        t.store.transaction(async (tx) => {
          await tx.query("INSERT INTO actors (id, name, kind) VALUES ('x', 'X', NULL)");
          throw new Error('boom');
        }),
      );
      assert.equal((await t.store.query("SELECT id FROM actors WHERE id = 'x'")).length, 0);
    });
  });
}
