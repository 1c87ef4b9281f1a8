import { Column, Entity, PrimaryColumn } from 'typeorm';

export type GovernedKind = 'policy' | 'partners';
export type GovernedStatus = 'draft' | 'shadow' | 'active' | 'retired' | 'rejected';

/**
 * One immutable version of a governed document (a field policy, or the partner table), identified by the
 * hash of its canonical content. Only a version with a recorded approval is ever enforced.
 */
@Entity({ name: 'governed_version' })
export class GovernedVersionEntity {
  @PrimaryColumn({ type: 'text' })
  kind: GovernedKind;

  @PrimaryColumn({ type: 'text' })
  version: string;

  /** The document as proposed (YAML). Policies and partner tables hold no personal data. */
  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'text' })
  status: GovernedStatus;

  @Column({ name: 'proposed_by', type: 'text' })
  proposedBy: string;

  @Column({ name: 'proposed_at', type: 'timestamptz' })
  proposedAt: Date;

  @Column({ name: 'approved_by', type: 'text', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'note', type: 'text', nullable: true })
  note: string | null;
}

/** What each gateway instance enforces, as it last reported. */
@Entity({ name: 'gateway_instance' })
export class GatewayInstanceEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'text' })
  instanceId: string;

  @Column({ name: 'policy_version', type: 'text', nullable: true })
  policyVersion: string | null;

  @Column({ name: 'partners_version', type: 'text', nullable: true })
  partnersVersion: string | null;

  @Column({ name: 'seen_at', type: 'timestamptz' })
  seenAt: Date;
}
