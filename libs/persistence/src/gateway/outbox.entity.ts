import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OutboxState = 'pending' | 'delivered' | 'dead';

/** A record waiting for, or done with, delivery to the register. The payload is what the policy released. */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @Column({ type: 'text' })
  destination: string;

  @Column({ type: 'jsonb', nullable: true })
  payload: object | null;

  @Column({ name: 'payload_digest', type: 'text' })
  payloadDigest: string;

  @Column({ type: 'text' })
  state: OutboxState;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'forwarded_at', type: 'timestamptz', nullable: true })
  forwardedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
