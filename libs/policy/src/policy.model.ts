import type { ReporterType, SignalField } from '@ketenpoort/signal-contract';

/** Version of the policy file format this library reads (`format:` in the YAML). */
export const POLICY_FORMAT = 1;

/** How a purpose's ground treats consent: `none` → not needed, `required` → the subject (or guardian) must give it. */
export type ConsentRule = 'none' | 'required';

/** The legal ground one reporter type has for one purpose (PRODUCT.md's rule table). */
export interface PurposeGround {
  legalGround: string;
  consent: ConsentRule;
}

/** A reporter type that may not use a purpose at all is written `not-permitted`, so no type is forgotten. */
export const NOT_PERMITTED = 'not-permitted';

/** Generalisers a policy may name, each with the fields it applies to and the output path it writes. */
export const GENERALISERS = {
  'birth-year': { fields: ['subject.birthDate'], output: 'subject.birthYear' },
  'age-band': { fields: ['subject.birthDate'], output: 'subject.ageBandAtReport' },
} as const satisfies Record<string, { fields: readonly SignalField[]; output: string }>;
export type Generaliser = keyof typeof GENERALISERS;

/**
 * Subject fields a bare `pseudonymise` hands to the token issuer as input to the linkage tokens.
 * Only the fields a purpose marks this way reach the issuer.
 */
export const LINKAGE_INPUT_FIELDS: readonly SignalField[] = [
  'subject.givenNames',
  'subject.familyName',
  'subject.birthDate',
  'subject.sex',
  'subject.documents[].type',
  'subject.documents[].country',
  'subject.documents[].number',
];

/** Single-field token kinds (`{ pseudonymise: <kind> }`) and the field each may be applied to. */
export const SINGLE_FIELD_TOKEN_KINDS = {
  case: ['case.reference'],
} as const satisfies Record<string, readonly SignalField[]>;
export type SingleFieldTokenKind = keyof typeof SINGLE_FIELD_TOKEN_KINDS;

/** Output path of a bare `pseudonymise` (linkage input) and of a single-field token, in field decisions. */
export const LINKAGE_OUTPUT = 'tokens.linkage';
export const tokenOutput = (kind: SingleFieldTokenKind): string => `tokens.${kind}`;

/** One output of a field under a purpose. A field may have several; `drop` stands alone. */
export type FieldOutput =
  | { action: 'forward' }
  | { action: 'pseudonymise'; kind?: SingleFieldTokenKind }
  | { action: 'generalise'; to: Generaliser }
  | { action: 'drop' };

/** One purpose of a policy: who may use it on which ground, and per field what leaves. */
export interface PurposePolicy {
  id: string;
  description: string;
  /** Reference into the register of processing activities (GDPR art. 30). */
  processingActivity: string;
  dossierType: string;
  /** ISO 8601 duration (years, months, weeks, days) the destination keeps a record, counted from reportedAt. */
  retention: string;
  /** Per reporter type: its ground, or `not-permitted`. Every reporter type is listed. */
  grounds: Readonly<Record<ReporterType, PurposeGround | typeof NOT_PERMITTED>>;
  /** Only the fields the policy names; any other field is dropped. */
  fields: Readonly<Partial<Record<SignalField, readonly FieldOutput[]>>>;
  /** Line of the purpose in the policy file (for explanations). */
  line: number;
}

/** A loaded, validated field policy for one destination. Deeply frozen. */
export interface Policy {
  /** Hex SHA-256 of the RFC 8785 canonical JSON of the parsed document: comments and layout do not count. */
  version: string;
  format: typeof POLICY_FORMAT;
  destination: string;
  /** The file path (or label) the policy was read from. */
  source: string;
  /** Age band edges in years, ascending, the first one 18: [18, 23] → 'minor', '18-22', '23+'. */
  ageBands: readonly number[];
  purposes: readonly PurposePolicy[];
}
