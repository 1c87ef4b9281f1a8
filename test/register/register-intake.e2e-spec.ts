import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import canonicalize from 'canonicalize';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { JWS_TYPES } from '@ketenpoort/signal-contract';
import { describeEachDatabase, httpsRequest } from '@ketenpoort/testing';
import { startRegister, type RunningRegister } from '../../apps/register/src/main.js';
import { aRecord, aToken } from './register-record.builder.js';
import {
  anEd25519Key,
  createRegisterFixture,
  deliver,
  REGISTER_ID,
  signRecord,
  type RegisterFixture,
} from './register-fixture.js';

const digestOf = (value: unknown) =>
  `sha256:${createHash('sha256').update(canonicalize(value)!).digest('hex')}`;

describe('register intake', () => {
  let fixture: RegisterFixture;

  beforeAll(async () => {
    fixture = await createRegisterFixture();
  });

  describeEachDatabase('POST /v1/records', (db) => {
    let sut: RunningRegister;
    let registerJwks: JSONWebKeySet;

    beforeAll(async () => {
      sut = await startRegister(fixture.config(db.url()));
      const answer = await httpsRequest(`${sut.apiUrl}/.well-known/jwks.json`, {
        ca: fixture.pki.ca.certPem,
      });
      registerJwks = answer.json<JSONWebKeySet>();
    });

    afterAll(async () => {
      await sut?.close();
    });

    const verifyReceipt = (receipt: string) =>
      jwtVerify(receipt, createLocalJWKSet(registerJwks), {
        algorithms: ['EdDSA'],
        typ: JWS_TYPES.registerReceipt,
        issuer: REGISTER_ID,
        audience: 'ketenpoort-gateway',
      });

    it('stores a new record with 201 and a receipt signed by the published key', async () => {
      const record = aRecord().withTokens(aToken('nds', 'intake-1')).build();
      const answer = await deliver(sut.intakeUrl, fixture.pki, await signRecord(record, fixture.gatewayKey));
      expect(answer.status).toBe(201);
      const { payload } = await verifyReceipt(answer.json<{ receipt: string }>().receipt);
      expect(payload).toMatchObject({ recordId: record.recordId, payloadDigest: digestOf(record) });
    });

    it('publishes only the public half of the receipt key', () => {
      expect(registerJwks.keys).toEqual([expect.not.objectContaining({ d: expect.anything() })]);
    });

    it('answers a repeated delivery with 200 and the original receipt', async () => {
      const record = aRecord().withTokens(aToken('nds', 'intake-2')).build();
      const first = await deliver(sut.intakeUrl, fixture.pki, await signRecord(record, fixture.gatewayKey));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const again = await deliver(sut.intakeUrl, fixture.pki, await signRecord(record, fixture.gatewayKey));
      expect([again.status, again.json()]).toEqual([200, first.json()]);
    });

    it('stores a record delivered several times at once exactly once', async () => {
      const record = aRecord().withTokens(aToken('nds', 'intake-concurrent')).build();
      const jws = await signRecord(record, fixture.gatewayKey);
      const answers = await Promise.all([1, 2, 3, 4].map(() => deliver(sut.intakeUrl, fixture.pki, jws)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    });

    it('refuses other content under a stored record id with 409', async () => {
      const record = aRecord().build();
      await deliver(sut.intakeUrl, fixture.pki, await signRecord(record, fixture.gatewayKey));
      const altered = { ...record, reportedAt: '2020-03-15' };
      const answer = await deliver(sut.intakeUrl, fixture.pki, await signRecord(altered, fixture.gatewayKey));
      expect([answer.status, answer.json<{ code: string }>().code]).toEqual([409, 'RECORD.CONFLICT']);
    });

    it('refuses a record signed for another register with 401', async () => {
      const jws = await signRecord(aRecord().build(), fixture.gatewayKey, { audience: 'other-register' });
      const answer = await deliver(sut.intakeUrl, fixture.pki, jws);
      expect([answer.status, answer.json<{ code: string }>().code]).toEqual([
        401,
        'RECORD.SIGNATURE_INVALID',
      ]);
    });

    it('refuses a record signed with a key the gateway JWKS does not hold with 401', async () => {
      const stranger = await anEd25519Key();
      const answer = await deliver(sut.intakeUrl, fixture.pki, await signRecord(aRecord().build(), stranger));
      expect(answer.status).toBe(401);
    });

    it('refuses a JWS of another type with 401', async () => {
      const jws = await signRecord(aRecord().build(), fixture.gatewayKey, { typ: JWS_TYPES.registerReceipt });
      const answer = await deliver(sut.intakeUrl, fixture.pki, jws);
      expect(answer.status).toBe(401);
    });

    it('refuses a jti other than the record id with 400', async () => {
      const jws = await signRecord(aRecord().build(), fixture.gatewayKey, { jti: 'another-id' });
      const answer = await deliver(sut.intakeUrl, fixture.pki, jws);
      expect([answer.status, answer.json<{ code: string }>().code]).toEqual([400, 'RECORD.INVALID']);
    });

    it('refuses a record holding a direct identifier with 400 naming the field, not its value', async () => {
      const record = aRecord().withSubject({ birthYear: 1999, familyName: 'Kowalska' }).build();
      const answer = await deliver(sut.intakeUrl, fixture.pki, await signRecord(record, fixture.gatewayKey));
      expect(answer.status).toBe(400);
      expect(answer.json<{ fields: { path: string }[] }>().fields.map((f) => f.path)).toEqual([
        'record.data.subject.familyName',
      ]);
      expect(answer.text).not.toContain('Kowalska');
    });

    it('refuses a token whose kind differs from the kind inside it with 400', async () => {
      const token = aToken('doc', 'x');
      const record = aRecord().withTokens({ kind: 'nds', value: token.value }).build();
      const answer = await deliver(sut.intakeUrl, fixture.pki, await signRecord(record, fixture.gatewayKey));
      expect(answer.status).toBe(400);
    });

    it('refuses a body that is not a JWS with 401', async () => {
      const answer = await deliver(sut.intakeUrl, fixture.pki, 'not-a-jws');
      expect(answer.status).toBe(401);
    });

    it('refuses another content type with 415', async () => {
      const jws = await signRecord(aRecord().build(), fixture.gatewayKey);
      const answer = await deliver(
        sut.intakeUrl,
        fixture.pki,
        jws,
        fixture.pki.gatewayClient,
        'application/json',
      );
      expect(answer.status).toBe(415);
    });

    it('refuses an oversized body with 413 without echoing it', async () => {
      const answer = await deliver(sut.intakeUrl, fixture.pki, `canary-${'x'.repeat(300_000)}`);
      expect(answer.status).toBe(413);
      expect(answer.text).not.toContain('canary');
    });

    it('refuses a client certificate of the trusted CA that is not the gateway with 403', async () => {
      const jws = await signRecord(aRecord().build(), fixture.gatewayKey);
      const answer = await deliver(sut.intakeUrl, fixture.pki, jws, fixture.pki.partners.kmar);
      expect([answer.status, answer.json<{ code: string }>().code]).toEqual([
        403,
        'INTAKE.CLIENT_NOT_ALLOWED',
      ]);
    });

    it('refuses in the handshake a client certificate of another CA', async () => {
      const impostor = fixture.pki.issue({ kind: 'client', commonName: 'gateway' }, 'otherCa');
      const jws = await signRecord(aRecord().build(), fixture.gatewayKey);
      await expect(deliver(sut.intakeUrl, fixture.pki, jws, impostor)).rejects.toThrow();
    });

    it('refuses in the handshake a client without a certificate', async () => {
      const jws = await signRecord(aRecord().build(), fixture.gatewayKey);
      await expect(deliver(sut.intakeUrl, fixture.pki, jws, null)).rejects.toThrow();
    });

    it('does not serve the intake on the API listener', async () => {
      const jws = await signRecord(aRecord().build(), fixture.gatewayKey);
      const answer = await deliver(sut.apiUrl, fixture.pki, jws);
      expect(answer.status).toBe(404);
    });

    it('does not serve the JWKS on the intake listener', async () => {
      const answer = await httpsRequest(`${sut.intakeUrl}/.well-known/jwks.json`, {
        ca: fixture.pki.ca.certPem,
        cert: fixture.pki.gatewayClient.certPem,
        key: fixture.pki.gatewayClient.keyPem,
      });
      expect(answer.status).toBe(404);
    });
  });
});
