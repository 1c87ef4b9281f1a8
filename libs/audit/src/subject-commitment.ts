import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What opens one commitment: the audit-domain token and its salt (32 hex chars). Kept beside the leaf. */
export interface SubjectOpening {
  token: string;
  salt: string;
}

/** The commitments that go into the leaf and the openings that are stored beside it, same order. */
export interface SubjectCommitments {
  commitments: string[];
  openings: SubjectOpening[];
}

const SALT_BYTES = 16;
const SALT_PATTERN = /^[0-9a-f]{32}$/;
const COMMITMENT_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The commitment to a token under a salt: hex SHA-256(salt bytes ‖ UTF-8 token).
 *
 * @example subjectCommitment({ token: 'v1.audit.subj.ABC', salt: '00'.repeat(16) }) // '9c1e…'
 */
export function subjectCommitment(opening: SubjectOpening): string {
  const salt = Buffer.from(opening.salt, 'hex');
  return hash('sha256', Buffer.concat([salt, Buffer.from(opening.token, 'utf8')]), 'hex');
}

/**
 * Commits to each subject token under a fresh 16-byte random salt. The leaf holds `commitments`; a lawful
 * erasure deletes the `openings` and leaves the leaf — and every proof over it — intact.
 *
 * @example const { commitments, openings } = commitSubjects(['v1.audit.subj.ABC']);
 */
export function commitSubjects(tokens: readonly string[]): SubjectCommitments {
  const openings = tokens.map((token) => ({ token, salt: randomBytes(SALT_BYTES).toString('hex') }));
  return { commitments: openings.map(subjectCommitment), openings };
}

/**
 * Does this opening open this commitment? False for a malformed salt or commitment.
 *
 * @example checkOpening(entry.subjectCommitments[0], openings[0]) // true
 */
export function checkOpening(commitment: string, opening: SubjectOpening | null | undefined): boolean {
  if (typeof commitment !== 'string' || !COMMITMENT_PATTERN.test(commitment)) return false;
  if (!opening || typeof opening.token !== 'string' || typeof opening.salt !== 'string') return false;
  if (!SALT_PATTERN.test(opening.salt)) return false;
  return timingSafeEqual(Buffer.from(subjectCommitment(opening), 'hex'), Buffer.from(commitment, 'hex'));
}
