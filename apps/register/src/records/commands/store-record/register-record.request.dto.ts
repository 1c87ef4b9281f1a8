import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
const UUID_EXAMPLE = 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d';
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
  @ApiProperty({ enum: RECORD_TOKEN_KINDS, description: 'what the token was computed from', example: 'nds' })
  @IsIn(RECORD_TOKEN_KINDS, { message: '$property must be a token kind' })
  kind: string;

  @ApiProperty({
    pattern: TOKEN.source,
    description:
      'a keyed pseudonym `v<keyVersion>.<recipient>.<kind>.<base32>` (the register cannot reverse it)',
    example: 'v1.register.nds.abcdefghijklmnopqrstuvwxyz234567',
  })
  @Matches(TOKEN, { message: '$property must be a token v<keyVersion>.<recipient>.<kind>.<base32>' })
  value: string;
}

export class RecordReporterDto {
  @ApiProperty({
    pattern: SLUG.source,
    description: 'the partner (organisation id)',
    example: 'politie-oost-brabant',
  })
  @Matches(SLUG, { message: '$property must be an organisation id' })
  organisation: string;

  @ApiProperty({ enum: REPORTER_TYPES, description: "from the partner's configuration", example: 'police' })
  @IsIn(REPORTER_TYPES)
  type: ReporterType;
}

/** A document's type and issuing country may be released; its number never is (it arrives as a `doc` token). */
export class RecordDocumentDto {
  @ApiProperty({ enum: DOCUMENT_TYPES, example: 'passport' })
  @IsIn(DOCUMENT_TYPES)
  type: DocumentType;

  @ApiPropertyOptional({ description: 'issuing country (ISO 3166-1 alpha-2)', example: 'PL' })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;
}

export class RecordAddressDto {
  @ApiPropertyOptional({ pattern: '^GM\\d{4}$', description: 'CBS municipality code', example: 'GM0796' })
  @IsOptional()
  @Matches(/^GM\d{4}$/, { message: '$property must be a CBS municipality code (GMnnnn)' })
  municipality?: string;

  @ApiPropertyOptional({
    maxLength: 16,
    description: 'postal code, as the policy released it',
    example: '1234',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  @Matches(/^[\p{L}\p{N} -]+$/u, { message: '$property must hold letters, digits, spaces or dashes' })
  postcode?: string;
}

/** The subject as released: never a name, birth date, document number, phone or street. */
export class RecordSubjectDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1900, maximum: 2200, example: 1999 })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2200)
  birthYear?: number;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  birthDateEstimated?: boolean;

  @ApiPropertyOptional({ description: 'age band at the report date', example: '23+' })
  @IsOptional()
  @Matches(/^[0-9a-z+-]{1,16}$/, { message: '$property must be an age band id like 18-22' })
  ageBandAtReport?: string;

  @ApiPropertyOptional({ enum: SEXES, example: 'female' })
  @IsOptional()
  @IsIn(SEXES)
  sex?: Sex;

  @ApiPropertyOptional({ type: 'string', isArray: true, maxItems: 10, example: ['PL'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsISO31661Alpha2({ each: true })
  nationalities?: string[];

  @ApiPropertyOptional({ type: 'string', isArray: true, maxItems: 20, example: ['pl'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z]{2,3}$/, { each: true, message: '$property must hold ISO 639 language codes' })
  languages?: string[];

  @ApiPropertyOptional({ type: () => RecordDocumentDto, isArray: true, maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => RecordDocumentDto)
  documents?: RecordDocumentDto[];

  @ApiPropertyOptional({ type: () => RecordAddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordAddressDto)
  address?: RecordAddressDto;
}

/** Released fields, nested by output path. Unknown paths are refused, so nothing unreleased is stored. */
export class RecordDataDto {
  /** The report date as the policy released it (the record's top-level reportedAt is the same value). */
  @ApiPropertyOptional({ description: 'the report date as the policy released it', example: '2024-03' })
  @IsOptional()
  @IsIsoDateOrDateTime()
  reportedAt?: string;

  @ApiPropertyOptional({ type: () => RecordSubjectDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordSubjectDto)
  subject?: RecordSubjectDto;

  @ApiPropertyOptional({ type: () => ExploitationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExploitationDto)
  exploitation?: ExploitationDto;

  @ApiPropertyOptional({
    type: () => SituationDto,
    description: 'only what the purpose releases (no health notes or narrative under `registration`)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SituationDto)
  situation?: SituationDto;

  @ApiPropertyOptional({ type: () => ConsentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;
}

/** The `record` claim of the gateway's signed delivery (`RegisterRecord` of the signal contract). */
export class RegisterRecordRequestDto implements RegisterRecord {
  @ApiProperty({ format: 'uuid', description: 'idempotency key of the delivery', example: UUID_EXAMPLE })
  @IsUUID('all')
  recordId: string;

  @ApiProperty({ format: 'uuid', example: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  @IsUUID('all')
  correlationId: string;

  @ApiProperty({ type: () => RecordReporterDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => RecordReporterDto)
  reporter: RecordReporterDto;

  @ApiProperty({ pattern: '^[a-z][a-z0-9-]{0,63}$', example: 'registration' })
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: '$property must be a purpose id' })
  purpose: string;

  @ApiProperty({ pattern: SLUG.source, example: 'registration' })
  @Matches(SLUG, { message: '$property must be a dossier type id' })
  dossierType: string;

  @ApiProperty({ maxLength: 300, example: 'Wpg art. 18 jo. Bpg art. 4:2' })
  @IsString()
  @MaxLength(300)
  legalGround: string;

  @ApiProperty({
    maxLength: 100,
    example: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592',
  })
  @IsString()
  @MaxLength(100)
  policyVersion: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'the key version of the tokens', example: 1 })
  @IsInt()
  @Min(1)
  keyVersion: number;

  @ApiProperty({ description: 'ISO 8601 date or date-time', example: '2024-03-14' })
  @IsIsoDateOrDateTime()
  reportedAt: string;

  @ApiProperty({ description: 'when the gateway received the signal', example: '2024-03-14T10:30:01.123Z' })
  @IsIsoDateOrDateTime()
  receivedAt: string;

  @ApiPropertyOptional({
    description: 'when the register deletes the record (retention)',
    example: '2034-03-14',
  })
  @IsOptional()
  @IsIsoDateOrDateTime()
  retainUntil?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'a correction: the record (same partner) this one replaces; the register removes it',
    example: 'd1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a',
  })
  @IsOptional()
  @IsUUID('all')
  supersedesRecordId?: string;

  @ApiProperty({ type: () => LinkageTokenDto, isArray: true, maxItems: 200 })
  @IsArray()
  // About 30 tokens per key version for a subject with two documents; several versions during a rotation.
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LinkageTokenDto)
  tokens: LinkageTokenDto[];

  @ApiProperty({ type: () => RecordDataDto, description: 'the released fields, nested by output path' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RecordDataDto)
  data: RecordDataDto & Record<string, unknown>;

  @ApiProperty({ type: 'string', isArray: true, maxItems: 20, example: ['age-unknown'] })
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(SLUG, { each: true, message: '$property must hold flag ids' })
  flags: string[];
}
