import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ConsentDto,
  DOCUMENT_TYPES,
  ExploitationDto,
  IsIsoDateOrDateTime,
  REPORTER_TYPES,
  SEXES,
  SituationDto,
  type DocumentType,
  type RegisterRecord,
  type ReporterType,
  type Sex,
} from '@ketenpoort/signal-contract';

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** `v<keyVersion>.<recipient>.<kind>.<base32>` — the register checks the form, it cannot check the key. */
const TOKEN = /^v[1-9][0-9]{0,8}\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.[a-z]{1,16}\.[a-z2-7]{16,128}$/;

/**
 * The token kinds the register accepts (the gateway's TOKEN_KINDS without the audit-only `subj`; the register
 * cannot import the pseudonymisation library, so the list is kept here). How each is weighed: linkage/link-rule.ts.
 */
export const RECORD_TOKEN_KINDS = [
  'doc',
  'nds',
  'case',
  'ndob',
  'sdob',
  'near',
  'phon',
  'nyr',
  'nyrn',
  'pyr',
] as const;

export class LinkageTokenDto {
  @IsIn(RECORD_TOKEN_KINDS, { message: '$property must be a token kind' })
  kind: string;

  @Matches(TOKEN, { message: '$property must be a token v<keyVersion>.<recipient>.<kind>.<base32>' })
  value: string;
}

export class RecordReporterDto {
  @Matches(SLUG, { message: '$property must be an organisation id' })
  organisation: string;

  @IsIn(REPORTER_TYPES)
  type: ReporterType;
}

/** A document's type and issuing country may be released; its number never is (it arrives as a `doc` token). */
export class RecordDocumentDto {
  @IsIn(DOCUMENT_TYPES)
  type: DocumentType;

  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;
}

export class RecordAddressDto {
  @IsOptional()
  @Matches(/^GM\d{4}$/, { message: '$property must be a CBS municipality code (GMnnnn)' })
  municipality?: string;

  @IsOptional()
  @IsString()
  @MaxLength(16)
  @Matches(/^[\p{L}\p{N} -]+$/u, { message: '$property must hold letters, digits, spaces or dashes' })
  postcode?: string;
}

/** The subject as released: never a name, birth date, document number, phone or street. */
export class RecordSubjectDto {
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2200)
  birthYear?: number;

  @IsOptional()
  @IsBoolean()
  birthDateEstimated?: boolean;

  @IsOptional()
  @Matches(/^[0-9a-z+-]{1,16}$/, { message: '$property must be an age band id like 18-22' })
  ageBandAtReport?: string;

  @IsOptional()
  @IsIn(SEXES)
  sex?: Sex;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsISO31661Alpha2({ each: true })
  nationalities?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z]{2,3}$/, { each: true, message: '$property must hold ISO 639 language codes' })
  languages?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => RecordDocumentDto)
  documents?: RecordDocumentDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => RecordAddressDto)
  address?: RecordAddressDto;
}

/** Released fields, nested by output path. Unknown paths are refused, so nothing unreleased is stored. */
export class RecordDataDto {
  /** The report date as the policy released it (the record's top-level reportedAt is the same value). */
  @IsOptional()
  @IsIsoDateOrDateTime()
  reportedAt?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RecordSubjectDto)
  subject?: RecordSubjectDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => ExploitationDto)
  exploitation?: ExploitationDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => SituationDto)
  situation?: SituationDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;
}

/** The `record` claim of the gateway's signed delivery (`RegisterRecord` of the signal contract). */
export class RegisterRecordRequestDto implements RegisterRecord {
  @IsUUID('all')
  recordId: string;

  @IsUUID('all')
  correlationId: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => RecordReporterDto)
  reporter: RecordReporterDto;

  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: '$property must be a purpose id' })
  purpose: string;

  @Matches(SLUG, { message: '$property must be a dossier type id' })
  dossierType: string;

  @IsString()
  @MaxLength(300)
  legalGround: string;

  @IsString()
  @MaxLength(100)
  policyVersion: string;

  @IsInt()
  @Min(1)
  keyVersion: number;

  @IsIsoDateOrDateTime()
  reportedAt: string;

  @IsIsoDateOrDateTime()
  receivedAt: string;

  @IsOptional()
  @IsIsoDateOrDateTime()
  retainUntil?: string;

  @IsOptional()
  @IsUUID('all')
  supersedesRecordId?: string;

  @IsArray()
  // About 30 tokens per key version for a subject with two documents; several versions during a rotation.
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LinkageTokenDto)
  tokens: LinkageTokenDto[];

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RecordDataDto)
  data: RecordDataDto & Record<string, unknown>;

  @IsArray()
  @ArrayMaxSize(20)
  @Matches(SLUG, { each: true, message: '$property must hold flag ids' })
  flags: string[];
}
