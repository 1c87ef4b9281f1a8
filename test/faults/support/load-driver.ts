import { randomInt, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:https';
import { aSignal } from '@ketenpoort/testing';
import type { PartnerCredentials } from './fault-stack.js';

export type Outcome =
  | { kind: 'acked'; partnerId: string; signalId: string; recordId: string; status: number }
  | { kind: 'unanswered'; partnerId: string; signalId: string; reason: string }
  | { kind: 'refused'; partnerId: string; signalId: string; status: number; error: string };

export interface LoadFigures {
  sent: number;
  acknowledged: number;
  unanswered: number;
  refused: number;
  /** Every 5xx answer seen (503s included). */
  fiveXx: number;
  /** 5xx answers other than 503 with Retry-After: each one is a bug. */
  badFiveXx: number;
  serviceUnavailable: number;
  rateLimited: number;
  /** Attempts that found no listener (the process was down) and were sent again. */
  connectRefused: number;
}

export interface LoadOptions {
  targets: () => string[];
  partners: PartnerCredentials[];
  ca: string;
  concurrency: number;
  /** Stop after this many distinct signals (default: until stop()). */
  maxSignals?: number;
  /** Pace the whole driver to about this many new signals per second (default: as fast as answered). */
  ratePerSecond?: number;
  /** Per-request timeout; a request without an answer by then counts as unanswered. */
  timeoutMs?: number;
}

const GIVEN = ['Anna', 'Maria', 'Olena', 'Ioana', 'Fatima', 'Grace', 'Lena', 'Sofia', 'Nadia', 'Eva'];
const FAMILY = ['Kowalska', 'Popescu', 'Shevchenko', 'Nowak', 'Ivanova', 'Horvat', 'Bakker', 'Okafor'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const pick = <T>(list: readonly T[]) => list[randomInt(list.length)];
const word = (n: number) => Array.from({ length: n }, () => pick([...LETTERS])).join('');

/** A valid signal with its own subject, so that the register does not link thousands into one person. */
export function aLoadSignal(): Record<string, unknown> {
  const year = 1975 + randomInt(25); // adults in 2020: no guardian consent needed
  const birthDate = `${year}-${String(1 + randomInt(12)).padStart(2, '0')}-${String(1 + randomInt(28)).padStart(2, '0')}`;
  return aSignal()
    .withSubject({
      givenNames: `${pick(GIVEN)} ${word(6)}`,
      familyName: `${pick(FAMILY)}${word(4)}`,
      birthDate,
      birthDateEstimated: false,
      sex: 'female',
      nationalities: ['PL'],
      documents: [{ type: 'passport', country: 'PL', number: `EA${randomInt(1_000_000, 9_999_999)}` }],
      languages: ['pl'],
    })
    .build() as Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A stream of signals from several partners over mTLS (keep-alive), `concurrency` in flight. A refused
 * connection (nothing listening) is tried again with the same signal; a request that was sent but got no
 * answer is recorded as unanswered and not sent again, so the check can prove "absent or present once".
 * 429 and 503 are answers that say "not taken, retry": they are retried after a short wait.
 */
export class LoadDriver {
  readonly outcomes: Outcome[] = [];
  readonly figures: LoadFigures = {
    sent: 0,
    acknowledged: 0,
    unanswered: 0,
    refused: 0,
    fiveXx: 0,
    badFiveXx: 0,
    serviceUnavailable: 0,
    rateLimited: 0,
    connectRefused: 0,
  };
  /** Status codes of the bad 5xx answers and error codes of the refusals, for the failure message. */
  readonly anomalies: string[] = [];
  private stopped = false;
  private issued = 0;
  private workers: Promise<void>[] = [];
  private readonly agents = new Map<string, Agent>();
  private readonly startedAt = Date.now();
  private turn = 0;

  constructor(private readonly options: LoadOptions) {
    for (const partner of options.partners) {
      this.agents.set(
        partner.id,
        new Agent({
          keepAlive: true,
          maxSockets: options.concurrency,
          cert: partner.cert,
          key: partner.key,
          ca: options.ca,
        }),
      );
    }
  }

  start(): this {
    this.workers = Array.from({ length: this.options.concurrency }, () => this.work());
    return this;
  }

  /** Resolves when every worker has finished (after stop() or maxSignals). */
  async finished(): Promise<void> {
    await Promise.all(this.workers);
    for (const agent of this.agents.values()) agent.destroy();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.finished();
  }

  get done(): boolean {
    return this.stopped || (this.options.maxSignals !== undefined && this.issued >= this.options.maxSignals);
  }

  private async work(): Promise<void> {
    while (!this.done) {
      const rate = this.options.ratePerSecond;
      if (rate) {
        const due = this.startedAt + (this.issued / rate) * 1000;
        if (due > Date.now()) {
          await sleep(Math.min(due - Date.now(), 200));
          continue;
        }
      }
      this.issued += 1;
      const partner = this.options.partners[this.issued % this.options.partners.length];
      await this.deliver(partner, aLoadSignal());
    }
  }

  private async deliver(partner: PartnerCredentials, signal: Record<string, unknown>): Promise<void> {
    const signalId = signal.signalId as string;
    const body = JSON.stringify(signal);
    this.figures.sent += 1;
    for (;;) {
      const targets = this.options.targets();
      const url = `${targets[this.turn++ % targets.length]}/v1/signals`;
      let answer: Answer;
      try {
        answer = await this.post(url, partner, body);
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'ERROR';
        if (code === 'ECONNREFUSED' || code === 'NOT_CONNECTED') {
          // Nothing was sent: the process is down. Partners send again; so do we.
          this.figures.connectRefused += 1;
          await sleep(200);
          if (this.stopped)
            return this.record({ kind: 'unanswered', partnerId: partner.id, signalId, reason: code });
          continue;
        }
        return this.record({ kind: 'unanswered', partnerId: partner.id, signalId, reason: code });
      }
      if (answer.status >= 500) {
        this.figures.fiveXx += 1;
        const retryAfter = answer.headers['retry-after'];
        if (answer.status === 503 && retryAfter) {
          this.figures.serviceUnavailable += 1;
          await sleep(500);
          continue;
        }
        this.figures.badFiveXx += 1;
        this.anomalies.push(`${answer.status} ${answer.text.slice(0, 200)}`);
        return this.record({
          kind: 'refused',
          partnerId: partner.id,
          signalId,
          status: answer.status,
          error: 'HTTP_5XX',
        });
      }
      if (answer.status === 429) {
        this.figures.rateLimited += 1;
        await sleep(Math.min(1000, 1000 * Number(answer.headers['retry-after'] ?? 1)));
        continue;
      }
      if (answer.status === 200 || answer.status === 201 || answer.status === 202) {
        const recordId = (JSON.parse(answer.text) as { recordId: string }).recordId;
        return this.record({
          kind: 'acked',
          partnerId: partner.id,
          signalId,
          recordId,
          status: answer.status,
        });
      }
      let error = 'UNKNOWN';
      try {
        error = (JSON.parse(answer.text) as { error?: string }).error ?? error;
      } catch {
        // not JSON
      }
      this.anomalies.push(`${answer.status} ${error}`);
      return this.record({ kind: 'refused', partnerId: partner.id, signalId, status: answer.status, error });
    }
  }

  private record(outcome: Outcome): void {
    this.outcomes.push(outcome);
    if (outcome.kind === 'acked') this.figures.acknowledged += 1;
    else if (outcome.kind === 'unanswered') this.figures.unanswered += 1;
    else this.figures.refused += 1;
  }

  private post(url: string, partner: PartnerCredentials, body: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      let connected = false;
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agents.get(partner.id),
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-correlation-id': randomUUID(),
          },
          timeout: this.options.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('socket', (socket) => {
        // A reused keep-alive socket is connected already; a new one once its TLS handshake is done.
        if (!socket.connecting && socket.writable) connected = true;
        else socket.once('secureConnect', () => (connected = true));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!connected && error.code !== 'ECONNREFUSED') {
          // The handshake never finished: the body was not sent.
          return reject(Object.assign(new Error('not connected'), { code: 'NOT_CONNECTED', cause: error }));
        }
        reject(error);
      });
      req.end(body);
    });
  }
}
