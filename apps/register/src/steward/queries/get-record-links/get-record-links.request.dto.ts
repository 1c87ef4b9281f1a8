import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class GetRecordLinksParamsDto {
  @ApiProperty({ format: 'uuid', example: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d' })
  @IsUUID()
  recordId: string;
}
