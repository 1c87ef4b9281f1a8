import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class GetPersonParamsDto {
  @ApiProperty({ format: 'uuid', example: 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b' })
  @IsUUID()
  personId: string;
}
