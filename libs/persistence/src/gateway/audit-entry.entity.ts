import { Column, Entity, PrimaryColumn } from 'typeorm';

const bigintNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

/**
 * One leaf of the Merkle audit log: its canonical JSON text is the leaf data. Append-only: triggers
 * refuse UPDATE and DELETE. The columns beside the text serve search; they repeat what the text says.
 */
@Entity({ name: 'audit_entry' })
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  idx: number;

  @Column({ name: 'leaf_hash', type: 'bytea' })
  leafHash: Buffer;

  @Column({ type: 'text' })
  entry: string;

  @Column({ type: 'text' })
  event: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'partner_id', type: 'text', nullable: true })
  partnerId: string | null;

  @Column({ type: 'text', nullable: true })
  purpose: string | null;

  @Column({ name: 'signal_id', type: 'uuid', nullable: true })
  signalId: string | null;

  @Column({ name: 'policy_version', type: 'text', nullable: true })
  policyVersion: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', nullable: true })
  actor: string | null;
}

/** The opening (token + salt) of a subject commitment; erasure deletes it and appends a redaction entry. */
@Entity({ name: 'audit_subject_opening' })
export class AuditSubjectOpeningEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  idx: number;

  @PrimaryColumn({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  token: string;

  @Column({ type: 'text' })
  salt: string;
}

/** The right edge of the tree; every append batch locks this one row. */
@Entity({ name: 'audit_frontier' })
export class AuditFrontierEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'jsonb' })
  frontier: { size: number; hashes: string[] };
}

/** Inner nodes of every 8th level (level 8, 16, …); level 0 is `audit_entry.leaf_hash`. */
@Entity({ name: 'audit_node' })
export class AuditNodeEntity {
  @PrimaryColumn({ type: 'smallint' })
  level: number;

  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  idx: number;

  @Column({ type: 'bytea' })
  hash: Buffer;
}

/** A signed checkpoint and the witnesses' cosignatures. */
@Entity({ name: 'audit_checkpoint' })
export class AuditCheckpointEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  size: number;

  @Column({ name: 'root_hash', type: 'text' })
  rootHash: string;

  @Column({ type: 'timestamptz' })
  time: Date;

  @Column({ type: 'text' })
  jws: string;

  @Column({ type: 'jsonb' })
  cosignatures: string[];
}
