import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { RegisterError } from '../../../common/register.error.js';
import { ACCESS_LOG, STEWARD_ROLE, type AccessLog } from '../../access-log.js';
import { STEWARD_READ_MODEL, type StewardReadModel } from '../../steward.read-model.js';
import { GetPersonQuery } from './get-person.query.js';
import type { GetPersonResponseDto } from './get-person.response.dto.js';

/** Every read is logged, found or not, before anything is answered. */
@QueryHandler(GetPersonQuery)
export class GetPersonHandler implements IQueryHandler<GetPersonQuery, GetPersonResponseDto> {
  constructor(
    @Inject(STEWARD_READ_MODEL) private readonly readModel: StewardReadModel,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  async execute(query: GetPersonQuery): Promise<GetPersonResponseDto> {
    const records = await this.readModel.personRecords(query.personId);
    await this.accessLog.record({
      accessedAt: query.requestedAt,
      subject: query.actor,
      role: STEWARD_ROLE,
      action: 'read-person',
      targetType: 'person',
      targetId: query.personId,
      outcome: records ? 'granted' : 'not-found',
    });
    if (!records) throw new RegisterError('NOT_FOUND', 'no such person');
    return { personId: query.personId, records };
  }
}
