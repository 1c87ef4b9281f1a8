import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { describeEachDatabase } from '@ketenpoort/testing';
import { createDataSource, runMigrations } from './create-data-source.js';
import { EMBEDDED_POOL_SIZE } from './embedded-postgres.js';

class TinySchema1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE item (
      id int PRIMARY KEY, label text NOT NULL, version int NOT NULL DEFAULT 1, claimed_by text, body jsonb)`);
    await runner.query(`CREATE FUNCTION item_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.version := OLD.version + 1; RETURN NEW; END $$`);
    await runner.query(`CREATE TRIGGER item_version BEFORE UPDATE ON item
      FOR EACH ROW EXECUTE FUNCTION item_bump_version()`);
    await runner.query(`CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)`);
    await runner.query(`CREATE TABLE ticket (seq int NOT NULL)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ticket, counter, item');
    await runner.query('DROP FUNCTION item_bump_version()');
  }
}

describe(runMigrations.name, () => {
  describeEachDatabase('persistence', (db) => {
    let sut: DataSource;
    let nextId = 1000;
    const insertItem = (label: string) =>
      sut.query('INSERT INTO item (id, label) VALUES ($1, $2)', [nextId++, label]);

    beforeAll(async () => {
      sut = createDataSource({
        url: db.url(),
        entities: [],
        migrations: [TinySchema1700000000000],
        poolSize: EMBEDDED_POOL_SIZE,
      });
      await runMigrations(sut);
    });
    afterAll(async () => {
      await sut.destroy();
    });

    it('creates the tables and a plpgsql trigger that fires', async () => {
      await sut.query(`INSERT INTO item (id, label) VALUES (1, 'a')`);
      await sut.query(`UPDATE item SET label = 'b' WHERE id = 1`);
      const [row] = await sut.query('SELECT label, version FROM item WHERE id = 1');
      expect(row).toEqual({ label: 'b', version: 2 });
    });

    it('runs nothing the second time', async () => {
      await runMigrations(sut);
      const rows = await sut.query('SELECT name FROM migrations');
      expect(rows).toEqual([{ name: 'TinySchema1700000000000' }]);
    });

    it('keeps what a committed transaction wrote', async () => {
      await sut.transaction((em) => em.query(`INSERT INTO item (id, label) VALUES (2, 'committed')`));
      expect(await sut.query('SELECT label FROM item WHERE id = 2')).toEqual([{ label: 'committed' }]);
    });

    it('discards what a rolled-back transaction wrote', async () => {
      const failing = sut.transaction(async (em) => {
        await em.query(`INSERT INTO item (id, label) VALUES (3, 'rolled-back')`);
        throw new Error('abort');
      });
      await expect(failing).rejects.toThrow('abort');
      expect(await sut.query('SELECT label FROM item WHERE id = 3')).toEqual([]);
    });

    it('commits two concurrent transactions on two pool connections (SELECT ... FOR UPDATE counter)', async () => {
      await sut.query('INSERT INTO counter (id, value) VALUES (1, 0)');
      const connections = new Set<unknown>();
      const increment = () =>
        sut.transaction(async (em) => {
          connections.add(em.queryRunner);
          const [{ value }] = await em.query('SELECT value FROM counter WHERE id = 1 FOR UPDATE');
          await em.query('SELECT pg_sleep(0.05)');
          await em.query('UPDATE counter SET value = $1 WHERE id = 1', [value + 1]);
        });
      await Promise.all([increment(), increment()]);
      expect(connections.size).toBe(2);
      expect(await sut.query('SELECT value FROM counter WHERE id = 1')).toEqual([{ value: 2 }]);
    });

    it('commits twenty concurrent counter transactions without a lost update', async () => {
      await sut.query('INSERT INTO counter (id, value) VALUES (2, 0)');
      const increment = () =>
        sut.transaction(async (em) => {
          const [{ value }] = await em.query('SELECT value FROM counter WHERE id = 2 FOR UPDATE');
          await em.query('UPDATE counter SET value = $1 WHERE id = 2', [value + 1]);
        });
      await Promise.all(Array.from({ length: 20 }, increment));
      expect(await sut.query('SELECT value FROM counter WHERE id = 2')).toEqual([{ value: 20 }]);
    });

    it('lets FOR UPDATE SKIP LOCKED claim disjoint rows', async () => {
      for (let i = 0; i < 10; i++) await insertItem('claimable');
      const claim = (worker: string) =>
        sut.transaction(async (em) => {
          const rows: { id: number }[] = await em.query(
            `SELECT id FROM item WHERE label = 'claimable' AND claimed_by IS NULL
             ORDER BY id LIMIT 5 FOR UPDATE SKIP LOCKED`,
          );
          await em.query('SELECT pg_sleep(0.05)');
          await em.query('UPDATE item SET claimed_by = $1 WHERE id = ANY($2::int[])', [
            worker,
            rows.map((r) => r.id),
          ]);
          return rows.map((r) => r.id);
        });
      const [a, b] = await Promise.all([claim('a'), claim('b')]);
      expect(a).toHaveLength(5);
      expect(b).toHaveLength(5);
      expect(new Set([...a, ...b]).size).toBe(10);
    });

    it('serialises critical sections with pg_advisory_xact_lock', async () => {
      const takeTicket = () =>
        sut.transaction(async (em) => {
          await em.query('SELECT pg_advisory_xact_lock(4242)');
          const [{ last }] = await em.query('SELECT coalesce(max(seq), 0) AS last FROM ticket');
          await em.query('SELECT pg_sleep(0.01)');
          await em.query('INSERT INTO ticket (seq) VALUES ($1)', [last + 1]);
        });
      await Promise.all(Array.from({ length: 8 }, takeTicket));
      const rows: { seq: number }[] = await sut.query('SELECT seq FROM ticket ORDER BY seq');
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('round-trips jsonb', async () => {
      const body = {
        name: 'Łukasz Müller',
        n: 1.5,
        big: 2 ** 40,
        list: [1, 'two', null, { deep: true }],
        none: null,
      };
      await sut.query('INSERT INTO item (id, label, body) VALUES ($1, $2, $3)', [
        4,
        'json',
        JSON.stringify(body),
      ]);
      const [row] = await sut.query('SELECT body FROM item WHERE id = 4');
      expect(row.body).toEqual(body);
    });
  });
});
