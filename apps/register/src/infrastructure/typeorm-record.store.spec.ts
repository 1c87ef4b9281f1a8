import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  REGISTER_ENTITIES,
  REGISTER_MIGRATIONS,
  runMigrations,
} from '@ketenpoort/persistence';
import { describeEachDatabase } from '@ketenpoort/testing';
import { inIntakeTransaction } from './typeorm-record.store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(inIntakeTransaction.name, () => {
  describeEachDatabase('intake transactions', (db) => {
    let ds: DataSource;

    beforeAll(async () => {
      ds = createDataSource({
        url: db.url(),
        entities: REGISTER_ENTITIES,
        migrations: REGISTER_MIGRATIONS,
        poolSize: 2,
      });
      await runMigrations(ds);
    });
    afterAll(async () => {
      await ds.destroy();
    });

    it('runs one at a time, in order of arrival', async () => {
      const events: string[] = [];
      await Promise.all(
        [1, 2, 3, 4].map((n) =>
          inIntakeTransaction(ds, async () => {
            events.push(`start ${n}`);
            await sleep(20);
            events.push(`end ${n}`);
          }),
        ),
      );
      expect(events).toEqual([
        'start 1',
        'end 1',
        'start 2',
        'end 2',
        'start 3',
        'end 3',
        'start 4',
        'end 4',
      ]);
    });

    it('leaves the other pool connections free while a backlog waits its turn', async () => {
      const done: string[] = [];
      const backlog = [1, 2, 3, 4, 5].map((n) =>
        inIntakeTransaction(ds, async (manager) => {
          await manager.query('SELECT 1');
          await sleep(50);
          done.push(`intake ${n}`);
        }),
      );
      await sleep(20);
      await ds.query('SELECT 1');
      done.push('other query');
      await Promise.all(backlog);
      // Waiting intakes hold no connection, so the other query does not queue behind the backlog: it is served
      // while the first intake runs (PostgreSQL) or right after it (the embedded engine runs one transaction at
      // a time). Were the waiting intakes holding both connections, it would come after the fourth.
      expect(done.indexOf('other query')).toBeLessThan(3);
    });

    it('goes on after a transaction that failed', async () => {
      await expect(
        inIntakeTransaction(ds, async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await expect(
        inIntakeTransaction(ds, async (manager) => manager.query('SELECT 1 AS one')),
      ).resolves.toEqual([{ one: 1 }]);
    });
  });
});
