import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';

/** Many events sharing few dates, so the page order leans on the id tie-break. */
function event(n: number): EventRecord {
  return blankEvent({
    id: `page:${String(n).padStart(5, '0')}`,
    source: 'test',
    sourceId: String(n),
    eventDate: `2024-02-${String((n % 5) + 1).padStart(2, '0')}`,
    eventType: 'Battles',
    admin2: n % 3 ? 'Kech' : 'Quetta',
    fatalities: { low: n % 4, best: n % 4, high: n % 4 },
    notes: `note ${n}`,
  });
}

const byDateThenIdDesc = (a: EventRecord, b: EventRecord) =>
  b.eventDate.localeCompare(a.eventDate) || b.id.localeCompare(a.id);

for (const kind of STORE_KINDS) {
  describe(`store read path: ${kind}`, () => {
    let t: TestStore;
    const events = Array.from({ length: 2_600 }, (_, i) => event(i));
    before(async () => {
      t = await freshStore(kind);
      const writer = await t.store.beginImport({ file: 'page.csv', sha256: 'x', format: 'test' });
      await writer.add(events);
      await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
    });
    after(async () => t.cleanup());

    it('a page larger than one id lookup comes back whole, in order, and its cursor continues it', async () => {
      const expected = events.filter((e) => e.admin2 === 'Kech').sort(byDateThenIdDesc);
      const first = await t.store.events({ admin2: ['Kech'] }, { limit: 1_500 });
      assert.deepEqual(
        first.events.map((e) => e.id),
        expected.slice(0, 1_500).map((e) => e.id),
      );
      assert.deepEqual(
        first.events.find((e) => e.id === 'page:00007'),
        { ...event(7), batchId: first.events.find((e) => e.id === 'page:00007')?.batchId ?? null },
      );
      assert.ok(first.nextCursor);
      const rest = await t.store.events({ admin2: ['Kech'] }, { limit: 1_500, after: first.nextCursor });
      assert.deepEqual(
        rest.events.map((e) => e.id),
        expected.slice(1_500).map((e) => e.id),
      );
      assert.equal(rest.nextCursor, null);
    });

    it('concurrent reads all answer, each with its own result', async () => {
      const districts = ['Kech', 'Quetta', 'Kech', 'Quetta', 'Kech', 'Quetta', 'Kech', 'Quetta'];
      const counts = await Promise.all(districts.map((d) => t.store.countEvents({ admin2: [d] })));
      assert.deepEqual(
        counts,
        districts.map((d) => events.filter((e) => e.admin2 === d).length),
      );
    });
  });
}
