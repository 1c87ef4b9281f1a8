import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateBy } from 'class-validator';

/** An object whose every value is a string (class-validator's `each` covers arrays, sets and maps only). */
const IsStringValues = () =>
  ValidateBy({
    name: 'isStringValues',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        Object.values(value).every((v) => typeof v === 'string'),
      defaultMessage: (args) => `every value of ${args?.property ?? 'the object'} must be a string (PEM)`,
    },
  });

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
  @IsStringValues()
  caCertificates?: Record<string, string>;
}
