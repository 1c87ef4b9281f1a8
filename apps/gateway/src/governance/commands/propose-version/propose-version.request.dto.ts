import { IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** A proposed policy (YAML) or partner table (YAML plus the CA certificates it names). */
export class ProposeVersionRequestDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200_000)
  content?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200_000)
  partnersYaml?: string;

  @IsOptional()
  @IsObject()
  caCertificates?: Record<string, string>;
}
