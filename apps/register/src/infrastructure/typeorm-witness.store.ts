import { DataSource } from 'typeorm';
import type { WitnessState, WitnessStore } from '../witness/witness.store.js';

interface Row {
  origin: string;
  size: string;
  root_hash: string;
  time: Date;
  cosignature: string;
}

const toState = (row: Row): WitnessState => ({
  checkpoint: {
    origin: row.origin,
    size: Number(row.size),
    rootHash: row.root_hash,
    time: new Date(row.time).toISOString(),
  },
  cosignature: row.cosignature,
});

export class TypeOrmWitnessStore implements WitnessStore {
  constructor(private readonly dataSource: DataSource) {}

  async last(origin: string): Promise<WitnessState | null> {
    const rows: Row[] = await this.dataSource.query('SELECT * FROM register_witness WHERE origin = $1', [
      origin,
    ]);
    return rows[0] ? toState(rows[0]) : null;
  }

  advance(
    origin: string,
    decide: (current: WitnessState | null) => Promise<WitnessState>,
  ): Promise<WitnessState> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`witness:${origin}`]);
      const rows: Row[] = await manager.query('SELECT * FROM register_witness WHERE origin = $1', [origin]);
      const next = await decide(rows[0] ? toState(rows[0]) : null);
      await manager.query(
        `INSERT INTO register_witness (origin, size, root_hash, time, checkpoint, cosignature)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (origin) DO UPDATE SET size = $2, root_hash = $3, time = $4, checkpoint = $5, cosignature = $6`,
        [
          origin,
          next.checkpoint.size,
          next.checkpoint.rootHash,
          next.checkpoint.time,
          JSON.stringify(next.checkpoint),
          next.cosignature,
        ],
      );
      return next;
    });
  }
}
