import { Inject, Injectable } from '@nestjs/common';
import { Pseudonymiser, PseudonymisationError } from '@ketenpoort/pseudonymisation';
import type { AdminActor } from '../../../admin/admin-actor.js';
import { GatewayError } from '../../../common/gateway-error.js';
import { GATEWAY_CONFIG } from '../../../common/tokens.js';
import type { GatewayConfig } from '../../../gateway.config.js';
import { AuditLog } from '../../infrastructure/audit-log.repository.js';
import { AuditReviewRepository } from '../../infrastructure/audit-review.repository.js';
import {
  toReviewedEntry,
  type ReviewedEntryResponse,
} from '../review-audit-entries/reviewed-entry.response.dto.js';
import type { SubjectLookupRequest } from './subject-lookup.request.js';

export interface SubjectLookupResult {
  requestReference: string;
  keyVersions: number[];
  matches: number;
  entries: ReviewedEntryResponse[];
}

const MAX_MATCHES = 10_000;

/**
 * Subject lookup (issue 4 §6): the person's tokens in the audit key domain under EVERY key version of the
 * ring (entries written before a rotation carry older tokens), the entries whose openings hold them, limited
 * to the officer's scope. The identifiers live only in this call: not stored, not logged, not audited — the
 * lookup's own entry names the request reference, the officer and the number of matches.
 */
@Injectable()
export class SubjectLookupService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly review: AuditReviewRepository,
    private readonly auditLog: AuditLog,
  ) {}

  async lookup(
    request: SubjectLookupRequest,
    actor: AdminActor,
    correlationId: string,
  ): Promise<SubjectLookupResult> {
    const keyRing = this.config.keyRing;
    const keyVersions = keyRing.versions();
    let tokens: string[];
    try {
      tokens = keyVersions.flatMap((v) =>
        new Pseudonymiser(keyRing, 'audit', v).subjectTokens(request.subject),
      );
    } catch (error) {
      if (error instanceof PseudonymisationError) {
        throw new GatewayError('AUDIT.LOOKUP_INVALID', 'the identifiers cannot be normalised', {
          code: error.code,
        });
      }
      throw error;
    }
    if (tokens.length === 0) {
      throw new GatewayError(
        'AUDIT.LOOKUP_INVALID',
        'the identifiers give no token: send a document (type, country, number) or given names, family name, full birth date and sex',
      );
    }
    const indexes = (await this.review.indexesWithTokens(tokens)).slice(0, MAX_MATCHES);
    const rows = indexes.length
      ? await this.review.search({ indexes, partnerScope: actor.partnerScope }, -1, MAX_MATCHES)
      : [];
    await this.auditLog.appendAlone({
      event: 'audit.subject-lookup',
      at: new Date().toISOString(),
      correlationId,
      actor: actor.sub,
      requestReference: request.requestReference,
      matches: rows.length,
      ...(actor.partnerScope ? { scope: [...actor.partnerScope].sort() } : {}),
    });
    return {
      requestReference: request.requestReference,
      keyVersions,
      matches: rows.length,
      entries: rows.map(toReviewedEntry),
    };
  }
}
