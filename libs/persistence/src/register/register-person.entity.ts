import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A person: one connected component of linked records. */
@Entity({ name: 'register_person' })
export class RegisterPersonEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Membership: every record belongs to exactly one person. */
@Entity({ name: 'register_person_record' })
@Index('register_person_record_person', ['personId'])
export class RegisterPersonRecordEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;
}
