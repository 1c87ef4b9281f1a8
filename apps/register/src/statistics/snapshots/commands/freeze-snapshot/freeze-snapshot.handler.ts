import { Inject, type LoggerService } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  DEFAULT_MIN_CELL_SIZE,
  REGISTER_CONFIG,
  REGISTER_LOGGER,
  type RegisterConfig,
} from '../../../../register.config.js';
import { STATISTICS_READ_MODEL, type StatisticsReadModel } from '../../../statistics.read-model.js';
import { allFigures, personsOfYear } from '../../../year-figures.js';
import {
  STATISTICS_SNAPSHOT_STORE,
  type StatisticsSnapshotStore,
  type StoredSnapshot,
} from '../../statistics-snapshot.store.js';
import { FreezeSnapshotCommand } from './freeze-snapshot.command.js';

export interface FreezeSnapshotResult {
  created: boolean;
  snapshot: StoredSnapshot;
}

/** A year is frozen once: freezing it again returns the snapshot already published. */
@CommandHandler(FreezeSnapshotCommand)
export class FreezeSnapshotHandler implements ICommandHandler<FreezeSnapshotCommand, FreezeSnapshotResult> {
  constructor(
    @Inject(STATISTICS_READ_MODEL) private readonly readModel: StatisticsReadModel,
    @Inject(STATISTICS_SNAPSHOT_STORE) private readonly snapshots: StatisticsSnapshotStore,
    @Inject(REGISTER_CONFIG) private readonly config: RegisterConfig,
    @Inject(REGISTER_LOGGER) private readonly logger: LoggerService,
  ) {}

  async execute(command: FreezeSnapshotCommand): Promise<FreezeSnapshotResult> {
    const existing = await this.snapshots.find(command.year);
    if (existing) return { created: false, snapshot: existing };
    const minCellSize = this.config.statistics?.minCellSize ?? DEFAULT_MIN_CELL_SIZE;
    const persons = personsOfYear(await this.readModel.recordsOfYear(command.year));
    const result = await this.snapshots.insertIfAbsent({
      year: command.year,
      frozenAt: command.requestedAt.toISOString(),
      frozenBy: command.actor,
      minCellSize,
      figures: allFigures(persons, { minCellSize }),
    });
    if (result.created) {
      this.logger.log(
        {
          message: 'statistics snapshot frozen',
          year: command.year,
          actor: command.actor,
          correlationId: command.correlationId,
        },
        'Statistics',
      );
    }
    return result;
  }
}
