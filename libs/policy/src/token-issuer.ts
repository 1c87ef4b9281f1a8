/** The subject fields a policy hands to the linkage-token issuer: only those it marks `pseudonymise`. */
export interface LinkageInput {
  givenNames?: string;
  familyName?: string;
  birthDate?: string;
  sex?: string;
  documents?: { type: string; country?: string; number: string }[];
}

/**
 * What the evaluator needs to make tokens. `Pseudonymiser` of `@ketenpoort/pseudonymisation` implements it
 * structurally; this library does not import that one, so it never touches key material.
 *
 * @example evaluate(policy, signal, { reporterType: 'police', tokens: pseudonymiser })
 */
export interface TokenIssuer {
  readonly keyVersion: number;
  linkageTokens(subject: LinkageInput): { kind: string; value: string }[];
  caseToken(reference: string): string;
}
