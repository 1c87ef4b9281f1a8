import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RegisterRecord } from '@ketenpoort/signal-contract';
import { describeEachDatabase, httpsRequest } from '@ketenpoort/testing';
import { startRegister, type RunningRegister } from '../../apps/register/src/main.js';
import { aRecord, aToken } from './register-record.builder.js';
import {
  analystToken,
  createRegisterFixture,
  deliver,
  getStatistics,
  signRecord,
  type RegisterFixture,
} from './register-fixture.js';

/**
 * Persons of one year's dataset (labels made unique per year so datasets do not link across years):
 * A police + KMar sexual-only (kept), B two KMar sexual-only linked by a document (left out by the
 * Rapporteur), C KMar sexual+labour (kept), D/E one document with conflicting sex (two persons: police,
 * KMar sexual-only), F reported at 23:30 UTC on 31 December of the year before (counts in this year),
 * G reported at 23:30 UTC on 31 December of this year (next year), H shares only a case token with A,
 * I KMar sexual-only this year and police next year (left out this year), J a chain whose middle record
 * arrives last in some orders (two records, then a bridge).
 */
function dataset(year: number): RegisterRecord[] {
  const t = (kind: 'nds' | 'doc' | 'case', label: string) => aToken(kind, `${year}-${label}`);
  const on = `${year}-05-01`;
  return [
    aRecord().by('police').reportedAt(on).withTokens(t('nds', 'a'), t('case', 'a')).build(),
    aRecord().by('kmar').reportedAt(on).withForms('sexual').withTokens(t('nds', 'a')).build(),
    aRecord().by('kmar').reportedAt(on).withForms('sexual').withTokens(t('doc', 'b')).build(),
    aRecord()
      .by('kmar')
      .reportedAt(on)
      .withForms('sexual')
      .withSubject({ birthYear: 2000, sex: 'female', birthDateEstimated: true })
      .withTokens(t('doc', 'b'))
      .build(),
    aRecord().by('kmar').reportedAt(on).withForms('sexual', 'labour').withTokens(t('nds', 'c')).build(),
    aRecord().by('police').reportedAt(on).withSubject({ sex: 'male' }).withTokens(t('doc', 'de')).build(),
    aRecord()
      .by('kmar')
      .reportedAt(on)
      .withForms('sexual')
      .withSubject({ sex: 'female' })
      .withTokens(t('doc', 'de'))
      .build(),
    aRecord()
      .by('police')
      .reportedAt(`${year - 1}-12-31T23:30:00Z`)
      .withTokens(t('nds', 'f'))
      .build(),
    aRecord().by('police').reportedAt(`${year}-12-31T23:30:00Z`).withTokens(t('nds', 'g')).build(),
    aRecord().by('police').reportedAt(on).withTokens(t('case', 'a')).build(),
    aRecord().by('kmar').reportedAt(on).withForms('sexual').withTokens(t('nds', 'i')).build(),
    aRecord()
      .by('police')
      .reportedAt(`${year + 1}-02-01`)
      .withTokens(t('nds', 'i'))
      .build(),
    aRecord().by('kmar').reportedAt(on).withForms('sexual').withTokens(t('nds', 'j1')).build(),
    aRecord().by('kmar').reportedAt(on).withForms('sexual').withTokens(t('doc', 'j2')).build(),
    aRecord()
      .by('police')
      .reportedAt(`${year + 1}-03-01`)
      .withTokens(t('nds', 'j1'), t('doc', 'j2'))
      .build(),
  ];
}
// This year: A B C D E F H I J = 9 (register); the Rapporteur leaves out B, E, I and J = 5.
const EXPECTED = { register: 9, rapporteur: 5 };

