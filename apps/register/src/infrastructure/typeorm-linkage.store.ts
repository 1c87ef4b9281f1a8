import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { RegisterPersonEntity } from '@ketenpoort/persistence';
import type { LinkageToken } from '@ketenpoort/signal-contract';
import type { BulkLinkageStore, LinkageChanges, LinkageSubject, LinkEvent } from '../linkage/index.js';

interface SubjectRow {
  record_id: string;
  birth_year: number | null;
  sex: string | null;
  birth_date_estimated: boolean;
  kind: string;
  value: string;
}

/** One row of the link log as the steward endpoint reads it. */
export interface PersonLinkRow {
  linkId: string;
  event: LinkEvent['event'];
  personId: string;
  recordA: string;
  recordB: string;
  /** Token kinds (and `sex`, `unique-candidate`, `ambiguous`) — never a token value. */
  reason: string[];
  createdAt: string;
}

const SUBJECT_COLUMNS = `r.record_id, r.birth_year, r.sex, r.birth_date_estimated, t.kind, t.value`;
/**
 * Each record's tokens by a probe of the token table's primary key (record_id, kind, value). Joined plainly,
 * the planner scanned and hashed the whole token table for a few thousand records (230 ms a time at 20,000
 * records, growing with the register); `OFFSET 0` keeps the lateral subquery from being flattened back.
 */
const TOKENS_OF_R = `CROSS JOIN LATERAL (
           SELECT tt.kind, tt.value FROM register_record_token tt WHERE tt.record_id = r.record_id OFFSET 0) AS t`;

function subjectsOf(rows: SubjectRow[]): LinkageSubject[] {
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

/** Linkage persistence over the transaction's EntityManager (never the DataSource: see createDataSource). */
export class TypeOrmLinkageStore implements BulkLinkageStore {
  constructor(private readonly manager: EntityManager) {}

  async subjectsSharingTokens(tokens: readonly LinkageToken[]): Promise<LinkageSubject[]> {
    if (tokens.length === 0) return [];
    // Two statements, so that each is an index lookup: as one statement the planner, expecting many hits,
    // joined the records' tokens by a scan of the whole token table (60 ms at 3,000 records, O(n) per record).
    // One index probe per wanted token, whatever the planner expects: for a batch's ~17,000 tokens it chose
    // a merge join over a (parallel) scan and sort of the whole token table — 500 ms at 6,000 records and
    // growing with the register — where the probes take 150 ms at any size. `OFFSET 0` keeps the lateral
    // subquery from being flattened back into that join.
    const hits: { record_id: string }[] = await this.manager.query(
      `SELECT DISTINCT h.record_id
         FROM unnest($1::text[], $2::text[]) AS wanted(k, v)
         CROSS JOIN LATERAL (
           SELECT t.record_id FROM register_record_token t
            WHERE t.kind = wanted.k AND t.value = wanted.v
           OFFSET 0) AS h`,
      [tokens.map((t) => t.kind), tokens.map((t) => t.value)],
    );
    return this.subjectsOfRecords(hits.map((h) => h.record_id));
  }

  /** The given records with all their tokens (records without tokens are left out). */
  async subjectsOfRecords(recordIds: readonly string[]): Promise<LinkageSubject[]> {
    if (recordIds.length === 0) return [];
    const rows: SubjectRow[] = await this.manager.query(
      `SELECT ${SUBJECT_COLUMNS}
         FROM register_record r
         ${TOKENS_OF_R}
        WHERE r.record_id = ANY($1::uuid[])
        ORDER BY r.record_id`,
      [recordIds],
    );
    return subjectsOf(rows);
  }

  async subjectsOfPersons(personIds: readonly string[]): Promise<LinkageSubject[]> {
    if (personIds.length === 0) return [];
    const rows: SubjectRow[] = await this.manager.query(
      `SELECT ${SUBJECT_COLUMNS}
         FROM register_person_record p
         JOIN register_record r ON r.record_id = p.record_id
         ${TOKENS_OF_R}
        WHERE p.person_id = ANY($1::uuid[])
        ORDER BY r.record_id`,
      [personIds],
    );
    // A record without tokens has no rows above; linkage only needs those with tokens besides itself.
    return subjectsOf(rows);
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

  async assignRecords(personId: string, recordIds: readonly string[]): Promise<void> {
    if (recordIds.length === 0) return;
    await this.manager.query(
      `INSERT INTO register_person_record (record_id, person_id)
       SELECT unnest($1::uuid[]), $2::uuid
       ON CONFLICT (record_id) DO UPDATE SET person_id = EXCLUDED.person_id`,
      [recordIds, personId],
    );
  }

  async deletePersons(personIds: readonly string[]): Promise<void> {
    if (personIds.length === 0) return;
    await this.manager.query(`DELETE FROM register_person WHERE person_id = ANY($1::uuid[])`, [personIds]);
  }

  async applyChanges(changes: LinkageChanges): Promise<void> {
    if (changes.createdPersons.length) {
      await this.manager.query(
        `INSERT INTO register_person (person_id, created_at) SELECT unnest($1::uuid[]), now()`,
        [changes.createdPersons],
      );
    }
    if (changes.assignments.length) {
      await this.manager.query(
        `INSERT INTO register_person_record (record_id, person_id)
         SELECT * FROM unnest($1::uuid[], $2::uuid[])
         ON CONFLICT (record_id) DO UPDATE SET person_id = EXCLUDED.person_id`,
        [changes.assignments.map((a) => a.recordId), changes.assignments.map((a) => a.personId)],
      );
    }
    await this.deletePersons(changes.deletedPersons);
    await this.recordLinkEvents(changes.events);
  }

  async recordLinkEvents(events: readonly LinkEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.manager.query(
      `INSERT INTO register_link (event, person_id, record_a, record_b, reason, created_at)
       SELECT e, p, a, b, r, now()
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[]) AS ev(e, p, a, b, r)`,
      [
        events.map((e) => e.event),
        events.map((e) => e.personId),
        events.map((e) => e.recordA),
        events.map((e) => e.recordB),
        events.map((e) => e.reason.join('+')),
      ],
    );
  }
}

/**
 * The link log of a person: every join, merge and split that touched one of its current records or named it,
 * oldest first. For the `register-steward` endpoint (which audits the read); token values never leave.
 *
 * @example
 * await readPersonLinks(dataSource.manager, personId); // [{ event: 'joined', reason: ['ndob'], … }]
 */
export async function readPersonLinks(manager: EntityManager, personId: string): Promise<PersonLinkRow[]> {
  const rows: {
    link_id: string;
    event: LinkEvent['event'];
    person_id: string;
    record_a: string;
    record_b: string;
    reason: string;
    created_at: Date;
  }[] = await manager.query(
    `SELECT l.link_id::text AS link_id, l.event, l.person_id, l.record_a, l.record_b, l.reason, l.created_at
       FROM register_link l
      WHERE l.person_id = $1::uuid
         OR l.record_a IN (SELECT record_id FROM register_person_record WHERE person_id = $1::uuid)
         OR l.record_b IN (SELECT record_id FROM register_person_record WHERE person_id = $1::uuid)
      ORDER BY l.link_id`,
    [personId],
  );
  return rows.map((row) => ({
    linkId: row.link_id,
    event: row.event,
    personId: row.person_id,
    recordA: row.record_a,
    recordB: row.record_b,
    reason: row.reason.split('+'),
    createdAt: new Date(row.created_at).toISOString(),
  }));
}
