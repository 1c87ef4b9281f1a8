import type { Checkpoint } from '@ketenpoort/audit';

export const WITNESS_STORE = Symbol('WITNESS_STORE');

export interface WitnessState {
  checkpoint: Checkpoint;
  cosignature: string;
}

/** The last checkpoint the register cosigned, per log origin; updates serialise per origin. */
export interface WitnessStore {
  last(origin: string): Promise<WitnessState | null>;
  /** Runs `decide` with the current state under a lock; stores what it returns. */
  advance(
    origin: string,
    decide: (current: WitnessState | null) => Promise<WitnessState>,
  ): Promise<WitnessState>;
}
