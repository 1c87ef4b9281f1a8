import { AUDIT_EVENTS, type AuditEvent } from '@ketenpoort/audit';
import type { AdminActor } from '../../../admin/admin-actor.js';
import { GatewayError } from '../../../common/gateway-error.js';
import type { AuditReviewFilter } from '../../infrastructure/audit-review.repository.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const IDENTIFIER = /^[a-z0-9][a-z0-9-]{0,63}$/;
const POLICY_VERSION = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR = /^[A-Za-z0-9_-]{1,64}$/;
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

export type RawQuery = Record<string, unknown>;

function invalid(parameter: string, expected: string): never {
  // Names the parameter, never the value it had.
  throw new GatewayError('AUDIT.QUERY_INVALID', `${parameter} must be ${expected}`, { parameter });
}

function single(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') invalid(name, 'given once');
  return value;
}

function time(query: RawQuery, name: string): Date | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const at = ISO_TIME.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) invalid(name, 'an ISO 8601 date or date-time');
  return at;
}

function matching(query: RawQuery, name: string, pattern: RegExp, expected: string): string | undefined {
  const value = single(query, name);
  if (value !== undefined && !pattern.test(value)) invalid(name, expected);
  return value;
}

/** Checks an admin's filter against its token: a scoped token may only ask about partners in its scope. */
export function assertPartnerInScope(actor: AdminActor, partnerId: string | undefined): void {
  if (partnerId && actor.partnerScope && !actor.partnerScope.includes(partnerId)) {
    throw new GatewayError('AUTH.SCOPE', 'this token is not scoped to that partner');
  }
}

/** The time range of the overview and of a search. */
export function parseTimeRange(query: RawQuery): { from?: Date; to?: Date } {
  const from = time(query, 'from');
  const to = time(query, 'to');
  if (from && to && from > to) invalid('from', 'not later than to');
  return { from, to };
}

/** Parses and checks the search parameters; unknown parameters are refused. */
export function parseReviewQuery(
  query: RawQuery,
  actor: AdminActor,
): { filter: AuditReviewFilter; after: number; limit: number; format: 'json' | 'ndjson' } {
  const known = ['from', 'to', 'partner', 'purpose', 'event', 'policyVersion', 'signalId', 'cursor', 'limit'];
  for (const name of Object.keys(query)) {
    if (![...known, 'format'].includes(name)) invalid(name.slice(0, 40), 'a known parameter');
  }
  const partnerId = matching(query, 'partner', IDENTIFIER, 'a partner id');
  assertPartnerInScope(actor, partnerId);
  const event = single(query, 'event');
  if (event !== undefined && !(AUDIT_EVENTS as readonly string[]).includes(event)) {
    invalid('event', `one of ${AUDIT_EVENTS.join(', ')}`);
  }
  const limitText = single(query, 'limit');
  const limit = limitText === undefined ? DEFAULT_PAGE : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) invalid('limit', `1..${MAX_PAGE}`);
  const format = single(query, 'format') ?? 'json';
  if (format !== 'json' && format !== 'ndjson') invalid('format', 'json or ndjson');
  const signalId = matching(query, 'signalId', UUID, 'a UUID')?.toLowerCase();
  return {
    filter: {
      ...parseTimeRange(query),
      partnerId,
      purpose: matching(query, 'purpose', IDENTIFIER, 'a purpose id'),
      event: event as AuditEvent | undefined,
      policyVersion: matching(query, 'policyVersion', POLICY_VERSION, '64 hex characters'),
      signalId,
      partnerScope: actor.partnerScope,
    },
    after: decodeCursor(single(query, 'cursor')),
    limit,
    format,
  };
}

/** The opaque cursor: the last index returned, so the next page starts after it (keyset paging). */
export function encodeCursor(lastIndex: number): string {
  return Buffer.from(`a1:${lastIndex}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return -1;
  const text = CURSOR.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^a1:(\d{1,15})$/.exec(text);
  if (!match) invalid('cursor', 'a cursor returned by this endpoint');
  return Number(match[1]);
}
