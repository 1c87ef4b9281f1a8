import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'node:https';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';

export type DeliveryOutcome =
  | { kind: 'stored'; status: number; body: unknown }
  | { kind: 'transient'; code: string }
  | { kind: 'permanent'; code: string; status: number; fields: string[] };

/** Talks to the register's intake over mTLS with keep-alive, presenting the gateway's client certificate. */
@Injectable()
export class RegisterClient implements OnModuleDestroy {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    const { clientCertPem, clientKeyPem, caPems } = config.register;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 8,
      cert: clientCertPem,
      key: clientKeyPem,
      ca: caPems,
    });
    this.url = new URL('/v1/records', config.register.intakeUrl);
  }

  deliver(jws: string, correlationId: string): Promise<DeliveryOutcome> {
    return new Promise((resolve) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/jose',
            'content-length': Buffer.byteLength(jws),
            'x-correlation-id': correlationId,
          },
          timeout: this.config.outbox.requestTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => resolve({ kind: 'transient', code: 'NETWORK.RESPONSE_ABORTED' }));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status === 200 || status === 201) {
              try {
                resolve({ kind: 'stored', status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
              } catch {
                resolve({ kind: 'transient', code: 'REGISTER.BAD_RESPONSE' });
              }
            } else if (status === 400 || status === 409 || status === 422) {
              resolve({
                kind: 'permanent',
                code: `REGISTER.REFUSED_${status}`,
                status,
                fields: refusedFields(chunks),
              });
            } else {
              resolve({ kind: 'transient', code: `REGISTER.HTTP_${status}` });
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolve({
          kind: 'transient',
          code: `NETWORK.${error.code ?? (error.message === 'timeout' ? 'TIMEOUT' : 'ERROR')}`,
        }),
      );
      req.end(jws);
    });
  }

  onModuleDestroy(): void {
    this.agent.destroy();
  }
}

/** The field paths a refusal names (the register never echoes values); nothing else of its body is kept. */
function refusedFields(chunks: Buffer[]): string[] {
  try {
    const details = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { fields?: unknown }).fields;
    if (!Array.isArray(details)) return [];
    return details
      .map((d: { path?: unknown }) => d?.path)
      .filter((p): p is string => typeof p === 'string' && /^[\w.[\]-]{1,120}$/.test(p))
      .slice(0, 20);
  } catch {
    return [];
  }
}
