import { Agent, request } from 'node:https';
import type { GatewayConfig } from '../gateway.config.js';

/** The register's answer as received: status and raw body, parsed by the caller. */
export interface RawAnswer {
  status: number;
  body: Buffer;
}

/**
 * A keep-alive mTLS agent to the register's intake listener, presenting the gateway's client certificate,
 * with the outbox's request timeout. Each register client owns one and destroys it in its
 * `onApplicationShutdown`, after the workers drained.
 */
export class RegisterConnection {
  private readonly agent: Agent;

  constructor(
    private readonly config: GatewayConfig,
    maxSockets: number,
  ) {
    const { clientCertPem, clientKeyPem, caPems } = config.register;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets,
      cert: clientCertPem,
      key: clientKeyPem,
      ca: caPems,
    });
  }

  send(
    method: string,
    path: string,
    body?: { content: string; type: string },
    headers: Record<string, string> = {},
  ): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.config.register.intakeUrl),
        {
          method,
          agent: this.agent,
          headers: {
            ...headers,
            ...(body !== undefined
              ? { 'content-type': body.type, 'content-length': Buffer.byteLength(body.content) }
              : {}),
          },
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
      req.end(body?.content);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }
}
