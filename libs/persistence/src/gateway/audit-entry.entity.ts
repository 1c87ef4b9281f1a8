import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One link of the audit hash chain. Append-only: triggers refuse UPDATE and DELETE. */
@Entity({ name: 'audit_entry' })
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  seq: number;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;

  @Column({ type: 'jsonb' })
  entry: object;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** The head of the chain: one row, locked FOR UPDATE by every append so that appends serialise. */
@Entity({ name: 'audit_head' })
export class AuditHeadEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size: number;

  @Column({ type: 'text' })
  hash: string;
}
