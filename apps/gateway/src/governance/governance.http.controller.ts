import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
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
import type { AdminActor } from '../admin/admin-actor.js';
import { AdminAuthGuard, CurrentAdmin, Roles } from '../admin/admin-auth.guard.js';
import { GatewayError } from '../common/gateway-error.js';
import { ADMIN_ERRORS, ApiErrors } from '../openapi/api-errors.decorator.js';
import { OnListener } from '../common/listener.js';
import { RequestValidationPipe } from '../common/request-validation.pipe.js';
import { ActiveConfiguration } from './active-configuration.js';
import { DecideVersionCommand } from './commands/decide-version/decide-version.command.js';
import { DecideVersionRequestDto } from './commands/decide-version/decide-version.request.dto.js';
import { ProposeVersionCommand } from './commands/propose-version/propose-version.command.js';
import { ProposeVersionRequestDto } from './commands/propose-version/propose-version.request.dto.js';
import type { Decision } from './governance.service.js';
import { diffPartnersDocuments } from './governed-document.js';
import { KIND_BY_SEGMENT, type GovernedKind } from './governed-kind.js';
import {
  GovernanceStatusResponseDto,
  GovernedVersionDto,
  GovernedVersionSummaryDto,
  ProposeVersionResponseDto,
} from './governed-version.response.dto.js';
import {
  GovernedVersionRepository,
  type GovernedVersion,
} from './infrastructure/governed-version.repository.js';

const VERSION = /^[0-9a-f]{64}$/;
const KIND_PARAM = {
  name: 'kind',
  enum: Object.keys(KIND_BY_SEGMENT),
  description: 'policies or the partner table',
};
const VERSION_PARAM = {
  name: 'version',
  description: 'a version hash (64 hex characters)',
  example: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592',
};

function kindOf(segment: string): GovernedKind {
  const kind = KIND_BY_SEGMENT[segment as keyof typeof KIND_BY_SEGMENT];
  if (!kind) throw new GatewayError('HTTP.NOT_FOUND', 'not found');
  return kind;
}

/** The body fields of a proposal per kind; the other kind's fields are refused, not ignored. */
const PROPOSAL_FIELDS: Record<GovernedKind, readonly (keyof ProposeVersionRequestDto)[]> = {
  policy: ['content'],
  partners: ['partnersYaml', 'caCertificates'],
};

/** The proposed document of a validated body, or a 400 naming the fields that are missing or misplaced. */
function proposedContent(kind: GovernedKind, body: ProposeVersionRequestDto): string {
  const expected = PROPOSAL_FIELDS[kind];
  const misplaced = (Object.keys(PROPOSAL_FIELDS) as GovernedKind[])
    .filter((other) => other !== kind)
    .flatMap((other) => PROPOSAL_FIELDS[other])
    .filter((field) => body[field] !== undefined);
  if (misplaced.length) {
    const reason =
      kind === 'policy'
        ? 'is not a field of a policy proposal'
        : 'is not a field of a partner table proposal';
    throw new GatewayError(
      'REQUEST.INVALID',
      'the request body does not match',
      misplaced.map((path) => ({ path, reasons: [reason] })),
    );
  }
  const missing = expected.filter((field) => body[field] === undefined);
  if (missing.length) {
    throw new GatewayError(
      'GOVERNANCE.INVALID_DOCUMENT',
      'send `content` (policy YAML) or `partnersYaml` and `caCertificates`',
      missing.map((path) => ({ path, reasons: ['is required'] })),
    );
  }
  return kind === 'policy'
    ? (body.content as string)
    : JSON.stringify({ partnersYaml: body.partnersYaml, caCertificates: body.caCertificates });
}

function summary(row: GovernedVersion, withContent = false) {
  const { content, ...rest } = row;
  return withContent ? { ...rest, content } : rest;
}

