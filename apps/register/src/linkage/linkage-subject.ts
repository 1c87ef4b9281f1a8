import type { LinkageToken } from '@ketenpoort/signal-contract';

/** What linkage may look at of one record: its tokens and the released subject attributes. */
export interface LinkageSubject {
  recordId: string;
  tokens: readonly LinkageToken[];
  birthYear: number | null;
  /** `female | male | other | unknown`; null when not released. */
  sex: string | null;
  birthDateEstimated: boolean;
}
