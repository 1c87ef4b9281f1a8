import { Inject, type LoggerService } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RegisterError } from '../../../common/register.error.js';
import { GatewayRecordVerifier } from '../../gateway-record.verifier.js';
import { payloadDigest } from '../../payload-digest.js';
import { RecordIntake } from '../../record-intake.js';
import { validateRecord } from '../../record-validation.js';
import { REGISTER_LOGGER } from '../../../register.config.js';
import { StoreRecordCommand, type StoreRecordResult } from './store-record.command.js';

@CommandHandler(StoreRecordCommand)
export class StoreRecordHandler implements ICommandHandler<StoreRecordCommand, StoreRecordResult> {
  constructor(
    private readonly verifier: GatewayRecordVerifier,
    private readonly intake: RecordIntake,
    @Inject(REGISTER_LOGGER) private readonly logger: LoggerService,
  ) {}

  async execute(command: StoreRecordCommand): Promise<StoreRecordResult> {
    const delivery = await this.verifier.verify(command.jws);
    const record = validateRecord(delivery.record);
    if (delivery.jti !== record.recordId) {
      throw new RegisterError('RECORD.INVALID', 'jti must equal record.recordId', [
        { path: 'jti', reasons: ['must equal record.recordId'] },
      ]);
    }
    // The digest covers the claim exactly as signed, as the gateway computed it.
    const digest = payloadDigest(delivery.record);
    const [outcome] = await this.intake.storeAll(
      [{ record, plain: delivery.record, digest }],
      command.timestamp,
      {
        correlationId: command.correlationId,
        actor: command.actor,
      },
    );
    // A retracted, withdrawn or superseded record that arrives late (an overtaken delivery) stays out.
    if (outcome.status === 'conflict') throw new RegisterError('RECORD.CONFLICT', outcome.message);
    if (outcome.status === 'existing') {
      this.logger.log({
        message: 'record delivered again',
        recordId: record.recordId,
        correlationId: command.correlationId,
        actor: command.actor,
      });
    }
    return { created: outcome.status === 'stored', recordId: record.recordId, receipt: outcome.receipt };
  }
}
