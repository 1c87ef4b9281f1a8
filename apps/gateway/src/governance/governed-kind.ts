export type { GovernedKind, GovernedStatus } from '@ketenpoort/persistence';

/** URL segment → kind. */
export const KIND_BY_SEGMENT = { policies: 'policy', partners: 'partners' } as const;
