import assert from 'node:assert/strict';
import { it } from 'node:test';
import pg from 'pg';
import { TEST_PG_URL } from '../../../test/support/stores.ts';
import { openStore } from '../open-store.ts';

it('several processes opening a fresh PostgreSQL schema at once all migrate it without colliding', async () => {
  const schema = `sitrep_race_${process.pid}`;
  const location = `${TEST_PG_URL}?schema=${schema}`;
  try {
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(location)));
    const [first] = stores;
    const rows = await first!.query<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations');
    const versions = await first!.query<{ n: number }>(
      'SELECT COUNT(DISTINCT version) AS n FROM schema_migrations',
    );
    assert.equal(rows[0]?.n, versions[0]?.n);
    assert.ok((rows[0]?.n ?? 0) > 0);
    await Promise.all(stores.map((s) => s.close()));
  } finally {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
});