/** Admin API for governed versions: `/v1/admin/policies…` and `/v1/admin/partners…`. */
@Controller('v1/admin')
@OnListener('admin')
@UseGuards(AdminAuthGuard)
@ApiTags('admin: policies')
@ApiBearerAuth('bearer')
@ApiErrors(ADMIN_ERRORS)
export class GovernanceHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly versions: GovernedVersionRepository,
    private readonly active: ActiveConfiguration,
  ) {}

  @Get('status')
  @Roles('integrator', 'privacy-officer', 'auditor')
  @ApiOperation({ summary: 'the versions this instance enforces, and what every instance last reported' })
  @ApiOkResponse({ type: GovernanceStatusResponseDto })
  async status() {
    return { enforced: this.active.versionsEnforced(), instances: await this.versions.instances() };
  }

  @Get(':kind')
  @Roles('integrator', 'privacy-officer', 'auditor')
  @ApiOperation({ summary: 'the versions of policies or partner tables' })
  @ApiParam(KIND_PARAM)
  @ApiOkResponse({ type: GovernedVersionSummaryDto, isArray: true })
  @ApiErrors({ 404: '`HTTP.NOT_FOUND`: no such kind' })
  async list(@Param('kind') segment: string) {
    return (await this.versions.list(kindOf(segment))).map((row) => summary(row));
  }

  @Get(':kind/:version')
  @Roles('integrator', 'privacy-officer', 'auditor')
  @ApiOperation({ summary: 'one version with its content (a partner table also with its changes)' })
  @ApiParam(KIND_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiOkResponse({ type: GovernedVersionDto })
  @ApiErrors({ 404: '`HTTP.NOT_FOUND`, `GOVERNANCE.NOT_FOUND`: no such kind or version' })
  async get(@Param('kind') segment: string, @Param('version') version: string) {
    const kind = kindOf(segment);
    const row = VERSION.test(version) ? await this.versions.find(kind, version) : null;
    if (!row) throw new GatewayError('GOVERNANCE.NOT_FOUND', 'no such version');
    if (kind !== 'partners') return summary(row, true);
    // What the reviewer approves: each partner's changes (rate limit included) against the active table.
    const active = await this.versions.findByStatus('partners', 'active');
    return {
      ...summary(row, true),
      diffAgainstActive: active ? diffPartnersDocuments(active.content, row.content) : null,
    };
  }

  @Post(':kind')
  @Roles('integrator')
  @ApiOperation({
    summary: 'propose a version (role integrator); it is enforced only after approval by another person',
  })
  @ApiParam(KIND_PARAM)
  @ApiCreatedResponse({ type: ProposeVersionResponseDto })
  @ApiErrors({
    400: "`REQUEST.INVALID`: a field is unknown, of the wrong type or the other kind's (`details` name the fields); `GOVERNANCE.INVALID_DOCUMENT`: missing, unreadable or failing the linter",
    404: '`HTTP.NOT_FOUND`: no such kind',
  })
  async propose(
    @Param('kind') segment: string,
    @Body(new RequestValidationPipe()) body: ProposeVersionRequestDto,
    @CurrentAdmin() actor: AdminActor,
    @Req() request: Request & { correlationId: string },
  ) {
    const kind = kindOf(segment);
    const content = proposedContent(kind, body);
    return this.commandBus.execute(new ProposeVersionCommand(request.correlationId, actor, kind, content));
  }

  @Post(':kind/:version/:decision')
  @HttpCode(200)
  @Roles('integrator', 'privacy-officer')
  @ApiOperation({ summary: 'approve, reject or shadow a version (four eyes: never by its author)' })
  @ApiParam(KIND_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiParam({ name: 'decision', enum: ['approve', 'reject', 'shadow'] })
  @ApiBody({ type: DecideVersionRequestDto, required: false })
  @ApiOkResponse({ type: GovernedVersionSummaryDto, description: 'the version after the decision' })
  @ApiErrors({
    400: '`REQUEST.INVALID`: the body has an unknown field, or `note` is not a string of at most 500 characters',
    403: '`AUTH.ROLE_MISSING`; `GOVERNANCE.FOUR_EYES`: the author of a version cannot approve it',
    404: '`HTTP.NOT_FOUND`, `GOVERNANCE.NOT_FOUND`: no such kind, version or decision',
    409: "`GOVERNANCE.INVALID_TRANSITION`: not possible from the version's status",
  })
  async decide(
    @Param('kind') segment: string,
    @Param('version') version: string,
    @Param('decision') decision: string,
    @Body(new RequestValidationPipe()) body: DecideVersionRequestDto,
    @CurrentAdmin() actor: AdminActor,
    @Req() request: Request & { correlationId: string },
  ) {
    if (!['approve', 'reject', 'shadow'].includes(decision) || !VERSION.test(version)) {
      throw new GatewayError('HTTP.NOT_FOUND', 'not found');
    }
    const row: GovernedVersion = await this.commandBus.execute(
      new DecideVersionCommand(
        request.correlationId,
        actor,
        kindOf(segment),
        version,
        decision as Decision,
        body.note,
      ),
    );
    return summary(row);
  }
}
