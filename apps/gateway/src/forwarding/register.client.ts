import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { RegisterConnection, type RawAnswer } from './register.connection.js';

/** The media type of a record batch: JSON `{ batch: <compact JWS>, records: [...] }`. */
export const RECORD_BATCH_MEDIA_TYPE = 'application/vnd.ketenpoort.record-batch+json';

export type DeliveryOutcome =
  | { kind: 'stored'; status: number; body: unknown }
  | { kind: 'transient'; code: string }
  | { kind: 'permanent'; code: string; status: number; fields: string[] };

/**
 * Talks to the register's intake listener over mTLS with keep-alive, presenting the gateway's client
 * certificate: record delivery, and the witness protocol for audit checkpoints.
 */
@Injectable()
export class RegisterClient implements OnApplicationShutdown {
  private readonly connection: RegisterConnection;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.connection = new RegisterConnection(config, 8);
  }

  async deliver(jws: string, correlationId: string): Promise<DeliveryOutcome> {
    let answer: RawAnswer;
    try {
      answer = await this.connection.send(
        'POST',
        '/v1/records',
        { content: jws, type: 'application/jose' },
        { 'x-correlation-id': correlationId },
      );
    } catch (error) {
      return { kind: 'transient', code: networkCode(error) };
    }
    const { status } = answer;
    if (status === 200 || status === 201) {
      try {
        return { kind: 'stored', status, body: JSON.parse(answer.body.toString('utf8')) };
      } catch {
        return { kind: 'transient', code: 'REGISTER.BAD_RESPONSE' };
      }
    }
    if (status === 400 || status === 409 || status === 422) {
      return {
        kind: 'permanent',
        code: `REGISTER.REFUSED_${status}`,
        status,
        fields: refusedFields(answer.body),
      };
    }
    return { kind: 'transient', code: `REGISTER.HTTP_${status}` };
  }

  /**
   * Delivers a signed batch (`POST /v1/records/batch`). `stored` carries one result per record; a 404
   * or 415 (a register without the batch endpoint) or a refusal of the whole batch is `permanent`, and the
   * worker then delivers the records one by one.
   */
  async deliverBatch(body: string, correlationId: string): Promise<DeliveryOutcome> {
    let answer: RawAnswer;
    try {
      answer = await this.connection.send(
        'POST',
        '/v1/records/batch',
        { content: body, type: RECORD_BATCH_MEDIA_TYPE },
        { 'x-correlation-id': correlationId },
      );
    } catch (error) {
      return { kind: 'transient', code: networkCode(error) };
    }
    const { status } = answer;
    if (status === 200) {
      try {
        return { kind: 'stored', status, body: JSON.parse(answer.body.toString('utf8')) };
      } catch {
        return { kind: 'transient', code: 'REGISTER.BAD_RESPONSE' };
      }
    }
    if (status === 400 || status === 401 || status === 404 || status === 413 || status === 415) {
      return {
        kind: 'permanent',
        code: `REGISTER.REFUSED_${status}`,
        status,
        fields: refusedFields(answer.body),
      };
    }
    return { kind: 'transient', code: `REGISTER.HTTP_${status}` };
  }

  /** The last checkpoint the register cosigned (size 0 when none). */
  async witnessState(): Promise<{ size: number; rootHash: string | null }> {
    return this.json('GET', '/v1/witness/state');
  }

  /** Asks the register to cosign a checkpoint, with the consistency proof from its last cosigned one. */
  async cosign(checkpoint: string, proof: string[]): Promise<string> {
    const answer = await this.json<{ cosignature: string }>('POST', '/v1/witness/cosign', {
      checkpoint,
      proof,
    });
    return answer.cosignature;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.connection.send(
      method,
      path,
      body === undefined ? undefined : { content: JSON.stringify(body), type: 'application/json' },
    );
    if (answer.status !== 200)
      throw Object.assign(new Error('REGISTER.WITNESS_REFUSED'), { code: `REGISTER.HTTP_${answer.status}` });
    return JSON.parse(answer.body.toString('utf8')) as T;
  }

  /** After the workers drained (they stop in `beforeApplicationShutdown`): in-flight requests finish first. */
  onApplicationShutdown(): void {
    this.connection.destroy();
  }
}

function networkCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  return `NETWORK.${typeof code === 'string' ? code : 'ERROR'}`;
}

/** The field paths a refusal names (the register never echoes values); nothing else of its body is kept. */
function refusedFields(body: Buffer): string[] {
  try {
    const fields = (JSON.parse(body.toString('utf8')) as { fields?: unknown }).fields;
    if (!Array.isArray(fields)) return [];
    return fields
      .map((d: { path?: unknown }) => d?.path)
      .filter((p): p is string => typeof p === 'string' && /^[\w.[\]-]{1,120}$/.test(p))
      .slice(0, 20);
  } catch {
    return [];
  }
}
