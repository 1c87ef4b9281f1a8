import { getMetadataStorage, ValidationTypes } from 'class-validator';
import {
  CONSENT_GIVERS,
  CONSENT_STATUSES,
  DOCUMENT_TYPES,
  EXPLOITATION_FORMS,
  RESIDENCE_STATUSES,
  SEXES,
} from './signal.enums.js';
import {
  AddressDto,
  CaseDto,
  ConsentDto,
  ExploitationDto,
  IdentityDocumentDto,
  OfficerDto,
  SignalV1Dto,
  SituationDto,
  SubjectDto,
} from './signal.v1.dto.js';

/**
 * How one property of a contract DTO is documented: a subset of an OpenAPI schema object, kept here as plain
 * data so that the contract needs no HTTP library (the apps turn it into `@ApiProperty` metadata).
 */
export interface ContractPropertyDoc {
  description: string;
  /** A fictional value, never real personal data (nested objects have none: their properties have). */
  example?: unknown;
  /** JSON type, or the nested DTO class (lazily, as classes refer to each other). */
  type: 'string' | 'boolean' | 'integer' | 'number' | (() => new () => object);
  isArray?: boolean;
  enum?: readonly string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

/** A documented property as handed to the app's decorator factory: `required` comes from the validators. */
export type ContractPropertyOptions = ContractPropertyDoc & { required: boolean };

type ContractDocs<T> = { readonly [K in keyof Required<T>]: ContractPropertyDoc };

const entry = <T>(type: new () => T, docs: ContractDocs<T>) => ({ type, docs }) as const;

const PARTIAL_DATE = 'a date `YYYY-MM-DD`, or `YYYY-MM` or `YYYY` when only that much is known';
const COUNTRY = 'ISO 3166-1 alpha-2 country code';
const SLUG = '^[a-z0-9][a-z0-9-]{0,63}$';

/** The documentation of every signal v1 DTO, property by property (PRODUCT.md "The signal (v1)"). */
export const SIGNAL_V1_DOCS = [
  entry(ConsentDto, {
    status: {
      type: 'string',
      enum: CONSENT_STATUSES,
      description: 'whether consent was given',
      example: 'given',
    },
    by: {
      type: 'string',
      enum: CONSENT_GIVERS,
      description: 'who gave it: the subject from age 16, a parent or guardian below',
      example: 'subject',
    },
    date: {
      type: 'string',
      format: 'date',
      description: 'when consent was given (YYYY-MM-DD)',
      example: '2024-03-14',
    },
  }),
  entry(IdentityDocumentDto, {
    type: {
      type: 'string',
      enum: DOCUMENT_TYPES,
      description: 'kind of identity document',
      example: 'passport',
    },
    country: { type: 'string', description: `issuing country (${COUNTRY})`, example: 'PL' },
    number: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'document number (a direct identifier: only ever pseudonymised or dropped)',
      example: 'XX0000000',
    },
  }),
  entry(AddressDto, {
    street: {
      type: 'string',
      maxLength: 200,
      description: 'street and house number (a direct identifier: never released)',
      example: 'Voorbeeldstraat 1',
    },
    postcode: { type: 'string', maxLength: 16, description: 'postal code', example: '1234 AB' },
    municipality: {
      type: 'string',
      pattern: '^GM\\d{4}$',
      description: 'CBS municipality code',
      example: 'GM0796',
    },
  }),
  entry(SubjectDto, {
    givenNames: {
      type: 'string',
      maxLength: 200,
      description: 'given names (a direct identifier: only ever pseudonymised)',
      example: 'Jane',
    },
    familyName: {
      type: 'string',
      maxLength: 200,
      description: 'family name (a direct identifier: only ever pseudonymised)',
      example: 'Doe',
    },
    birthDate: { type: 'string', description: `birth date: ${PARTIAL_DATE}`, example: '1999-04' },
    birthDateEstimated: {
      type: 'boolean',
      description: 'true when the birth date is an estimate',
      example: false,
    },
    sex: { type: 'string', enum: SEXES, description: 'sex', example: 'female' },
    nationalities: {
      type: 'string',
      isArray: true,
      maxItems: 10,
      description: `nationalities (${COUNTRY} each)`,
      example: ['PL'],
    },
    documents: {
      type: () => IdentityDocumentDto,
      isArray: true,
      maxItems: 10,
      description: 'identity documents',
      example: [{ type: 'passport', country: 'PL', number: 'XX0000000' }],
    },
    phone: {
      type: 'string',
      pattern: '^\\+?[0-9][0-9 ()-]{4,24}$',
      description: 'phone number (a direct identifier: only ever pseudonymised or dropped)',
      example: '+31600000000',
    },
    address: { type: () => AddressDto, description: 'address' },
    languages: {
      type: 'string',
      isArray: true,
      maxItems: 20,
      description: 'languages spoken (ISO 639 codes)',
      example: ['pl', 'en'],
    },
  }),
  entry(ExploitationDto, {
    forms: {
      type: 'string',
      enum: EXPLOITATION_FORMS,
      isArray: true,
      minItems: 1,
      maxItems: 6,
      description: 'forms of exploitation',
      example: ['labour'],
    },
    sector: { type: 'string', pattern: SLUG, description: 'economic sector (slug)', example: 'agriculture' },
    countries: {
      type: 'string',
      isArray: true,
      maxItems: 50,
      description: `countries where the exploitation took place (${COUNTRY} each)`,
      example: ['NL'],
    },
    policeUnit: { type: 'string', pattern: SLUG, description: 'police unit (slug)', example: 'oost-brabant' },
    startedAt: { type: 'string', description: `start: ${PARTIAL_DATE}`, example: '2023-11' },
    endedAt: { type: 'string', description: `end: ${PARTIAL_DATE}`, example: '2024-02' },
  }),
  entry(SituationDto, {
    needsShelter: { type: 'boolean', description: 'the person needs shelter', example: true },
    residence: {
      type: 'string',
      enum: RESIDENCE_STATUSES,
      description: 'residence status',
      example: 'eu-citizen',
    },
    multiProblem: {
      type: 'boolean',
      description: 'multiple problems besides the exploitation',
      example: false,
    },
    healthNotes: {
      type: 'string',
      maxLength: 5000,
      description: 'health notes: special-category data (GDPR art. 9), released only where a purpose allows',
      example: 'Fictional example text.',
    },
    narrative: {
      type: 'string',
      maxLength: 20000,
      description: 'free text; not released under `registration`',
      example: 'Fictional example text.',
    },
  }),
  entry(OfficerDto, {
    name: {
      type: 'string',
      maxLength: 200,
      description: 'the officer handling the case (a direct identifier: never released)',
      example: 'Example Officer',
    },
    email: {
      type: 'string',
      format: 'email',
      maxLength: 254,
      description: "the officer's e-mail address (never released)",
      example: 'officer@example.org',
    },
  }),
  entry(CaseDto, {
    reference: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: "the partner's case reference (released only as a token)",
      example: 'EXAMPLE-2024-0001',
    },
    officer: { type: () => OfficerDto, description: 'the officer handling the case' },
  }),
  entry(SignalV1Dto, {
    signalId: {
      type: 'string',
      format: 'uuid',
      description:
        'chosen by the partner; idempotency key per partner (the same id again: the first receipt)',
      example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10',
    },
    purpose: {
      type: 'string',
      pattern: '^[a-z][a-z0-9-]{0,63}$',
      description: 'a purpose this partner may use (see `GET /v1/policy`)',
      example: 'registration',
    },
    reportedAt: {
      type: 'string',
      description: 'ISO 8601 date or date-time with offset',
      example: '2024-03-14',
    },
    supersedes: {
      type: 'string',
      format: 'uuid',
      description: 'a correction: the signalId (same partner) this signal replaces',
      example: '9b2d7c4e-1a3f-4e5b-8c6d-2f4a6b8c0d1e',
    },
    consent: { type: () => ConsentDto, description: "the subject's consent (see the policy's rule table)" },
    subject: { type: () => SubjectDto, description: 'the person the signal is about' },
    exploitation: { type: () => ExploitationDto, description: 'the exploitation' },
    situation: { type: () => SituationDto, description: "the person's situation" },
    case: { type: () => CaseDto, description: "the partner's case" },
  }),
] as const;

