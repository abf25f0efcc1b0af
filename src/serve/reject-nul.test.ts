import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STORE_KINDS, storeWith, type TestStore } from '../../test/support/stores.ts';
import { blankEvent } from '../schema/index.ts';
import { createApp } from './app.ts';

for (const kind of STORE_KINDS) {
  describe(`a NUL character in a request (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await storeWith(kind, [
        blankEvent({ id: 't:1', source: 't', sourceId: '1', eventDate: '2024-01-02', admin1: 'Balochistan' }),
      ]);
    });
    after(async () => t?.cleanup());

    it('is a 400 naming where it was, never a 500, on either store', async () => {
      const app = createApp(t.store, { cache: false });
      for (const [url, error, path] of [
        ['/api/events?admin1=%00', 'invalid query', 'admin1'],
        ['/api/events?actor=BLA%00', 'invalid query', 'actor'],
        ['/api/events/t%3A1%00', 'invalid param', 'path'],
        ['/api/stats?by=admin1&admin2=%00', 'invalid query', 'admin2'],
        ['/api/spread?home=%00', 'invalid query', 'home'],
      ] as const) {
        const response = await app.request(url);
        assert.equal(response.status, 400, url);
        assert.deepEqual(await response.json(), {
          error,
          details: [{ path, message: 'contains a NUL character' }],
        });
      }
      const body = await app.request('/api/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          metric: 'events',
          actors: ['BLA\u0000'],
          from: '2023',
          to: '2024',
          changePct: 10,
        }),
      });
      assert.equal(body.status, 400);
      assert.equal(((await body.json()) as { error: string }).error, 'invalid json');
      // Requests without one still pass through, bodies included.
      assert.equal((await app.request('/api/events?admin1=Balochistan')).status, 200);
      const check = await app.request('/api/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metric: 'events', actors: [], from: '2023', to: '2024', changePct: 10 }),
      });
      assert.equal(check.status, 200, await check.text());
    });
  });
}
