import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  EMBEDDED_POOL_SIZE,
  REGISTER_ENTITIES,
  REGISTER_MIGRATIONS,
  runMigrations,
} from '@ketenpoort/persistence';
import { describeEachDatabase } from '@ketenpoort/testing';
import { PersonLinker, type LinkageSubject } from '../linkage/index.js';
import { readPersonLinks, TypeOrmLinkageStore } from './typeorm-linkage.store.js';

const token = (kind: string, label: string) => ({
  kind,
  value: `v1.register.${kind}.${Buffer.from(label.padEnd(16, 'x'))
    .toString('hex')
    .replace(/[0189]/g, 'a')}`,
});

describe(TypeOrmLinkageStore.name, () => {
  describeEachDatabase('register linkage', (db) => {
    let ds: DataSource;
    const linker = new PersonLinker();

    const store = async (subject: Omit<LinkageSubject, 'recordId'>): Promise<string> => {
      const recordId = randomUUID();
      await ds.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO register_record (record_id, payload_digest, record, reporter_type, report_year,
             sexual_exploitation_only, birth_year, sex, birth_date_estimated, received_at, receipt)
           VALUES ($1, 'sha256:x', '{}'::jsonb, 'police', 2020, false, $2, $3, $4, now(), 'r')`,
          [recordId, subject.birthYear, subject.sex, subject.birthDateEstimated],
        );
        for (const t of subject.tokens) {
          await manager.query(
            `INSERT INTO register_record_token (record_id, kind, value) VALUES ($1, $2, $3)`,
            [recordId, t.kind, t.value],
          );
        }
        await linker.link({ recordId, ...subject }, new TypeOrmLinkageStore(manager));
      });
      return recordId;
    };
    const personOf = async (recordId: string): Promise<string> =>
      (await ds.query(`SELECT person_id FROM register_person_record WHERE record_id = $1`, [recordId]))[0]
        .person_id;
    const base = { birthYear: 1990, sex: 'female', birthDateEstimated: false };

    beforeAll(async () => {
      ds = createDataSource({
        url: db.url(),
        entities: REGISTER_ENTITIES,
        migrations: REGISTER_MIGRATIONS,
        poolSize: EMBEDDED_POOL_SIZE,
      });
      await runMigrations(ds);
    });
    afterAll(async () => {
      await ds.destroy();
    });

    it('puts two records sharing a main-names token in one person and logs why', async () => {
      const a = await store({ ...base, tokens: [token('ndob', 'a1')] });
      const b = await store({ ...base, tokens: [token('ndob', 'a1')] });
      const links = await readPersonLinks(ds.manager, await personOf(a));
      expect([await personOf(b), links.map((l) => [l.event, l.reason])]).toEqual([
        await personOf(a),
        [['joined', ['ndob']]],
      ]);
    });

    it('merges two persons through a record that links both, leaving no empty person', async () => {
      const a = await store({ ...base, tokens: [token('ndob', 'b1')] });
      const b = await store({ ...base, tokens: [token('doc', 'b2')] });
      const c = await store({ ...base, tokens: [token('ndob', 'b1'), token('doc', 'b2')] });
      const persons = await ds.query(
        `SELECT count(DISTINCT person_id)::int AS n FROM register_person_record WHERE record_id = ANY($1::uuid[])`,
        [[a, b, c]],
      );
      const orphans = await ds.query(
        `SELECT count(*)::int AS n FROM register_person p
          WHERE NOT EXISTS (SELECT 1 FROM register_person_record r WHERE r.person_id = p.person_id)`,
      );
      expect([persons[0].n, orphans[0].n]).toEqual([1, 0]);
    });

    it('splits a year-only record off when a look-alike makes its only link ambiguous, and logs the split', async () => {
      const dated = await store({ ...base, tokens: [token('ndob', 'c1'), token('nyr', 'c9')] });
      const yearOnly = await store({ ...base, tokens: [token('nyr', 'c9')] });
      const joinedFirst = (await personOf(yearOnly)) === (await personOf(dated));
      await store({ ...base, tokens: [token('ndob', 'c2'), token('nyr', 'c9')] });
      const links = await readPersonLinks(ds.manager, await personOf(dated));
      expect([
        joinedFirst,
        (await personOf(yearOnly)) === (await personOf(dated)),
        links.at(-1)?.event,
      ]).toEqual([true, false, 'split']);
    });

    it('keeps token values out of the link log', async () => {
      const rows: { reason: string }[] = await ds.query(`SELECT reason FROM register_link`);
      expect(rows.every((r) => /^[a-z+-]+$/.test(r.reason) && !r.reason.includes('v1.'))).toBe(true);
    });
  });
});
