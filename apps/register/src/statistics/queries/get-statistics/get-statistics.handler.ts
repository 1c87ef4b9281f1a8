import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DEFAULT_MIN_CELL_SIZE, REGISTER_CONFIG, type RegisterConfig } from '../../../register.config.js';
import {
  STATISTICS_SNAPSHOT_STORE,
  type StatisticsSnapshotStore,
} from '../../snapshots/statistics-snapshot.store.js';
import { STATISTICS_READ_MODEL, type StatisticsReadModel } from '../../statistics.read-model.js';
import { breakdownFigures, personsOfYear } from '../../year-figures.js';
import { GetStatisticsQuery } from './get-statistics.query.js';
import type { GetStatisticsResponseDto } from './get-statistics.response.dto.js';

const OVERLAP_NOTE =
  'a person falls in every category that any of their reports of the year names: the cells add up to more than persons';

@QueryHandler(GetStatisticsQuery)
export class GetStatisticsHandler implements IQueryHandler<GetStatisticsQuery, GetStatisticsResponseDto> {
  constructor(
    @Inject(STATISTICS_READ_MODEL) private readonly readModel: StatisticsReadModel,
    @Inject(STATISTICS_SNAPSHOT_STORE) private readonly snapshots: StatisticsSnapshotStore,
    @Inject(REGISTER_CONFIG) private readonly config: RegisterConfig,
  ) {}

  async execute(query: GetStatisticsQuery): Promise<GetStatisticsResponseDto> {
    if (!query.breakdown) {
      const persons = await this.readModel.countPersons(query.year, query.rule);
      return { year: query.year, rule: query.rule, persons };
    }
    const minCellSize = this.config.statistics?.minCellSize ?? DEFAULT_MIN_CELL_SIZE;
    const persons = personsOfYear(await this.readModel.recordsOfYear(query.year));
    // A frozen year's live cells are protected against the snapshot too (small movements stay hidden).
    const snapshot = await this.snapshots.find(query.year);
    const pair = breakdownFigures(persons, query.breakdown, { minCellSize, snapshot: snapshot?.figures });
    const table = pair[query.rule];
    return {
      year: query.year,
      rule: query.rule,
      persons: persons.filter((p) => p.counts[query.rule]).length,
      breakdown: query.breakdown,
      minCellSize,
      cellsOverlap: table.cellsOverlap,
      withheld: table.withheld,
      ...(table.cellsOverlap ? { note: OVERLAP_NOTE } : {}),
      cells: table.cells,
    };
  }
}
