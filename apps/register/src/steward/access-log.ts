/** One read by a steward: who, what, when — ids only. */
export interface AccessEntry {
  accessedAt: Date;
  /** The token subject. */
  subject: string;
  role: string;
  action: 'read-person' | 'read-record-links';
  targetType: 'person' | 'record';
  targetId: string;
  outcome: 'granted' | 'not-found';
}

/** Port to `register_access_log`; a read whose entry cannot be written is not answered. */
export interface AccessLog {
  record(entry: AccessEntry): Promise<void>;
}

export const ACCESS_LOG = Symbol('ACCESS_LOG');

export const STEWARD_ROLE = 'register-steward';
