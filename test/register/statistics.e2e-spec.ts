import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RegisterRecord } from '@ketenpoort/signal-contract';
import { describeEachDatabase, httpsRequest, type HttpsAnswer } from '@ketenpoort/testing';
import { startRegister, type RunningRegister } from '../../apps/register/src/main.js';
import { aRecord, aToken } from './register-record.builder.js';
import {
  analystToken,
  createRegisterFixture,
  deliver,
  signRecord,
  type RegisterFixture,
} from './register-fixture.js';

const YEAR = 2020;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Group {
  nationality: string;
  persons: number;
  by: 'police' | 'kmar';
  sex: string;
  forms: string[];
  ageBand: string;
}

/**
 * 26 persons of 2020, one report each: 12 Polish (18-22), 6 Nigerian (23+, male), 3 Bulgarian minors and 5
 * Dutch reported only by KMar for sexual exploitation (left out by the Rapporteur: 21 persons).
 */
const GROUPS: Group[] = [
  { nationality: 'PL', persons: 12, by: 'police', sex: 'female', forms: ['labour'], ageBand: '18-22' },
  { nationality: 'NG', persons: 6, by: 'police', sex: 'male', forms: ['sexual'], ageBand: '23+' },
  { nationality: 'BG', persons: 3, by: 'police', sex: 'female', forms: ['labour'], ageBand: 'minor' },
  { nationality: 'NL', persons: 5, by: 'kmar', sex: 'female', forms: ['sexual'], ageBand: '23+' },
];

function reportOf(group: Group, i: number, tokens = [aToken('nds', `${YEAR}-${group.nationality}-${i}`)]) {
  return aRecord()
    .by(group.by)
    .reportedAt(`${YEAR}-04-0${1 + (i % 9)}`)
    .withData({
      subject: {
        birthYear: 1999,
        sex: group.sex,
        nationalities: [group.nationality],
        ageBandAtReport: group.ageBand,
      },
      exploitation: { forms: group.forms, policeUnit: 'oost-brabant' },
    })
    .withTokens(...tokens)
    .build();
}

const dataset = (): RegisterRecord[] =>
  GROUPS.flatMap((group) => Array.from({ length: group.persons }, (_, i) => reportOf(group, i)));

interface Cell {
  category: string;
  persons: number | null;
}
const cellsOf = (answer: HttpsAnswer) =>
  Object.fromEntries(answer.json<{ cells: Cell[] }>().cells.map((c) => [c.category, c.persons]));

