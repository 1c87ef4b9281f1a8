import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'node:https';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';

export interface RawAnswer {
  status: number;
  body: Buffer;
}

/** The register's intake listener over mTLS (the gateway's client certificate): removals and retention reports. */
@Injectable()
export class RegisterLifecycleClient implements OnApplicationShutdown {
  private readonly agent: Agent;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    const { clientCertPem, clientKeyPem, caPems } = config.register;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 4,
      cert: clientCertPem,
      key: clientKeyPem,
      ca: caPems,
    });
  }

  removeRecord(jws: string): Promise<RawAnswer> {
    return this.send('POST', '/v1/record-removals', jws, 'application/jose');
  }

  retentionReports(after: number): Promise<RawAnswer> {
    return this.send('GET', `/v1/retention-reports?after=${after}`);
  }

  private send(method: string, path: string, body?: string, contentType?: string): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.config.register.intakeUrl),
        {
          method,
          agent: this.agent,
          headers:
            body !== undefined
              ? { 'content-type': contentType!, 'content-length': Buffer.byteLength(body) }
              : {},
          timeout: this.config.outbox.requestTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** After the workers drained (they stop in `beforeApplicationShutdown`): in-flight requests finish first. */
  onApplicationShutdown(): void {
    this.agent.destroy();
  }
}
