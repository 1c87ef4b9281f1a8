import { RegisterInitial1764500000000 } from './1764500000000-register-initial.migration.js';
import { RegisterLinkLog1764600000000 } from './1764600000000-register-link-log.migration.js';
import { RegisterStatisticsAccess1764700000000 } from './1764700000000-register-statistics-access.migration.js';
import { RegisterWitness1764950000000 } from './1764950000000-register-witness.migration.js';
import { RegisterLifecycle1765000000000 } from './1765000000000-register-lifecycle.migration.js';
import { RegisterPersonEntity, RegisterPersonRecordEntity } from './register-person.entity.js';
import { RegisterRecordTokenEntity } from './register-record-token.entity.js';
import { RegisterRecordEntity } from './register-record.entity.js';

export * from './register-person.entity.js';
export * from './register-record-token.entity.js';
export * from './register-record.entity.js';
export { RegisterInitial1764500000000 } from './1764500000000-register-initial.migration.js';
export { RegisterLinkLog1764600000000 } from './1764600000000-register-link-log.migration.js';
export { RegisterStatisticsAccess1764700000000 } from './1764700000000-register-statistics-access.migration.js';

/** Entities of the register's database. @example createDataSource({ entities: REGISTER_ENTITIES, ... }) */
export const REGISTER_ENTITIES = [
  RegisterRecordEntity,
  RegisterRecordTokenEntity,
  RegisterPersonEntity,
  RegisterPersonRecordEntity,
];
/** Migrations of the register's database, oldest first. */
export const REGISTER_MIGRATIONS = [
  RegisterInitial1764500000000,
  RegisterLinkLog1764600000000,
  RegisterStatisticsAccess1764700000000,
  RegisterWitness1764950000000,
  RegisterLifecycle1765000000000,
];
