import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AUDIT_EVENTS } from '@ketenpoort/audit';
import type { AdminActor } from '../../../admin/admin-actor.js';
import { AdminAuthGuard, CurrentAdmin, Roles } from '../../../admin/admin-auth.guard.js';
import { OnListener } from '../../../common/listener.js';
import { ADMIN_ERRORS, ApiErrors } from '../../../openapi/api-errors.decorator.js';
import {
  AuditReviewRepository,
  type AuditOverviewRows,
} from '../../infrastructure/audit-review.repository.js';
import { AuditEntriesPageResponseDto, AuditOverviewResponseDto } from './audit-review.response.dto.js';
import { ReviewedEntryResponse, toReviewedEntry } from './reviewed-entry.response.dto.js';
import {
  encodeCursor,
  parseReviewQuery,
  parseTimeRange,
  type RawQuery,
} from './audit-review.query-params.js';

const ACTIONS = ['forwarded', 'pseudonymised', 'generalised', 'dropped'] as const;
const EXPORT_PAGE = 1000;
const TIME_QUERY = (name: 'from' | 'to') =>
  ApiQuery({ name, required: false, description: 'ISO 8601 date or date-time', example: '2024-01-01' });
const QUERY_INVALID =
  '`AUDIT.QUERY_INVALID`: a parameter is unknown, given twice or malformed (`details` name it)';

/**
 * Review for privacy officers and auditors (issue 4 §5): search with keyset paging, NDJSON export of a
 * selection, and the officer's overview of what was released, transformed and dropped per field. A
 * partner-scoped token sees only its partners' entries.
 */
@Controller('v1/admin/audit')
@OnListener('admin')
@UseGuards(AdminAuthGuard)
@Roles('privacy-officer', 'auditor')
@ApiTags('admin: audit')
@ApiBearerAuth('bearer')
@ApiErrors(ADMIN_ERRORS)
@ApiExtraModels(AuditEntriesPageResponseDto, ReviewedEntryResponse)
export class AuditReviewHttpController {
  constructor(private readonly review: AuditReviewRepository) {}

  @Get('entries')
  @ApiOperation({ summary: 'search the audit log (keyset paging), or export the selection as NDJSON' })
  @TIME_QUERY('from')
  @TIME_QUERY('to')
  @ApiQuery({ name: 'partner', required: false, example: 'politie-oost-brabant' })
  @ApiQuery({ name: 'purpose', required: false, example: 'registration' })
  @ApiQuery({ name: 'event', required: false, enum: AUDIT_EVENTS })
  @ApiQuery({ name: 'policyVersion', required: false, description: '64 hex characters' })
  @ApiQuery({ name: 'signalId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  })
  @ApiQuery({
    name: 'format',
    required: false,
    enum: ['json', 'ndjson'],
    description: 'ndjson: every match, streamed',
  })
  @ApiOkResponse({
    description: 'a page (JSON), or with `format=ndjson` one line per matching entry',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AuditEntriesPageResponseDto) } },
      'application/x-ndjson': { schema: { $ref: getSchemaPath(ReviewedEntryResponse) } },
    },
  })
  @ApiErrors({
    400: QUERY_INVALID,
    403: '`AUTH.ROLE_MISSING`; `AUTH.SCOPE`: the token is not scoped to that partner',
  })
  async entries(
    @Query() query: RawQuery,
    @CurrentAdmin() actor: AdminActor,
    @Res() response: Response,
  ): Promise<void> {
    const { filter, after, limit, format } = parseReviewQuery(query, actor);
    if (format === 'ndjson') return this.exportSelection(response, filter, after);
    const rows = await this.review.search(filter, after, limit + 1);
    const page = rows.slice(0, limit);
    response.status(200).json({
      entries: page.map(toReviewedEntry),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].idx) : null,
    });
  }

  @Get('overview')
  @ApiOperation({ summary: 'per partner and purpose: what was released, transformed and dropped, per field' })
  @TIME_QUERY('from')
  @TIME_QUERY('to')
  @ApiOkResponse({ type: AuditOverviewResponseDto })
  @ApiErrors({ 400: QUERY_INVALID })
  async overview(@Query() query: RawQuery, @CurrentAdmin() actor: AdminActor) {
    const range = parseTimeRange(query);
    const rows = await this.review.overview({ ...range, partnerScope: actor.partnerScope });
    return {
      from: range.from?.toISOString() ?? null,
      to: range.to?.toISOString() ?? null,
      scope: actor.partnerScope,
      partners: groupOverview(rows),
      refusals: rows.refusals,
      subjectLookups: rows.subjectLookups,
    };
  }

  /** Streams every matching entry as one line each, page by page (constant memory). */
  private async exportSelection(
    response: Response,
    filter: Parameters<AuditReviewRepository['search']>[0],
    after: number,
  ): Promise<void> {
    response.status(200).type('application/x-ndjson');
    for (let next = after; ;) {
      const rows = await this.review.search(filter, next, EXPORT_PAGE);
      for (const row of rows) {
        const line = `{"idx":${row.idx},"leafHash":${JSON.stringify(row.leafHash)},"entry":${row.text}}\n`;
        if (!response.write(line)) await new Promise((r) => response.once('drain', r));
      }
      if (rows.length < EXPORT_PAGE) break;
      next = rows[rows.length - 1].idx;
    }
    response.end();
  }
}

type FieldCounts = { field: string } & Record<(typeof ACTIONS)[number], number>;

function groupOverview(rows: AuditOverviewRows) {
  const partners = new Map<string, Map<string, { received: number; fields: Map<string, FieldCounts> }>>();
  const purposeOf = (partnerId: string, purpose: string) => {
    const byPurpose = partners.get(partnerId) ?? new Map();
    partners.set(partnerId, byPurpose);
    const entry = byPurpose.get(purpose) ?? { received: 0, fields: new Map<string, FieldCounts>() };
    byPurpose.set(purpose, entry);
    return entry;
  };
  for (const r of rows.received) purposeOf(r.partnerId, r.purpose).received = r.count;
  for (const r of rows.fields) {
    const fields = purposeOf(r.partnerId, r.purpose).fields;
    const counts = fields.get(r.field) ?? {
      field: r.field,
      forwarded: 0,
      pseudonymised: 0,
      generalised: 0,
      dropped: 0,
    };
    if ((ACTIONS as readonly string[]).includes(r.action))
      counts[r.action as (typeof ACTIONS)[number]] += r.count;
    fields.set(r.field, counts);
  }
  return [...partners].map(([partnerId, byPurpose]) => ({
    partnerId,
    purposes: [...byPurpose].map(([purpose, { received, fields }]) => ({
      purpose,
      received,
      fields: [...fields.values()],
    })),
  }));
}