/** A seeded shuffle, so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('register statistics', () => {
  let fixture: RegisterFixture;

  beforeAll(async () => {
    fixture = await createRegisterFixture();
  });

  describeEachDatabase('GET /v1/statistics', (db) => {
    let sut: RunningRegister;
    let token: string;
    const orders: [number, RegisterRecord[]][] = [
      [2011, dataset(2011)],
      [2013, shuffled(dataset(2013), 7)],
      [2015, shuffled(dataset(2015), 42)],
      [2017, [...dataset(2017)].reverse()],
    ];

    beforeAll(async () => {
      sut = await startRegister(fixture.config(db.url()));
      token = await analystToken(fixture.analystKey, ['analyst']);
      for (const [, records] of orders) {
        for (const record of records) {
          const answer = await deliver(
            sut.intakeUrl,
            fixture.pki,
            await signRecord(record, fixture.gatewayKey),
          );
          if (answer.status !== 201) throw new Error(`delivery failed: ${answer.status} ${answer.text}`);
        }
      }
    });

    afterAll(async () => {
      await sut?.close();
    });

    it('counts unique persons of the year under the register rule', async () => {
      const answer = await getStatistics(sut.apiUrl, fixture.pki, 'year=2011&rule=register', token);
      expect([answer.status, answer.json()]).toEqual([
        200,
        { year: 2011, rule: 'register', persons: EXPECTED.register },
      ]);
    });

    it('leaves out persons reported only by KMar for sexual exploitation under the rapporteur rule', async () => {
      const answer = await getStatistics(sut.apiUrl, fixture.pki, 'year=2011&rule=rapporteur', token);
      expect(answer.json()).toEqual({ year: 2011, rule: 'rapporteur', persons: EXPECTED.rapporteur });
    });

    it('gives the same counts whatever order the records arrived in', async () => {
      const counts = [];
      for (const [year] of orders) {
        for (const rule of ['register', 'rapporteur']) {
          const answer = await getStatistics(sut.apiUrl, fixture.pki, `year=${year}&rule=${rule}`, token);
          counts.push(answer.json<{ persons: number }>().persons);
        }
      }
      expect(counts).toEqual(orders.flatMap(() => [EXPECTED.register, EXPECTED.rapporteur]));
    });

    it('counts zero for a year without reports', async () => {
      const answer = await getStatistics(sut.apiUrl, fixture.pki, 'year=1990&rule=register', token);
      expect(answer.json()).toEqual({ year: 1990, rule: 'register', persons: 0 });
    });

    it('refuses a request without a bearer token with 401', async () => {
      const answer = await getStatistics(sut.apiUrl, fixture.pki, 'year=2011&rule=register');
      expect([answer.status, answer.json<{ code: string }>().code]).toEqual([401, 'AUTH.TOKEN_MISSING']);
    });

    it('refuses an expired token with 401', async () => {
      const expired = await analystToken(fixture.analystKey, ['analyst'], '-1m');
      const answer = await getStatistics(sut.apiUrl, fixture.pki, 'year=2011&rule=register', expired);
      expect([answer.status, answer.json<{ code: string }>().code]).toEqual([401, 'AUTH.TOKEN_INVALID']);
    });

    it('refuses a token signed by the gateway key with 401', async () => {
      const forged = await analystToken(fixture.gatewayKey, ['analyst']);
      const answer = await getStatistics(sut.apiUrl, fixture.pki, 'year=2011&rule=register', forged);
      expect(answer.status).toBe(401);
    });

    it('refuses a token without the analyst role with 403', async () => {
      const admin = await analystToken(fixture.analystKey, ['admin']);
      const answer = await getStatistics(sut.apiUrl, fixture.pki, 'year=2011&rule=register', admin);
      expect([answer.status, answer.json<{ code: string }>().code]).toEqual([403, 'AUTH.ROLE_MISSING']);
    });

    it.each(['year=20x0&rule=register', 'year=1800&rule=register', 'year=2020&rule=cbs', 'rule=register'])(
      'refuses the query %s with 400',
      async (query) => {
        const answer = await getStatistics(sut.apiUrl, fixture.pki, query, token);
        expect([answer.status, answer.json<{ code: string }>().code]).toEqual([400, 'REQUEST.INVALID']);
      },
    );

    it('does not serve statistics on the intake listener', async () => {
      const answer = await httpsRequest(`${sut.intakeUrl}/v1/statistics?year=2011&rule=register`, {
        ca: fixture.pki.ca.certPem,
        cert: fixture.pki.gatewayClient.certPem,
        key: fixture.pki.gatewayClient.keyPem,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(404);
    });
  });
});
