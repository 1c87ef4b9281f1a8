import {
  AuditCheckpointEntity,
  AuditEntryEntity,
  AuditFrontierEntity,
  AuditNodeEntity,
  AuditSubjectOpeningEntity,
} from './audit-entry.entity.js';
import { OutboxEntity } from './outbox.entity.js';
import { SignalEntity } from './signal.entity.js';
import { GatewayInitial1764400000000 } from './1764400000000-gateway-initial.migration.js';
import { GatewayGovernance1764800000000 } from './1764800000000-gateway-governance.migration.js';
import { GatewayMerkleAudit1764900000000 } from './1764900000000-gateway-merkle-audit.migration.js';
import { GatewayLifecycle1765000000000 } from './1765000000000-gateway-lifecycle.migration.js';
import { GatewayCorrectionSettlement1765100000000 } from './1765100000000-gateway-correction-settlement.migration.js';
import { GatewayInstanceEntity, GovernedVersionEntity } from './governed-version.entity.js';

export * from './audit-entry.entity.js';
export * from './outbox.entity.js';
export * from './signal.entity.js';
export * from './governed-version.entity.js';

export const GATEWAY_ENTITIES = [
  SignalEntity,
  OutboxEntity,
  AuditEntryEntity,
  AuditSubjectOpeningEntity,
  AuditFrontierEntity,
  AuditNodeEntity,
  AuditCheckpointEntity,
  GovernedVersionEntity,
  GatewayInstanceEntity,
];
export const GATEWAY_MIGRATIONS = [
  GatewayInitial1764400000000,
  GatewayGovernance1764800000000,
  GatewayMerkleAudit1764900000000,
  GatewayLifecycle1765000000000,
  GatewayCorrectionSettlement1765100000000,
];
