import { IsObject, IsOptional, Matches } from 'class-validator';

export class ExplainSignalRequestDto {
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  partnerId: string;

  /** A version hash; default: the active version. */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  version?: string;

  @IsObject()
  signal: Record<string, unknown>;
}
