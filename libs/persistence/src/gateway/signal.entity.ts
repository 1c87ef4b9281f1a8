import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signal the gateway accepted. Holds ids, the keyed body digest for idempotency and the receipt
 * (field names and actions) — never a submitted value.
 */
@Entity({ name: 'signal' })
@Index('signal_partner_signal_id', ['partnerId', 'signalId'], { unique: true })
export class SignalEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @Column({ name: 'partner_id', type: 'text' })
  partnerId: string;

  @Column({ name: 'signal_id', type: 'uuid' })
  signalId: string;

  @Column({ name: 'body_digest', type: 'text' })
  bodyDigest: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ name: 'policy_version', type: 'text' })
  policyVersion: string;

  @Column({ name: 'key_version', type: 'int' })
  keyVersion: number;

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'correlation_id', type: 'uuid' })
  correlationId: string;

  @Column({ type: 'uuid', nullable: true })
  supersedes: string | null;

  @Column({ type: 'jsonb' })
  receipt: object;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
