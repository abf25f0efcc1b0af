import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import { COMPARED_COLUMN_NAMES } from './columns.ts';

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

/**
 * One correction per compared column of `events` (all but id and batch_id): each changes only that
 * column of sample(n), between values, from a value to NULL or from NULL to a value.
 */
const CORRECTIONS: Record<string, (e: EventRecord) => Partial<EventRecord>> = {
  source: () => ({ source: 'test-corrected' }),
  source_id: (e) => ({ sourceId: `${e.sourceId}b` }),
  raw: (e) => ({ raw: { ...e.raw, corrected: true } }),
  event_date: () => ({ eventDate: '2023-12-31' }),
  end_date: () => ({ endDate: '2024-03-01' }),
  time_precision: () => ({ timePrecision: 'week' }),
  event_type: () => ({ eventType: 'Riots' }),
  sub_event_type: () => ({ subEventType: 'Attack' }),
  attack_type: () => ({ attackType: 'Armed Assault' }),
  target_type: () => ({ targetType: 'Military' }),
  weapon_type: () => ({ weaponType: 'Firearms' }),
  suicide: () => ({ suicide: false }),
  claimed: () => ({ claimed: true }),
  actor1: () => ({ actor1: 'Unidentified Armed Group (Pakistan)' }),
  actor2: () => ({ actor2: 'Civilians (Pakistan)' }),
  assoc_actor1: () => ({ assocActor1: 'A; B' }),
  assoc_actor2: () => ({ assocActor2: 'C' }),
  actor1_id: () => ({ actor1Id: null }),
  actor2_id: () => ({ actor2Id: 'civilians-pakistan' }),
  interaction: () => ({ interaction: 'Rebel group-Civilians' }),
  country: () => ({ country: 'Pakistan' }),
  admin1: () => ({ admin1: 'Sindh' }),
  admin2: (e) => ({ admin2: `${e.admin2}i` }),
  admin3: () => ({ admin3: 'Tump' }),
  location: () => ({ location: 'Turbat' }),
  // The nearest other double: a comparison through text rounding to fewer digits would miss it.
  latitude: (e) => ({ latitude: (e.latitude ?? 0) + Number.EPSILON * 32 }),
  longitude: () => ({ longitude: null }),
  geo_precision: () => ({ geoPrecision: 3 }),
  fatalities_low: (e) => ({ fatalities: { ...e.fatalities, low: 0 } }),
  fatalities_best: (e) => ({ fatalities: { ...e.fatalities, best: null } }),
  fatalities_high: (e) => ({ fatalities: { ...e.fatalities, high: 1000 } }),
  injured_low: (e) => ({ injured: { ...e.injured, low: 1 } }),
  injured_best: (e) => ({ injured: { ...e.injured, best: 2 } }),
  injured_high: (e) => ({ injured: { ...e.injured, high: 3 } }),
  held_low: (e) => ({ held: { ...e.held, low: 1 } }),
  held_best: (e) => ({ held: { ...e.held, best: 2 } }),
  held_high: (e) => ({ held: { ...e.held, high: 3 } }),
  civilian_targeting: () => ({ civilianTargeting: true }),
  notes: (e) => ({ notes: `${e.notes} ` }),
  source_refs: () => ({ sourceRefs: 'Dawn' }),
};

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

    it('a re-import updates exactly the records corrected in any one stored column', async () => {
      const columns = Object.keys(CORRECTIONS);
      // Every compared column has a correction, so a column the comparison forgets fails here.
      assert.deepEqual([...columns].sort(), COMPARED_COLUMN_NAMES.filter((c) => c !== 'id').sort());
      // A store of its own, so the other tests' counts stay as they are.
      const own = await freshStore(kind);
      try {
        const base = (i: number) => sample(200 + i, { suicide: true });
        const originals = columns.map((_, i) => base(i));
        const first = await ingest(own.store, originals, 'corrections.csv');
        assert.deepEqual([first.inserted, first.updated, first.unchanged], [columns.length, 0, 0]);
        // Corrected: every other record, one column each; the rest exactly as stored.
        const corrected = columns.map((column, i) => {
          const e = base(i);
          const correct = CORRECTIONS[column];
          return i % 2 === 0 && correct ? { ...e, ...correct(e) } : e;
        });
        const changedColumns = columns.filter((_, i) => i % 2 === 0);
        const second = await ingest(own.store, corrected, 'corrections.csv');
        assert.deepEqual(
          [second.inserted, second.updated, second.unchanged],
          [0, changedColumns.length, columns.length - changedColumns.length],
        );
        for (const [i, e] of corrected.entries()) {
          const back = await own.store.eventById(e.id);
          assert.deepEqual({ ...back, batchId: null }, { ...e, batchId: null }, `corrected ${columns[i]}`);
        }
        // The other half: now the even ones are as stored, the odd ones corrected.
        const third = await ingest(
          own.store,
          columns.map((column, i) => {
            const e = base(i);
            const correct = CORRECTIONS[column];
            return correct ? { ...e, ...correct(e) } : e;
          }),
          'corrections.csv',
        );
        assert.deepEqual(
          [third.inserted, third.updated, third.unchanged],
          [0, columns.length - changedColumns.length, changedColumns.length],
        );
      } finally {
        await own.cleanup();
      }
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

    it('stats by precision count each event under how precisely its date is known', async () => {
      const rows = await t.store.stats(['precision'], {});
      const [direct] = await t.store.query<{ day: number; other: number }>(
        `SELECT SUM(CASE WHEN COALESCE(time_precision, 'day') = 'day' THEN 1 ELSE 0 END) AS day,
                SUM(CASE WHEN COALESCE(time_precision, 'day') = 'day' THEN 0 ELSE 1 END) AS other FROM events`,
      );
      const byPrecision = Object.fromEntries(rows.map((r) => [r.keys.precision, r.events]));
      assert.equal(byPrecision.day ?? 0, Number(direct?.day));
      assert.equal(
        Object.entries(byPrecision).reduce((sum, [k, n]) => sum + (k === 'day' ? 0 : Number(n)), 0),
        Number(direct?.other),
      );
      assert.ok(Object.keys(byPrecision).every((k) => ['day', 'week', 'month', 'year'].includes(k)));
    });

    it('saves actors as one after the other: the last write of an id or alias key wins', async () => {
      const aliasesOf = async () =>
        Object.fromEntries(
          (
            await t.store.query<{ alias_key: string; alias: string; actor_id: string }>(
              "SELECT alias_key, alias, actor_id FROM actor_aliases WHERE actor_id LIKE 'sa-%'",
            )
          ).map((r) => [r.alias_key, `${r.alias} -> ${r.actor_id}`]),
        );
      await t.store.saveActors([
        { id: 'sa-a', name: 'Alpha Front', kind: 'rebel', aliases: ['AF', 'Old Name'] },
        { id: 'sa-b', name: 'Beta Group', kind: null, aliases: ['af'] }, // takes the key 'af' from sa-a
        { id: 'sa-a', name: 'Alpha Front', kind: 'militia', aliases: ['Af'] }, // and takes it back
      ]);
      // Re-saved without 'Old Name': the alias stays, as each write replaces only the keys it lists.
      await t.store.saveActors([{ id: 'sa-b', name: 'Beta  Group', kind: 'rebel', aliases: [] }]);
      // More rows than one statement takes.
      const many = Array.from({ length: 600 }, (_, i) => ({
        id: `sa-m${i}`,
        name: `Many ${i}`,
        kind: null,
        aliases: [`M ${i}`],
      }));
      await t.store.saveActors(many);
      const listed = (await t.store.listActors()).filter((a) => a.id.startsWith('sa-'));
      assert.equal(listed.length, 602);
      const byId = new Map(listed.map((a) => [a.id, a]));
      assert.equal(byId.get('sa-a')?.kind, 'militia');
      assert.equal(byId.get('sa-b')?.name, 'Beta  Group');
      assert.equal(byId.get('sa-b')?.kind, 'rebel');
      const aliases = await aliasesOf();
      assert.equal(aliases.af, 'Af -> sa-a');
      assert.equal(aliases['alpha front'], 'Alpha Front -> sa-a');
      assert.equal(aliases['old name'], 'Old Name -> sa-a');
      assert.equal(aliases['beta group'], 'Beta  Group -> sa-b');
      assert.equal(aliases['m 599'], 'M 599 -> sa-m599');
      assert.equal(Object.keys(aliases).length, 4 + 1200);
      await t.store.query("DELETE FROM actor_aliases WHERE actor_id LIKE 'sa-%'");
      await t.store.query("DELETE FROM actors WHERE id LIKE 'sa-%'");
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
