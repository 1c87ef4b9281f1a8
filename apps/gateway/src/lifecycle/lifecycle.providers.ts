import { LifecycleOutboxWorker } from './delivery/lifecycle-outbox.worker.js';
import { LifecycleSigner } from './delivery/lifecycle.signer.js';
import { RegisterLifecycleClient } from './delivery/register-lifecycle.client.js';
import { AuditErasureRepository } from './infrastructure/audit-erasure.repository.js';
import { LifecycleOutboxRepository } from './infrastructure/lifecycle-outbox.repository.js';
import { SignalLifecycleRepository } from './infrastructure/signal-lifecycle.repository.js';
import { RetentionReportRepository } from './infrastructure/retention-report.repository.js';
import { RetentionReportPuller } from './retention/retention-report.puller.js';
import { SignalLifecycle } from './signal-lifecycle.service.js';

export { RetractSignalHttpController } from './commands/retract-signal/retract-signal.http.controller.js';
export { AuditErasureHttpController } from './erasure/audit-erasure.http.controller.js';

/** Providers of the data life cycle (retraction, correction, withdrawal, retention reports, erasure). */
export const LIFECYCLE_PROVIDERS = [
  SignalLifecycleRepository,
  SignalLifecycle,
  LifecycleOutboxRepository,
  LifecycleOutboxWorker,
  LifecycleSigner,
  RegisterLifecycleClient,
  RetentionReportRepository,
  RetentionReportPuller,
  AuditErasureRepository,
];
