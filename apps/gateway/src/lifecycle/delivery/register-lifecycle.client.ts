import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import { RegisterConnection, type RawAnswer } from '../../forwarding/register.connection.js';
import type { GatewayConfig } from '../../gateway.config.js';

/** The register's intake listener over mTLS (the gateway's client certificate): removals and retention reports. */
@Injectable()
export class RegisterLifecycleClient implements OnApplicationShutdown {
  private readonly connection: RegisterConnection;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.connection = new RegisterConnection(config, 4);
  }

  removeRecord(jws: string): Promise<RawAnswer> {
    return this.connection.send('POST', '/v1/record-removals', { content: jws, type: 'application/jose' });
  }

  retentionReports(after: number): Promise<RawAnswer> {
    return this.connection.send('GET', `/v1/retention-reports?after=${after}`);
  }

  /** After the workers drained (they stop in `beforeApplicationShutdown`): in-flight requests finish first. */
  onApplicationShutdown(): void {
    this.connection.destroy();
  }
}
