import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A record the register accepted from the gateway: exactly what the policy released (`record`), the
 * digest that makes delivery idempotent, the signed receipt, and the columns that linkage and
 * statistics query (report year in Europe/Amsterdam, reporter type, sexual-only exploitation).
 */
@Entity({ name: 'register_record' })
@Index('register_record_report_year', ['reportYear'])
export class RegisterRecordEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @Column({ name: 'payload_digest', type: 'text' })
  payloadDigest: string;

  @Column({ type: 'jsonb' })
  record: Record<string, unknown>;

  @Column({ name: 'reporter_type', type: 'text' })
  reporterType: string;

  @Column({ name: 'report_year', type: 'int' })
  reportYear: number;

  @Column({ name: 'sexual_exploitation_only', type: 'boolean' })
  sexualExploitationOnly: boolean;

  @Column({ name: 'birth_year', type: 'int', nullable: true })
  birthYear: number | null;

  @Column({ type: 'text', nullable: true })
  sex: string | null;

  @Column({ name: 'birth_date_estimated', type: 'boolean' })
  birthDateEstimated: boolean;

  @Column({ name: 'retain_until', type: 'date', nullable: true })
  retainUntil: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  /** The compact JWS the register answered with, returned again on a repeated delivery. */
  @Column({ type: 'text' })
  receipt: string;
}
