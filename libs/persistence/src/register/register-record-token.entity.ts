import { Entity, Index, PrimaryColumn } from 'typeorm';

/** A linkage token of a record (a keyed pseudonym; never the identifier it was made from). */
@Entity({ name: 'register_record_token' })
@Index('register_record_token_lookup', ['kind', 'value'])
export class RegisterRecordTokenEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @PrimaryColumn({ type: 'text' })
  kind: string;

  @PrimaryColumn({ type: 'text' })
  value: string;
}
