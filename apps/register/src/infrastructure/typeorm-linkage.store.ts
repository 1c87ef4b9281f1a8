import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { RegisterPersonEntity, RegisterPersonRecordEntity } from '@ketenpoort/persistence';
import type { LinkageToken } from '@ketenpoort/signal-contract';
import type { LinkageStore, LinkageSubject } from '../linkage/index.js';

interface CandidateRow {
  record_id: string;
  birth_year: number | null;
  sex: string | null;
  birth_date_estimated: boolean;
  kind: string;
  value: string;
}

/** Linkage persistence over the transaction's EntityManager (never the DataSource: see createDataSource). */
export class TypeOrmLinkageStore implements LinkageStore {
  constructor(private readonly manager: EntityManager) {}

  async findRecordsSharingTokens(
    tokens: readonly LinkageToken[],
    exceptRecordId: string,
  ): Promise<LinkageSubject[]> {
    const rows: CandidateRow[] = await this.manager.query(
      `SELECT r.record_id, r.birth_year, r.sex, r.birth_date_estimated, t.kind, t.value
         FROM register_record_token t
         JOIN register_record r ON r.record_id = t.record_id
        WHERE (t.kind, t.value) IN (SELECT k, v FROM unnest($1::text[], $2::text[]) AS wanted(k, v))
          AND t.record_id <> $3
        ORDER BY r.record_id`,
      [tokens.map((t) => t.kind), tokens.map((t) => t.value), exceptRecordId],
    );
    const subjects = new Map<string, LinkageSubject & { tokens: LinkageToken[] }>();
    for (const row of rows) {
      const subject = subjects.get(row.record_id) ?? {
        recordId: row.record_id,
        tokens: [],
        birthYear: row.birth_year,
        sex: row.sex,
        birthDateEstimated: row.birth_date_estimated,
      };
      subject.tokens.push({ kind: row.kind, value: row.value });
      subjects.set(row.record_id, subject);
    }
    return [...subjects.values()];
  }

  async personsOf(recordIds: readonly string[]): Promise<Map<string, string>> {
    if (recordIds.length === 0) return new Map();
    const rows: { record_id: string; person_id: string }[] = await this.manager.query(
      `SELECT record_id, person_id FROM register_person_record WHERE record_id = ANY($1::uuid[])`,
      [recordIds],
    );
    return new Map(rows.map((row) => [row.record_id, row.person_id]));
  }

  async createPerson(): Promise<string> {
    const personId = randomUUID();
    await this.manager.insert(RegisterPersonEntity, { personId, createdAt: new Date() });
    return personId;
  }

  async addRecordToPerson(recordId: string, personId: string): Promise<void> {
    await this.manager.insert(RegisterPersonRecordEntity, { recordId, personId });
  }

  async mergePersons(into: string, others: readonly string[]): Promise<void> {
    await this.manager.query(
      `UPDATE register_person_record SET person_id = $1 WHERE person_id = ANY($2::uuid[])`,
      [into, others],
    );
    await this.manager.query(`DELETE FROM register_person WHERE person_id = ANY($1::uuid[])`, [others]);
  }
}
