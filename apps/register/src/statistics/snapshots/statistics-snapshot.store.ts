import type { SnapshotFigures } from '../year-figures.js';

/** A year's figures as published when it was frozen. */
export interface StoredSnapshot {
  year: number;
  frozenAt: string;
  /** The analyst (token subject) who froze it. */
  frozenBy: string;
  minCellSize: number;
  figures: SnapshotFigures;
}

/** Port to the published snapshots; infrastructure/ implements it. */
export interface StatisticsSnapshotStore {
  find(year: number): Promise<StoredSnapshot | null>;
  /** Stores the snapshot unless the year is frozen already; returns the stored one and whether it is new. */
  insertIfAbsent(snapshot: StoredSnapshot): Promise<{ created: boolean; snapshot: StoredSnapshot }>;
}

export const STATISTICS_SNAPSHOT_STORE = Symbol('STATISTICS_SNAPSHOT_STORE');
