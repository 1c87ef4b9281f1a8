import type { ReporterType, SignalField } from '@ketenpoort/signal-contract';
import type { LegalBasis } from './legal-ground.js';

/** Version of the policy file format this library reads (`format:` in the YAML). */
export const POLICY_FORMAT = 1;

/**
 * How a purpose's ground treats consent: `none` → not needed; `required` → the subject's from 16, a parent's or
 * guardian's under 16 (decided from the birth date in the signal, never from the body's say-so).
 */
export type ConsentRule = 'none' | 'required';

/** The legal ground one reporter type has for one purpose (PRODUCT.md's rule table). */
export interface PurposeGround {
  /** The ground as text, as records and audit entries carry it (rendered from `basis`, or as written in format 1). */
  legalGround: string;
  consent: ConsentRule;
  /** The ground as structured data (GDPR articles, sector route, art. 10 law or authority). */
  basis?: LegalBasis;
}

/** A reporter type that may not use a purpose at all is written `not-permitted`, so no type is forgotten. */
export const NOT_PERMITTED = 'not-permitted';

/** Fields whose values are dates or date-times (the `date` and `month` generalisers apply to them). */
export const DATE_FIELDS = [
  'reportedAt',
  'consent.date',
  'exploitation.startedAt',
  'exploitation.endedAt',
] as const satisfies readonly SignalField[];

/**
 * Generalisers a policy may name: per field they apply to, the output path they write
 * (`date` and `month` replace the value at the field's own path).
 */
export const GENERALISERS = {
  'birth-year': { 'subject.birthDate': 'subject.birthYear' },
  'age-band': { 'subject.birthDate': 'subject.ageBandAtReport' },
  'minor-or-adult': { 'subject.birthDate': 'subject.minorOrAdult' },
  'postcode-area': { 'subject.address.postcode': 'subject.address.postcodeArea' },
  date: Object.fromEntries(DATE_FIELDS.map((field) => [field, field])),
  month: Object.fromEntries(DATE_FIELDS.map((field) => [field, field])),
  region: {
    'subject.nationalities': 'subject.nationalityRegions',
    'exploitation.countries': 'exploitation.countryRegions',
  },
} as const satisfies Record<string, Partial<Record<SignalField, string>>>;
export type Generaliser = keyof typeof GENERALISERS;

/**
 * The output path a generaliser writes for a field, or null when it does not apply to that field.
 *
 * @example generaliserOutput('region', 'subject.nationalities') // 'subject.nationalityRegions'
 */
export function generaliserOutput(to: Generaliser, field: SignalField): string | null {
  return (GENERALISERS[to] as Partial<Record<SignalField, string>>)[field] ?? null;
}

/** Fields `mask` may apply to: free-form strings that are neither direct identifiers nor free text. */
export const MASKABLE_FIELDS: readonly SignalField[] = [
  'subject.address.postcode',
  'exploitation.sector',
  'exploitation.policeUnit',
  'case.reference',
];

/**
 * Derived outputs a purpose may list under `derived:`: computed from fields (or the purpose, or the reporting
 * organisation's configuration), never copied. `from` names the signal fields a value depends on.
 */
export const DERIVED_OUTPUTS = {
  /** Whole years at the report date; the lower bound when a partial birth date allows two (flag `age-uncertain`). */
  'age-at-report': { from: ['subject.birthDate', 'reportedAt'], output: 'subject.ageAtReport' },
  /** true under 18; true with flag `minor-uncertain` when a partial birth date straddles 18 (benefit of the doubt). */
  minor: { from: ['subject.birthDate', 'reportedAt'], output: 'subject.minor' },
  /** `domestic` when exploitation.countries is exactly [NL], otherwise `cross-border`. */
  'cross-border': { from: ['exploitation.countries'], output: 'exploitation.scope' },
  /** The purpose's dossier type. */
  'dossier-type': { from: [], output: 'dossierType' },
  /** The reporting organisation's contact point from its configuration (`EvaluationContext.reporter`). */
  'contact-point': { from: [], output: 'contact.point' },
} as const satisfies Record<string, { from: readonly SignalField[]; output: string }>;
export type DerivedOutput = keyof typeof DERIVED_OUTPUTS;

/** Categories a field can carry; the linter ties each to the grounds that may release it. */
export const FIELD_CATEGORIES = ['special-category', 'criminal-offence'] as const;
export type FieldCategory = (typeof FIELD_CATEGORIES)[number];

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
  /** Keeps the first and last characters, replaces the others with `*`; never on direct identifiers. */
  | { action: 'mask'; first: number; last: number }
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
  /** Derived outputs the purpose releases (absent: none). */
  derived?: readonly DerivedOutput[];
  /** Line of the purpose in the policy file (for explanations). */
  line: number;
  /** Lines of each field rule, ground and the derived list in the policy file (for linter messages). */
  lines?: {
    fields: Readonly<Partial<Record<SignalField, number>>>;
    grounds: Readonly<Partial<Record<ReporterType, number>>>;
    derived?: number;
  };
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
  /**
   * Categories per field: the defaults (health notes are special-category data) plus what the policy's
   * `categories:` marks. Absent on hand-built policies: the defaults apply.
   */
  categories?: Readonly<Partial<Record<SignalField, readonly FieldCategory[]>>>;
}
