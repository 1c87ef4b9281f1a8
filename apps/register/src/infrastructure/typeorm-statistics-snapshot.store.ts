import { DataSource } from 'typeorm';
import type {
  StatisticsSnapshotStore,
  StoredSnapshot,
} from '../statistics/snapshots/statistics-snapshot.store.js';
import type { SnapshotFigures } from '../statistics/year-figures.js';

interface SnapshotRow {
  year: number;
  frozen_at: Date | string;
  frozen_by: string;
  min_cell_size: number;
  figures: SnapshotFigures;
}

const toSnapshot = (row: SnapshotRow): StoredSnapshot => ({
  year: row.year,
  frozenAt: new Date(row.frozen_at).toISOString(),
  frozenBy: row.frozen_by,
  minCellSize: row.min_cell_size,
  figures: row.figures,
});

/** `register_statistics_snapshot`: one row per frozen year, figures as published (after suppression). */
export class TypeOrmStatisticsSnapshotStore implements StatisticsSnapshotStore {
  constructor(private readonly dataSource: DataSource) {}

  async find(year: number): Promise<StoredSnapshot | null> {
    const rows: SnapshotRow[] = await this.dataSource.query(
      `SELECT year, frozen_at, frozen_by, min_cell_size, figures FROM register_statistics_snapshot WHERE year = $1`,
      [year],
    );
    return rows.length ? toSnapshot(rows[0]) : null;
  }

  async insertIfAbsent(snapshot: StoredSnapshot): Promise<{ created: boolean; snapshot: StoredSnapshot }> {
    const inserted: SnapshotRow[] = await this.dataSource.query(
      `INSERT INTO register_statistics_snapshot (year, frozen_at, frozen_by, min_cell_size, figures)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (year) DO NOTHING
       RETURNING year, frozen_at, frozen_by, min_cell_size, figures`,
      [
        snapshot.year,
        snapshot.frozenAt,
        snapshot.frozenBy,
        snapshot.minCellSize,
        JSON.stringify(snapshot.figures),
      ],
    );
    if (inserted.length) return { created: true, snapshot: toSnapshot(inserted[0]) };
    const existing = await this.find(snapshot.year);
    if (!existing) throw new Error('snapshot neither inserted nor found');
    return { created: false, snapshot: existing };
  }
}
