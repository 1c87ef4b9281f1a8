/**
 * What an `audit.redaction` entry records: the leaf whose openings were erased, the commitments whose
 * token and salt were removed, the request it answers and who carried it out. It is a log entry itself, so
 * the tree and every later checkpoint cover the erasure.
 */
export interface AuditRedaction {
  leafIndex: number;
  commitments: string[];
  requestReference: string;
  actors: string[];
}
