import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AdminActor } from '../../../admin/admin-actor.js';
import { AdminAuthGuard, CurrentAdmin, Roles } from '../../../admin/admin-auth.guard.js';
import { OnListener } from '../../../common/listener.js';
import { ADMIN_ERRORS, ApiErrors } from '../../../openapi/api-errors.decorator.js';
import { parseSubjectLookupRequest } from './subject-lookup.request.js';
import { SubjectLookupRateLimiter } from './subject-lookup.rate-limiter.js';
import { SubjectLookupService } from './subject-lookup.service.js';
import { SubjectLookupRequestDto } from './subject-lookup.request.dto.js';
import { SubjectLookupResponseDto } from './subject-lookup.response.dto.js';

/** `POST /v1/admin/audit/subject-lookup`: privacy officers only, limited to the token's partner scope. */
@Controller('v1/admin/audit')
@OnListener('admin')
@UseGuards(AdminAuthGuard)
@ApiTags('admin: audit')
@ApiBearerAuth('bearer')
export class SubjectLookupHttpController {
  constructor(
    private readonly limiter: SubjectLookupRateLimiter,
    private readonly lookups: SubjectLookupService,
  ) {}

  @Post('subject-lookup')
  @HttpCode(200)
  @Roles('privacy-officer')
  @ApiOperation({
    summary: 'everything the log holds about one person (role privacy-officer; the identifiers are not kept)',
  })
  @ApiBody({ type: SubjectLookupRequestDto })
  @ApiOkResponse({ type: SubjectLookupResponseDto })
  @ApiErrors({
    ...ADMIN_ERRORS,
    400: '`AUDIT.LOOKUP_INVALID`: a field is missing, unknown or malformed (`details` name it, never its value)',
    429: '`AUDIT.LOOKUP_RATE_LIMITED`: too many lookups by this officer; retry later',
  })
  lookup(
    @Body() body: unknown,
    @CurrentAdmin() actor: AdminActor,
    @Req() request: Request & { correlationId: string },
  ) {
    this.limiter.take(actor.sub);
    return this.lookups.lookup(parseSubjectLookupRequest(body), actor, request.correlationId);
  }
}
