/** A record as the steward sees it: ids and kinds, never a token value or a released field value. */
export interface StewardRecord {
  recordId: string;
  reporterType: string;
  purpose: string;
  dossierType: string;
  reportYear: number;
  /** Kinds of the linkage tokens the record carries (`doc`, `nds`, ...), sorted, without their values. */
  tokenKinds: string[];
}

/** One entry of the linkage's log about this record: a join, merge or split, and why. */
export interface LinkReason {
  event: string;
  /** The person the event concerns (the one joined or merged into, or the one split from). */
  personId: string;
  /** The record at the other end of the link. */
  linkedRecordId: string;
  /** Token kinds (and rule names) that justify the link; never a token value. */
  reason: string[];
  at: string | null;
}

export interface RecordLinks {
  recordId: string;
  personId: string;
  links: LinkReason[];
}

/** Port: person-level reads for the steward; infrastructure/ implements it. */
export interface StewardReadModel {
  /** The records of a person, or null when there is no such person. */
  personRecords(personId: string): Promise<StewardRecord[] | null>;
  /** The recorded links of a record, or null when there is no such record. */
  recordLinks(recordId: string): Promise<RecordLinks | null>;
}

export const STEWARD_READ_MODEL = Symbol('STEWARD_READ_MODEL');
