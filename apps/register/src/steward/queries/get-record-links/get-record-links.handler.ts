import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { RegisterError } from '../../../common/register.error.js';
import { ACCESS_LOG, STEWARD_ROLE, type AccessLog } from '../../access-log.js';
import { STEWARD_READ_MODEL, type StewardReadModel } from '../../steward.read-model.js';
import { GetRecordLinksQuery } from './get-record-links.query.js';
import type { GetRecordLinksResponseDto } from './get-record-links.response.dto.js';

/** Every read is logged, found or not, before anything is answered. */
@QueryHandler(GetRecordLinksQuery)
export class GetRecordLinksHandler implements IQueryHandler<GetRecordLinksQuery, GetRecordLinksResponseDto> {
  constructor(
    @Inject(STEWARD_READ_MODEL) private readonly readModel: StewardReadModel,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  async execute(query: GetRecordLinksQuery): Promise<GetRecordLinksResponseDto> {
    const links = await this.readModel.recordLinks(query.recordId);
    await this.accessLog.record({
      accessedAt: query.requestedAt,
      subject: query.actor,
      role: STEWARD_ROLE,
      action: 'read-record-links',
      targetType: 'record',
      targetId: query.recordId,
      outcome: links ? 'granted' : 'not-found',
    });
    if (!links) throw new RegisterError('NOT_FOUND', 'no such record');
    return links;
  }
}
