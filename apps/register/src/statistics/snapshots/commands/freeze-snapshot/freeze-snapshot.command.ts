import { Command } from '@nestjs/cqrs';
import type { FreezeSnapshotResult } from './freeze-snapshot.handler.js';

/** Freeze a year's figures (every breakdown, both rules) as the published snapshot. */
export class FreezeSnapshotCommand extends Command<FreezeSnapshotResult> {
  constructor(
    readonly year: number,
    /** The analyst's token subject. */
    readonly actor: string,
    readonly correlationId: string,
    readonly requestedAt: Date,
  ) {
    super();
    Object.freeze(this);
  }
}
