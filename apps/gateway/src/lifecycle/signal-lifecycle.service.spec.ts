import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  EMBEDDED_POOL_SIZE,
  GATEWAY_ENTITIES,
  GATEWAY_MIGRATIONS,
  runMigrations,
} from '@ketenpoort/persistence';
import { describeEachDatabase } from '@ketenpoort/testing';
import { AuditLog } from '../audit/infrastructure/audit-log.repository.js';
import type { GatewayConfig } from '../gateway.config.js';
import type { ActiveConfiguration } from '../governance/active-configuration.js';
import { SignalLifecycleRepository } from './infrastructure/signal-lifecycle.repository.js';
import { SignalLifecycle } from './signal-lifecycle.service.js';

const PARTNER = 'politie-oost-brabant';
const silent: LoggerService = { log() {}, warn() {}, error() {} };
// Only the outbox timeout is read on these paths; the active policy only when consent is withdrawn.
const config = { outbox: { requestTimeoutMs: 1000 } } as GatewayConfig;

function lifecycle(repository: SignalLifecycleRepository): SignalLifecycle {
  return new SignalLifecycle(config, silent, repository, {} as ActiveConfiguration);
}

describe(SignalLifecycle.name, () => {
  describe('resolveSupersedes', () => {
    const sut = lifecycle({} as SignalLifecycleRepository);
    const signalId = randomUUID();
    const target = randomUUID();

    it('resolves nothing for a signal that corrects nothing', () => {
      expect(sut.resolveSupersedes({ signalId }, null)).toEqual({ kind: 'none' });
    });

    it('resolves the record of a live signal of the partner', () => {
      const found = { recordId: randomUUID(), status: 'delivered' };
      expect(sut.resolveSupersedes({ signalId, supersedes: target }, found)).toEqual({
        kind: 'supersedes',
        recordId: found.recordId,
      });
    });

    it('refuses a target the partner never sent as SIGNAL.SUPERSEDES_UNKNOWN, naming the field', () => {
      expect(sut.resolveSupersedes({ signalId, supersedes: target }, null)).toMatchObject({
        kind: 'refuse',
        code: 'SIGNAL.SUPERSEDES_UNKNOWN',
        details: [{ path: 'supersedes', reasons: ['unknown signal'] }],
      });
    });

    it.each(['retracted', 'superseded', 'withdrawn'])(
      'refuses a %s target as SIGNAL.SUPERSEDES_ENDED',
      (status) => {
        const found = { recordId: randomUUID(), status };
        expect(sut.resolveSupersedes({ signalId, supersedes: target }, found)).toMatchObject({
          kind: 'refuse',
          code: 'SIGNAL.SUPERSEDES_ENDED',
        });
      },
    );

    it('refuses a signal that names itself, in any letter case', () => {
      const found = { recordId: randomUUID(), status: 'accepted' };
      const self = { signalId, supersedes: signalId.toUpperCase() };
      expect(sut.resolveSupersedes(self, found)).toMatchObject({ code: 'SIGNAL.SUPERSEDES_ENDED' });
    });
  });

  describeEachDatabase('the correction hook and sweep', (db) => {
    let ds: DataSource;
    let repository: SignalLifecycleRepository;
    let sut: SignalLifecycle;

    const insertSignal = async (what: { status?: string; supersedes?: string } = {}) => {
      const row = { recordId: randomUUID(), signalId: randomUUID() };
      await ds.query(
        `INSERT INTO signal (record_id, partner_id, signal_id, body_digest, purpose, policy_version,
           key_version, status, correlation_id, supersedes, receipt, received_at, delivered_at)
         VALUES ($1, $2, $3, 'hmac:x', 'registration', 'v1', 1, $4, $5, $6, '{}'::jsonb, now(), NULL)`,
        [
          row.recordId,
          PARTNER,
          row.signalId,
          what.status ?? 'accepted',
          randomUUID(),
          what.supersedes ?? null,
        ],
      );
      return row;
    };
    const statusOf = async (signalId: string) => (await repository.find(PARTNER, signalId))?.status;
    const unsettled = async () => (await repository.unsettledCorrections(50)).map((c) => c.signalId);

    beforeAll(async () => {
      ds = createDataSource({
        url: db.url(),
        entities: GATEWAY_ENTITIES,
        migrations: GATEWAY_MIGRATIONS,
        poolSize: EMBEDDED_POOL_SIZE,
      });
      await runMigrations(ds);
      repository = new SignalLifecycleRepository(ds, new AuditLog(ds));
      sut = lifecycle(repository);
    });
    afterAll(async () => {
      await ds?.destroy();
    });

    it('ends the superseded signal right after the correction is accepted, and settles the correction', async () => {
      const original = await insertSignal();
      const correction = await insertSignal({ supersedes: original.signalId });

      await sut.onAccepted({
        partnerId: PARTNER,
        signalId: correction.signalId,
        supersedes: original.signalId,
        record: { recordId: correction.recordId } as Parameters<SignalLifecycle['onAccepted']>[0]['record'],
      });

      expect(await statusOf(original.signalId)).toBe('superseded');
      expect(await unsettled()).not.toContain(correction.signalId);
      const [audited] = await ds.query(
        `SELECT entry FROM audit_entry WHERE event = 'signal.superseded' AND signal_id = $1`,
        [original.signalId],
      );
      expect(JSON.parse(audited.entry)).toMatchObject({ lifecycle: { supersededBy: correction.signalId } });
    });

    it('settles a correction the hook missed on the next sweep', async () => {
      const original = await insertSignal({ status: 'delivered' });
      const correction = await insertSignal({ supersedes: original.signalId });
      expect(await unsettled()).toEqual([correction.signalId]);

      await sut.settleCorrections();

      expect(await statusOf(original.signalId)).toBe('superseded');
      expect(await unsettled()).toEqual([]);
    });

    it('only settles a correction that was itself ended first, leaving its target alone', async () => {
      const original = await insertSignal();
      const correction = await insertSignal({ supersedes: original.signalId, status: 'retracted' });

      await sut.settleCorrections();

      expect(await statusOf(original.signalId)).toBe('accepted');
      expect(await unsettled()).not.toContain(correction.signalId);
    });
  });
});
