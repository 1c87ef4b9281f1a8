import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { RegisterError } from '../../../../common/register.error.js';
import { DEFAULT_MIN_CELL_SIZE, REGISTER_CONFIG, type RegisterConfig } from '../../../../register.config.js';
import { STATISTICS_READ_MODEL, type StatisticsReadModel } from '../../../statistics.read-model.js';
import { allFigures, personsOfYear, revisions } from '../../../year-figures.js';
import { STATISTICS_SNAPSHOT_STORE, type StatisticsSnapshotStore } from '../../statistics-snapshot.store.js';
import { GetSnapshotQuery } from './get-snapshot.query.js';
import type { GetSnapshotResponseDto } from './get-snapshot.response.dto.js';

@QueryHandler(GetSnapshotQuery)
export class GetSnapshotHandler implements IQueryHandler<GetSnapshotQuery, GetSnapshotResponseDto> {
  constructor(
    @Inject(STATISTICS_READ_MODEL) private readonly readModel: StatisticsReadModel,
    @Inject(STATISTICS_SNAPSHOT_STORE) private readonly snapshots: StatisticsSnapshotStore,
    @Inject(REGISTER_CONFIG) private readonly config: RegisterConfig,
  ) {}

  async execute(query: GetSnapshotQuery): Promise<GetSnapshotResponseDto> {
    const snapshot = await this.snapshots.find(query.year);
    if (!snapshot) throw new RegisterError('NOT_FOUND', 'no snapshot of this year');
    const minCellSize = this.config.statistics?.minCellSize ?? DEFAULT_MIN_CELL_SIZE;
    const persons = personsOfYear(await this.readModel.recordsOfYear(query.year));
    // The same live cells GET /v1/statistics publishes for a frozen year: protected against the snapshot.
    const live = allFigures(persons, { minCellSize, snapshot: snapshot.figures });
    const moved = revisions(snapshot.figures, live);
    return { ...snapshot, live: { totals: live.totals }, revised: moved.length > 0, revisions: moved };
  }
}
