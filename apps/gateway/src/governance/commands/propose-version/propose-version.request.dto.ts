import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** A proposed policy (YAML) or partner table (YAML plus the CA certificates it names). */
export class ProposeVersionRequestDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200_000,
    description: '`/v1/admin/policies`: the policy (YAML)',
    example: 'format: 1\ndestination: register\npurposes: []\n',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200_000)
  content?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200_000,
    description: '`/v1/admin/partners`: the partner table (YAML)',
    example: 'cas:\n  example-ca: { file: example-ca.crt }\npartners: []\n',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200_000)
  partnersYaml?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: '`/v1/admin/partners`: per CA named in the table, its certificate (PEM)',
    example: { 'example-ca': '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n' },
  })
  @IsOptional()
  @IsObject()
  caCertificates?: Record<string, string>;
}