describe('register statistics: breakdowns, suppression, snapshots, steward', () => {
  let fixture: RegisterFixture;

  beforeAll(async () => {
    fixture = await createRegisterFixture();
  });

  describeEachDatabase('the analyst and steward API', (db) => {
    let sut: RunningRegister;
    let analyst: string;
    let steward: string;
    let records: RegisterRecord[];
    const api = (
      path: string,
      token?: string,
      init: { method?: string; headers?: Record<string, string> } = {},
    ) =>
      httpsRequest(`${sut.apiUrl}${path}`, {
        method: init.method,
        ca: fixture.pki.ca.certPem,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
      });
    const send = async (record: RegisterRecord) => {
      const answer = await deliver(sut.intakeUrl, fixture.pki, await signRecord(record, fixture.gatewayKey));
      if (answer.status !== 201) throw new Error(`delivery failed: ${answer.status} ${answer.text}`);
    };

    beforeAll(async () => {
      sut = await startRegister(fixture.config(db.url()));
      analyst = await analystToken(fixture.analystKey, ['analyst']);
      steward = await analystToken(fixture.analystKey, ['register-steward']);
      records = dataset();
      for (const record of records) await send(record);
    });

    afterAll(async () => {
      await sut?.close();
    });

    it('keeps the answer without a breakdown as it was', async () => {
      const answer = await api(`/v1/statistics?year=${YEAR}&rule=rapporteur`, analyst);
      expect(answer.json()).toEqual({ year: YEAR, rule: 'rapporteur', persons: 21 });
    });

    it('breaks down by sex under the register rule', async () => {
      const answer = await api(`/v1/statistics?year=${YEAR}&rule=register&breakdown=sex`, analyst);
      expect([answer.json<{ persons: number }>().persons, cellsOf(answer)]).toEqual([
        26,
        { female: 20, male: 6, other: 0, unknown: 0 },
      ]);
    });

    it('breaks down by reporter type under the rapporteur rule', async () => {
      const answer = await api(
        `/v1/statistics?year=${YEAR}&rule=rapporteur&breakdown=reporter-type`,
        analyst,
      );
      expect(cellsOf(answer)).toMatchObject({ police: 21, kmar: 0, shelter: 0 });
    });

    it('suppresses the small minors cell and the next smallest age group with it', async () => {
      const answer = await api(`/v1/statistics?year=${YEAR}&rule=register&breakdown=age-group`, analyst);
      expect(cellsOf(answer)).toEqual({
        minor: null,
        'minor-uncertain': 0,
        '18-22': 12,
        '23+': null,
        'adult-uncertain': 0,
        unknown: 0,
      });
    });

    it('folds small nationalities into other and hides a complementary cell with it', async () => {
      const answer = await api(`/v1/statistics?year=${YEAR}&rule=register&breakdown=nationality`, analyst);
      expect(answer.json()).toMatchObject({ minCellSize: 5, cellsOverlap: true, withheld: false });
      expect(cellsOf(answer)).toEqual({ NG: null, NL: 5, PL: 12, other: null, unknown: 0 });
    });

    it('says that cells of a multi-valued breakdown add up to more than the total', async () => {
      const answer = await api(
        `/v1/statistics?year=${YEAR}&rule=register&breakdown=exploitation-form`,
        analyst,
      );
      expect(answer.json<{ note: string }>().note).toMatch(/add up to more than persons/);
    });

    it('answers in CSV when asked with format=csv', async () => {
      const answer = await api(
        `/v1/statistics?year=${YEAR}&rule=register&breakdown=nationality&format=csv`,
        analyst,
      );
      expect([answer.headers['content-type'], answer.text.split('\r\n').slice(0, 3)]).toEqual([
        'text/csv; charset=utf-8',
        [
          'year,rule,breakdown,category,persons,status,cells_overlap',
          '2020,register,total,all,26,published,false',
          '2020,register,nationality,NG,,suppressed,true',
        ],
      ]);
    });

    it('answers in CSV when the Accept header asks for it', async () => {
      const answer = await api(`/v1/statistics?year=${YEAR}&rule=register&breakdown=sex`, analyst, {
        headers: { accept: 'text/csv' },
      });
      expect(answer.text).toContain('2020,register,sex,female,20,published,false');
    });

    it('never names a person or a record in an analyst answer', async () => {
      const answers = await Promise.all(
        ['sex', 'nationality', 'police-unit', 'dossier-type'].map((b) =>
          api(`/v1/statistics?year=${YEAR}&rule=register&breakdown=${b}`, analyst),
        ),
      );
      expect(answers.filter((a) => UUID.test(a.text))).toEqual([]);
    });

    it('refuses an unknown breakdown with 400', async () => {
      const answer = await api(`/v1/statistics?year=${YEAR}&rule=register&breakdown=name`, analyst);
      expect([answer.status, answer.json<{ code: string }>().code]).toEqual([400, 'REQUEST.INVALID']);
    });

    describe('snapshots', () => {
      let frozen: HttpsAnswer;

      beforeAll(async () => {
        frozen = await api(`/v1/statistics/snapshots?year=${YEAR}`, analyst, { method: 'POST' });
      });

      it('freezes a year with 201 and both rules of every breakdown', async () => {
        const body = frozen.json<{ figures: { totals: object; breakdowns: Record<string, unknown> } }>();
        expect([frozen.status, body.figures.totals, Object.keys(body.figures.breakdowns).length]).toEqual([
          201,
          { register: 26, rapporteur: 21 },
          7,
        ]);
      });

      it('returns the published snapshot again with 200 when the year is frozen already', async () => {
        const again = await api(`/v1/statistics/snapshots?year=${YEAR}`, analyst, { method: 'POST' });
        expect([again.status, again.json<{ frozenAt: string }>().frozenAt]).toEqual([
          200,
          frozen.json<{ frozenAt: string }>().frozenAt,
        ]);
      });

      it('answers 404 for a year that was never frozen', async () => {
        const answer = await api('/v1/statistics/snapshots/1999', analyst);
        expect(answer.status).toBe(404);
      });

      describe('after a later record merges two persons', () => {
        let revised: HttpsAnswer;

        beforeAll(async () => {
          const pl = GROUPS[0];
          await send(reportOf(pl, 0, [aToken('nds', `${YEAR}-PL-0`), aToken('nds', `${YEAR}-PL-1`)]));
          revised = await api(`/v1/statistics/snapshots/${YEAR}`, analyst);
        });

        it('keeps the frozen figures', () => {
          expect(revised.json<{ figures: { totals: object } }>().figures.totals).toEqual({
            register: 26,
            rapporteur: 21,
          });
        });

        it('shows the totals moving by one person under both rules', () => {
          const totals = revised
            .json<{ revisions: { breakdown: string; rule: string; delta: number }[] }>()
            .revisions.filter((r) => r.breakdown === 'total');
          expect(totals).toEqual([
            { rule: 'register', breakdown: 'total', category: 'all', snapshot: 26, live: 25, delta: -1 },
            { rule: 'rapporteur', breakdown: 'total', category: 'all', snapshot: 21, live: 20, delta: -1 },
          ]);
        });

        it('hides the small movement of the Polish cell instead of publishing it', () => {
          const pl = revised
            .json<{ revisions: { breakdown: string; rule: string; category: string }[] }>()
            .revisions.find(
              (r) => r.breakdown === 'nationality' && r.rule === 'register' && r.category === 'PL',
            );
          expect(pl).toEqual({
            rule: 'register',
            breakdown: 'nationality',
            category: 'PL',
            snapshot: 12,
            live: null,
            delta: null,
          });
        });

        it('publishes no cell movement below the threshold', () => {
          const small = revised
            .json<{ revisions: { breakdown: string; delta: number | null }[] }>()
            .revisions.filter((r) => r.breakdown !== 'total' && r.delta !== null && Math.abs(r.delta) < 5);
          expect(small).toEqual([]);
        });

        it('protects the live figures of the frozen year the same way', async () => {
          const answer = await api(
            `/v1/statistics?year=${YEAR}&rule=register&breakdown=nationality`,
            analyst,
          );
          expect(cellsOf(answer).PL).toBeNull();
        });

        it('gives the revisions as CSV', async () => {
          const answer = await api(`/v1/statistics/snapshots/${YEAR}?format=csv`, analyst);
          expect(answer.text).toContain('revision,2020,register,total,all,26,published,,25,-1');
        });
      });
    });

    describe('the steward', () => {
      const query = async (sql: string, params: unknown[]) => {
        const client = new pg.Client({ connectionString: db.url() });
        await client.connect();
        try {
          return (await client.query(sql, params)).rows;
        } finally {
          await client.end();
        }
      };

      it("reads a record's links with their reasons", async () => {
        const answer = await api(`/v1/steward/records/${records[1].recordId}/links`, steward);
        const body = answer.json<{ links: { event: string; linkedRecordId: string; reason: string[] }[] }>();
        expect([answer.status, body.links.length > 0, body.links.every((l) => l.reason.length > 0)]).toEqual([
          200,
          true,
          true,
        ]);
      });

      it("reads a person's records as ids, reporter types, purposes, years and token kinds", async () => {
        const links = await api(`/v1/steward/records/${records[0].recordId}/links`, steward);
        const answer = await api(
          `/v1/steward/persons/${links.json<{ personId: string }>().personId}`,
          steward,
        );
        const body = answer.json<{ records: { recordId: string; tokenKinds: string[] }[] }>();
        expect([
          body.records.length,
          body.records[0].tokenKinds,
          answer.text.includes('v1.register.'),
        ]).toEqual([3, ['nds'], false]);
      });

      it('logs every read with who, what and when', async () => {
        const personId = '00000000-0000-4000-8000-000000000000';
        await api(`/v1/steward/persons/${personId}`, steward);
        const rows = await query(
          `SELECT subject, role, action, outcome, accessed_at FROM register_access_log WHERE target_id = $1`,
          [personId],
        );
        expect(
          rows.map((r) => [r.subject, r.role, r.action, r.outcome, r.accessed_at instanceof Date]),
        ).toEqual([['analyst-1', 'register-steward', 'read-person', 'not-found', true]]);
      });

      it('answers 404 for an unknown person', async () => {
        const answer = await api('/v1/steward/persons/00000000-0000-4000-8000-000000000001', steward);
        expect(answer.status).toBe(404);
      });

      it('refuses a person id that is not a UUID with 400', async () => {
        const answer = await api('/v1/steward/persons/not-an-id', steward);
        expect(answer.status).toBe(400);
      });
    });

    describe('roles', () => {
      const paths = [
        `/v1/statistics?year=${YEAR}&rule=register&breakdown=sex`,
        `/v1/statistics/snapshots/${YEAR}`,
        '/v1/steward/persons/00000000-0000-4000-8000-000000000000',
        '/v1/steward/records/00000000-0000-4000-8000-000000000000/links',
      ];

      it.each(paths)('refuses %s without a token with 401', async (path) => {
        expect((await api(path)).status).toBe(401);
      });

      it.each(paths.slice(2))('refuses the analyst on %s with 403', async (path) => {
        expect((await api(path, analyst)).status).toBe(403);
      });

      it.each(paths.slice(0, 2))('refuses the steward on %s with 403', async (path) => {
        expect((await api(path, steward)).status).toBe(403);
      });

      it('refuses the steward a snapshot with 403', async () => {
        const answer = await api(`/v1/statistics/snapshots?year=${YEAR}`, steward, { method: 'POST' });
        expect(answer.status).toBe(403);
      });
    });
  });
});
