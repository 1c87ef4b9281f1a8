import { IsUUID } from 'class-validator';

export class GetRecordLinksParamsDto {
  @IsUUID()
  recordId: string;
}
