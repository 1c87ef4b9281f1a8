import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import type { AdminActor } from '../../../admin/admin-actor.js';
import { AdminAuthGuard, CurrentAdmin, Roles } from '../../../admin/admin-auth.guard.js';
import { OnListener } from '../../../common/listener.js';
import { parseSubjectLookupRequest } from './subject-lookup.request.js';
import { SubjectLookupRateLimiter } from './subject-lookup.rate-limiter.js';
import { SubjectLookupService } from './subject-lookup.service.js';

/** `POST /v1/admin/audit/subject-lookup`: privacy officers only, limited to the token's partner scope. */
@Controller('v1/admin/audit')
@OnListener('admin')
@UseGuards(AdminAuthGuard)
export class SubjectLookupHttpController {
  constructor(
    private readonly limiter: SubjectLookupRateLimiter,
    private readonly lookups: SubjectLookupService,
  ) {}

  @Post('subject-lookup')
  @HttpCode(200)
  @Roles('privacy-officer')
  lookup(
    @Body() body: unknown,
    @CurrentAdmin() actor: AdminActor,
    @Req() request: Request & { correlationId: string },
  ) {
    this.limiter.take(actor.sub);
    return this.lookups.lookup(parseSubjectLookupRequest(body), actor, request.correlationId);
  }
}
