import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsFullDate, IsIsoDateOrDateTime, IsPartialDate } from './partial-date.validator.js';
import {
  CONSENT_GIVERS,
  CONSENT_STATUSES,
  DOCUMENT_TYPES,
  EXPLOITATION_FORMS,
  RESIDENCE_STATUSES,
  SEXES,
  type ConsentGiver,
  type ConsentStatus,
  type DocumentType,
  type ExploitationForm,
  type ResidenceStatus,
  type Sex,
} from './signal.enums.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PURPOSE_ID = /^[a-z][a-z0-9-]{0,63}$/;

export class ConsentDto {
  @IsIn(CONSENT_STATUSES)
  status: ConsentStatus;

  @IsOptional()
  @IsIn(CONSENT_GIVERS)
  by?: ConsentGiver;

  @IsOptional()
  @IsFullDate()
  date?: string;
}

export class IdentityDocumentDto {
  @IsIn(DOCUMENT_TYPES)
  type: DocumentType;

  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;

  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[\p{L}\p{N} .\-/]+$/u, {
    message: '$property must hold letters, digits, spaces, dots or dashes',
  })
  number: string;
}

export class AddressDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  street?: string;

  @IsOptional()
  @IsString()
  @MaxLength(16)
  @Matches(/^[\p{L}\p{N} -]+$/u, { message: '$property must hold letters, digits, spaces or dashes' })
  postcode?: string;

  @IsOptional()
  @Matches(/^GM\d{4}$/, { message: '$property must be a CBS municipality code (GMnnnn)' })
  municipality?: string;
}

export class SubjectDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  givenNames?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  familyName?: string;

  @IsOptional()
  @IsPartialDate()
  birthDate?: string;

  @IsOptional()
  @IsBoolean()
  birthDateEstimated?: boolean;

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
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IdentityDocumentDto)
  documents?: IdentityDocumentDto[];

  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 ()-]{4,24}$/, { message: '$property must be a phone number' })
  phone?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z]{2,3}$/, { each: true, message: '$property must hold ISO 639 language codes' })
  languages?: string[];
}

export class ExploitationDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @IsIn(EXPLOITATION_FORMS, { each: true })
  forms: ExploitationForm[];

  @IsOptional()
  @Matches(SLUG, { message: '$property must be a lower-case slug' })
  sector?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsISO31661Alpha2({ each: true })
  countries?: string[];

  @IsOptional()
  @Matches(SLUG, { message: '$property must be a lower-case slug' })
  policeUnit?: string;

  @IsOptional()
  @IsPartialDate()
  startedAt?: string;

  @IsOptional()
  @IsPartialDate()
  endedAt?: string;
}

export class SituationDto {
  @IsOptional()
  @IsBoolean()
  needsShelter?: boolean;

  @IsOptional()
  @IsIn(RESIDENCE_STATUSES)
  residence?: ResidenceStatus;

  @IsOptional()
  @IsBoolean()
  multiProblem?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  healthNotes?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20000)
  narrative?: string;
}

export class OfficerDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class CaseDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  reference?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => OfficerDto)
  officer?: OfficerDto;
}

/** Signal v1 (PRODUCT.md). The reporter's identity comes from its client certificate, never from here. */
export class SignalV1Dto {
  @IsUUID('all')
  signalId: string;

  @Matches(PURPOSE_ID, { message: '$property must be a purpose id' })
  purpose: string;

  @IsIsoDateOrDateTime()
  reportedAt: string;

  @IsOptional()
  @IsUUID('all')
  supersedes?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => SubjectDto)
  subject: SubjectDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => ExploitationDto)
  exploitation: ExploitationDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => SituationDto)
  situation?: SituationDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => CaseDto)
  case?: CaseDto;
}
