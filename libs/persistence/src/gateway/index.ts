import { AuditEntryEntity, AuditHeadEntity } from './audit-entry.entity.js';
import { OutboxEntity } from './outbox.entity.js';
import { SignalEntity } from './signal.entity.js';
import { GatewayInitial1764400000000 } from './1764400000000-gateway-initial.migration.js';

export * from './audit-entry.entity.js';
export * from './outbox.entity.js';
export * from './signal.entity.js';

export const GATEWAY_ENTITIES = [SignalEntity, OutboxEntity, AuditEntryEntity, AuditHeadEntity];
export const GATEWAY_MIGRATIONS = [GatewayInitial1764400000000];
