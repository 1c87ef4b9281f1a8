import { ApiProperty } from '@nestjs/swagger';
import type { SnapshotFigures } from '../../../year-figures.js';
import { SnapshotFiguresDto } from '../../queries/get-snapshot/get-snapshot.response.dto.js';
import type { StoredSnapshot } from '../../statistics-snapshot.store.js';

/** A frozen snapshot of a year's published figures. */
export class FreezeSnapshotResponseDto implements StoredSnapshot {
  @ApiProperty({ type: 'integer', example: 2024 })
  year: number;

  @ApiProperty({ format: 'date-time', example: '2025-02-01T09:00:00.000Z' })
  frozenAt: string;

  @ApiProperty({ description: 'the analyst (token subject) who froze it', example: 'analyst-1' })
  frozenBy: string;

  @ApiProperty({ type: 'integer', example: 5 })
  minCellSize: number;

  @ApiProperty({ type: () => SnapshotFiguresDto })
  figures: SnapshotFigures;
}