/** Complete fictional signals, as examples for integrators (each is a valid signal v1). */
export const SIGNAL_V1_EXAMPLES = {
  registration: {
    summary: 'a signal with every block (fictional person)',
    value: {
      signalId: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10',
      purpose: 'registration',
      reportedAt: '2024-03-14',
      consent: { status: 'given', by: 'subject', date: '2024-03-14' },
      subject: {
        givenNames: 'Jane',
        familyName: 'Doe',
        birthDate: '1999-04',
        birthDateEstimated: false,
        sex: 'female',
        nationalities: ['PL'],
        documents: [{ type: 'passport', country: 'PL', number: 'XX0000000' }],
        phone: '+31600000000',
        address: { street: 'Voorbeeldstraat 1', postcode: '1234 AB', municipality: 'GM0796' },
        languages: ['pl', 'en'],
      },
      exploitation: {
        forms: ['labour'],
        sector: 'agriculture',
        countries: ['NL'],
        policeUnit: 'oost-brabant',
        startedAt: '2023-11',
        endedAt: '2024-02',
      },
      situation: {
        needsShelter: true,
        residence: 'eu-citizen',
        multiProblem: false,
        healthNotes: 'Fictional example text.',
        narrative: 'Fictional example text.',
      },
      case: {
        reference: 'EXAMPLE-2024-0001',
        officer: { name: 'Example Officer', email: 'officer@example.org' },
      },
    },
  },
  minimal: {
    summary: 'only what is required',
    value: {
      signalId: '7c1e4a2b-3d5f-4a6b-9c8d-0e1f2a3b4c5d',
      purpose: 'registration',
      reportedAt: '2024-03-14T10:30:00+01:00',
      subject: {},
      exploitation: { forms: ['unknown'] },
    },
  },
  correction: {
    summary: 'a correction: a new signal that supersedes an earlier one of the same partner',
    value: {
      signalId: '9b2d7c4e-1a3f-4e5b-8c6d-2f4a6b8c0d1e',
      purpose: 'registration',
      reportedAt: '2024-03-15',
      supersedes: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10',
      subject: { givenNames: 'Jane', familyName: 'Doe', birthDate: '1999-04-12', sex: 'female' },
      exploitation: { forms: ['labour'], countries: ['NL'] },
    },
  },
} as const;

function isOptional(type: new () => object, property: string): boolean {
  return getMetadataStorage()
    .getTargetValidationMetadatas(type, '', true, false)
    .some((m) => m.propertyName === property && m.type === ValidationTypes.CONDITIONAL_VALIDATION);
}

let documented = false;

/**
 * Hands every property of the signal v1 DTOs to `decorate` (an app passes `@nestjs/swagger`'s `ApiProperty`),
 * once per process; `required` is read from the validators (`@IsOptional` means optional).
 *
 * @example documentSignalContract((options) => ApiProperty(options));
 */
export function documentSignalContract(
  decorate: (options: ContractPropertyOptions) => PropertyDecorator,
): void {
  if (documented) return;
  documented = true;
  for (const { type, docs } of SIGNAL_V1_DOCS) {
    for (const [property, doc] of Object.entries(docs) as [string, ContractPropertyDoc][]) {
      decorate({ ...doc, required: !isOptional(type, property) })(type.prototype, property);
    }
  }
}
