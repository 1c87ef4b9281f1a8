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
import {
  buildConsistencyProof,
  buildInclusionProof,
  readNodesFromStrata,
  type AuditKeys,
} from '@ketenpoort/audit';
import { Inject } from '@nestjs/common';
import { AdminAuthGuard, Roles } from '../../admin/admin-auth.guard.js';
import { GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';
import { ADMIN_ERRORS, ApiErrors } from '../../openapi/api-errors.decorator.js';
import { AuditCheckpointStore } from '../infrastructure/audit-checkpoint.store.js';
import { AuditLog, NODE_STRIDE } from '../infrastructure/audit-log.repository.js';
import {
  AuditKeysResponseDto,
  CheckpointResponseDto,
  ConsistencyProofResponseDto,
  ExportedCheckpointDto,
  ExportedEntryLineDto,
  InclusionProofResponseDto,
} from './audit-proofs.response.dto.js';

const WHOLE_NUMBER = { type: 'integer', minimum: 0 } as const;
const BAD_RANGE = '`HTTP.BAD_REQUEST`: not whole numbers ≥ 0, out of order, or beyond the log';

function nonNegative(value: string | undefined, name: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < 0) {
    throw new GatewayError('HTTP.BAD_REQUEST', `${name} must be a whole number ≥ 0`);
  }
  return n;
}

/**
 * Proofs and export for privacy officers and auditors: checkpoints, inclusion and consistency proofs, and
 * the whole log as plain lines for `ketenpoort audit export` / offline `audit verify`.
 */
@Controller('v1/admin/audit')
@OnListener('admin')
@UseGuards(AdminAuthGuard)
@Roles('privacy-officer', 'auditor')
@ApiTags('admin: audit')
@ApiBearerAuth('bearer')
@ApiErrors(ADMIN_ERRORS)
@ApiExtraModels(ExportedEntryLineDto)
export class AuditProofsHttpController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly auditLog: AuditLog,
    private readonly checkpoints: AuditCheckpointStore,
  ) {}

  private reader() {
    return (ids: Parameters<ReturnType<AuditLog['nodeReader']>>[0]) =>
      readNodesFromStrata(ids, this.auditLog.nodeReader(), NODE_STRIDE);
  }

  @Get('checkpoints/latest')
  @ApiOperation({ summary: 'the latest signed checkpoint (roles privacy-officer, auditor)' })
  @ApiOkResponse({ type: CheckpointResponseDto })
  @ApiErrors({ 404: '`GOVERNANCE.NOT_FOUND`: no checkpoint yet' })
  async latest() {
    const row = await this.checkpoints.latest();
    if (!row) throw new GatewayError('GOVERNANCE.NOT_FOUND', 'no checkpoint yet');
    return {
      size: row.size,
      rootHash: row.rootHash,
      time: row.time.toISOString(),
      checkpoint: row.jws,
      cosignatures: row.cosignatures,
    };
  }

  @Get('proofs/inclusion')
  @ApiOperation({ summary: 'inclusion proof of one entry in a log of a given size' })
  @ApiQuery({ name: 'index', schema: WHOLE_NUMBER, example: 41 })
  @ApiQuery({ name: 'size', schema: WHOLE_NUMBER, example: 128 })
  @ApiOkResponse({ type: InclusionProofResponseDto })
  @ApiErrors({ 400: BAD_RANGE })
  async inclusion(@Query('index') index: string, @Query('size') size: string) {
    const i = nonNegative(index, 'index');
    const n = nonNegative(size, 'size');
    await this.assertSizeKnown(n);
    if (i >= n) throw new GatewayError('HTTP.BAD_REQUEST', 'index must be smaller than size');
    const proof = await buildInclusionProof(i, n, this.reader());
    return { index: i, size: n, proof: proof.map((h) => h.toString('base64')) };
  }

  @Get('proofs/consistency')
  @ApiOperation({ summary: 'consistency proof between two sizes of the log' })
  @ApiQuery({ name: 'from', schema: WHOLE_NUMBER, example: 64 })
  @ApiQuery({ name: 'to', schema: WHOLE_NUMBER, example: 128 })
  @ApiOkResponse({ type: ConsistencyProofResponseDto })
  @ApiErrors({ 400: BAD_RANGE })
  async consistency(@Query('from') from: string, @Query('to') to: string) {
    const m = nonNegative(from, 'from');
    const n = nonNegative(to, 'to');
    await this.assertSizeKnown(n);
    if (m > n) throw new GatewayError('HTTP.BAD_REQUEST', 'from must not exceed to');
    const proof = await buildConsistencyProof(m, n, this.reader());
    return { from: m, to: n, proof: proof.map((h) => h.toString('base64')) };
  }

  @Get('keys')
  @ApiOperation({ summary: 'the public keys of signers and witnesses, for offline verification' })
  @ApiOkResponse({ type: AuditKeysResponseDto })
  keys(): AuditKeys {
    return { signers: this.config.audit.jwks, witnesses: this.config.register.receiptJwks };
  }

  @Get('export/checkpoints')
  @ApiOperation({ summary: 'every checkpoint with its cosignatures' })
  @ApiOkResponse({ type: ExportedCheckpointDto, isArray: true })
  async exportCheckpoints() {
    return (await this.checkpoints.all()).map((c) => ({ checkpoint: c.jws, cosignatures: c.cosignatures }));
  }

  /** NDJSON, one export line per entry, streamed page by page (constant memory). */
  @Get('export/entries')
  @ApiOperation({ summary: 'the whole log as NDJSON, one line per entry (for `ketenpoort audit verify`)' })
  @ApiOkResponse({
    description: 'NDJSON, streamed; each line:',
    content: { 'application/x-ndjson': { schema: { $ref: getSchemaPath(ExportedEntryLineDto) } } },
  })
  async exportEntries(@Res() response: Response): Promise<void> {
    response.status(200).type('application/x-ndjson');
    for await (const row of this.auditLog.entries()) {
      const commitments =
        (JSON.parse(row.entry) as { subjectCommitments?: string[] }).subjectCommitments ?? [];
      const openings = commitments.map((_, position) => {
        const o = row.openings.find((x) => x.position === position);
        return o ? { token: o.token, salt: o.salt } : null;
      });
      let line = `{"index":${row.idx},"leafHash":${JSON.stringify(row.leafHash.toString('base64'))}`;
      if (openings.length) line += `,"openings":${JSON.stringify(openings)}`;
      if (!response.write(`${line},"entry":${row.entry}}\n`))
        await new Promise((r) => response.once('drain', r));
    }
    response.end();
  }

  private async assertSizeKnown(size: number): Promise<void> {
    const frontier = await this.auditLog.frontier();
    if (size > frontier.size) throw new GatewayError('HTTP.BAD_REQUEST', 'size exceeds the log');
  }
}
