import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Pseudonymiser } from '@ketenpoort/pseudonymisation';
import type { AdminActor } from '../../admin/admin-actor.js';
import { AdminAuthGuard, CurrentAdmin, Roles } from '../../admin/admin-auth.guard.js';
import { GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';
import { ADMIN_ERRORS, ApiErrors } from '../../openapi/api-errors.decorator.js';
import { AuditErasureRepository, type AuditErasure } from '../infrastructure/audit-erasure.repository.js';
import { AuditErasureRequestDto, AuditErasureResponseDto } from './audit-erasure.dto.js';

/** A short request reference (case number of the lawful request), never a name. */
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_LEAVES = 1000;
const SUBJECT_KEYS = ['givenNames', 'familyName', 'birthDate', 'sex', 'documents'];
const ERASURE_ID_PARAM = {
  name: 'erasureId',
  format: 'uuid',
  example: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
};

const invalid = (path: string, reason: string) =>
  new GatewayError('ERASURE.INVALID', 'the erasure request is invalid', [{ path, reasons: [reason] }]);

/**
 * `POST /v1/admin/audit/erasures` (privacy officer): a lawful erasure request with its reference and the
 * leaves it covers — given as leaf indexes, or as the subject's identifiers (turned into audit-domain tokens
 * in memory, matched against the openings, never stored). `POST …/:id/approve` by a SECOND privacy officer
 * carries it out.
 */
@Controller('v1/admin/audit/erasures')
@OnListener('admin')
@UseGuards(AdminAuthGuard)
@Roles('privacy-officer')
@ApiTags('admin: audit')
@ApiBearerAuth('bearer')
@ApiErrors(ADMIN_ERRORS)
export class AuditErasureHttpController {
  private readonly auditTokens: Pseudonymiser;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly erasures: AuditErasureRepository,
  ) {
    this.auditTokens = new Pseudonymiser(config.keyRing, 'audit');
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'request the erasure of subject openings (role privacy-officer); a second officer approves',
  })
  @ApiBody({ type: AuditErasureRequestDto })
  @ApiCreatedResponse({ type: AuditErasureResponseDto, description: 'pending until approved' })
  @ApiErrors({
    400: '`ERASURE.INVALID`: the request is malformed (`details` name the field)',
    409: '`ERASURE.NOTHING_TO_ERASE`: some leaves (or no leaf) hold a subject opening',
  })
  async request(
    @CurrentAdmin() admin: AdminActor,
    @Req() request: Request & { correlationId: string },
    @Body() body: unknown,
  ): Promise<AuditErasure> {
    const input = (body ?? {}) as { requestReference?: unknown; leafIndexes?: unknown; subject?: unknown };
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('', 'must be an object');
    const unknown = Object.keys(input).filter(
      (k) => !['requestReference', 'leafIndexes', 'subject'].includes(k),
    );
    if (unknown.length) throw invalid(unknown[0].slice(0, 60), 'is not allowed');
    if (typeof input.requestReference !== 'string' || !REFERENCE.test(input.requestReference))
      throw invalid('requestReference', 'must be a short code (letters, digits, . _ / -; at most 40)');
    if ((input.leafIndexes === undefined) === (input.subject === undefined))
      throw invalid('leafIndexes', 'give either leafIndexes or subject');
    let leaves: number[];
    if (input.leafIndexes !== undefined) {
      const asked = input.leafIndexes;
      if (
        !Array.isArray(asked) ||
        asked.length === 0 ||
        asked.length > MAX_LEAVES ||
        !asked.every((i) => Number.isSafeInteger(i) && (i as number) >= 0)
      )
        throw invalid('leafIndexes', `must list 1-${MAX_LEAVES} whole numbers ≥ 0`);
      const unique = [...new Set(asked as number[])].sort((a, b) => a - b);
      leaves = await this.erasures.leavesWithOpenings(unique);
      const without = unique.filter((i) => !leaves.includes(i));
      if (without.length)
        throw new GatewayError('ERASURE.NOTHING_TO_ERASE', 'some leaves hold no subject opening', [
          { path: 'leafIndexes', reasons: [`no opening at ${without.slice(0, 20).join(', ')}`] },
        ]);
    } else {
      leaves = await this.erasures.leavesOfTokens(this.subjectTokens(input.subject));
      if (leaves.length === 0)
        throw new GatewayError(
          'ERASURE.NOTHING_TO_ERASE',
          'no audit entry holds an opening for this subject',
        );
    }
    return this.erasures.request({
      requestReference: input.requestReference,
      leafIndexes: leaves,
      actor: admin.sub,
      correlationId: request.correlationId,
    });
  }

  @Get(':erasureId')
  @ApiOperation({ summary: 'one erasure request' })
  @ApiParam(ERASURE_ID_PARAM)
  @ApiOkResponse({ type: AuditErasureResponseDto })
  @ApiErrors({
    400: '`ERASURE.INVALID`: erasureId is not a UUID',
    404: '`ERASURE.NOT_FOUND`: no erasure request with this id',
  })
  async get(@Param('erasureId') erasureId: string): Promise<AuditErasure> {
    if (!UUID.test(erasureId)) throw invalid('erasureId', 'must be a UUID');
    const found = await this.erasures.find(erasureId.toLowerCase());
    if (!found) throw new GatewayError('ERASURE.NOT_FOUND', 'no erasure request with this id');
    return found;
  }

  @Post(':erasureId/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'approve and carry out an erasure (a second privacy officer); the proofs stay valid',
  })
  @ApiParam(ERASURE_ID_PARAM)
  @ApiOkResponse({ type: AuditErasureResponseDto, description: 'executed' })
  @ApiErrors({
    400: '`ERASURE.INVALID`: erasureId is not a UUID',
    403: '`AUTH.ROLE_MISSING`; `ERASURE.FOUR_EYES`: a second privacy officer must approve',
    404: '`ERASURE.NOT_FOUND`: no erasure request with this id',
    409: '`ERASURE.INVALID_STATE`: the request was executed already',
  })
  approve(
    @CurrentAdmin() admin: AdminActor,
    @Param('erasureId') erasureId: string,
    @Req() request: Request & { correlationId: string },
  ): Promise<AuditErasure> {
    if (!UUID.test(erasureId)) throw invalid('erasureId', 'must be a UUID');
    return this.erasures.approve(erasureId.toLowerCase(), admin.sub, request.correlationId);
  }

  /** Audit-domain tokens of the subject, in memory only; identifiers are neither stored nor logged. */
  private subjectTokens(subject: unknown): string[] {
    if (typeof subject !== 'object' || subject === null || Array.isArray(subject))
      throw invalid('subject', 'must be an object');
    const unknownKey = Object.keys(subject).find((k) => !SUBJECT_KEYS.includes(k));
    if (unknownKey) throw invalid(`subject.${unknownKey.slice(0, 40)}`, 'is not allowed');
    try {
      return this.auditTokens.subjectTokens(subject as Parameters<Pseudonymiser['subjectTokens']>[0]);
    } catch {
      throw invalid('subject', 'could not be read as subject identifiers');
    }
  }
}
