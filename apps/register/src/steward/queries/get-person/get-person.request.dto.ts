import { IsUUID } from 'class-validator';

export class GetPersonParamsDto {
  @IsUUID()
  personId: string;
}
