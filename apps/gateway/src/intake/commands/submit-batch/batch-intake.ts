import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toErrorResponse } from '../../../common/error-response.js';
import { GatewayError } from '../../../common/gateway-error.js';
import { GatewayMetrics } from '../../../common/metrics.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../../../common/tokens.js';
import type { GatewayConfig } from '../../../gateway.config.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { refusePrototypeKeys } from '../../../partners/listener-protection.js';
import { PartnerRateLimiter, RateLimitedError } from '../../../partners/partner-rate-limit.middleware.js';
import { SignalIntake } from '../../signal-intake.service.js';
import { SignalValidationPipe } from '../../signal-validation.pipe.js';
import { NdjsonLineSplitter, type NdjsonLine } from './ndjson-lines.js';

/** Limits of one batch request (ADR 0015). */
export const BATCH_LIMITS = {
  /** A longer line is refused as SIGNAL.TOO_LARGE; the stream goes on. */
  maxLineBytes: 64 * 1024,
  /** Lines read per request at most; the rest is not read (the summary says so). */
  maxLines: Number(process.env.KETENPOORT_BATCH_MAX_LINES ?? 1_000_000),
  /** No bytes for this long: reading stops and what was read is answered. */
  idleTimeoutMs: 10_000,
  /** Lines being decided or committed at once; reading pauses at this many (backpressure). */
  window: 1024,
};

/** One receipt line of the answer; `line` is the 1-based line number of the request. */
export interface BatchReceiptLine {
  line: number;
  signalId?: string;
  status: 'accepted' | 'duplicate' | 'refused';
  receipt?: unknown;
  error?: { code: string; message: string; details?: unknown };
}

/** The last line of the answer. */
export interface BatchSummaryLine {
  summary: {
    lines: number;
    accepted: number;
    duplicate: number;
    refused: number;
    /** Why reading stopped before the end of the request, if it did. */
    stoppedBy?: 'BATCH.IDLE_TIMEOUT' | 'BATCH.TOO_MANY_LINES' | 'BATCH.ABORTED';
  };
}

type ReadResult = Buffer | 'end' | 'idle' | 'aborted';

/** The lines of one batch not settled yet, by lower-cased signalId: settled (never rejected) when done. */
type InFlightSignals = Map<string, Promise<void>>;

/**
 * `POST /v1/signals/batch`: reads NDJSON from the request as a stream (never through the JSON body
 * parser) and answers one NDJSON receipt per line, in line order, as lines are committed. Each line goes
 * the single-signal path (validation, purpose, idempotency, correction check, policy, audit, outbox, then
 * ending the signal a correction supersedes) and the per-partner rate limit is charged per line — an empty
 * bucket pauses reading instead of refusing. Memory is bounded by the window of lines in flight: reading
 * pauses while it is full, and while the answer cannot be written (the client does not read).
 */
@Injectable()
export class BatchIntake {
  private readonly limits: typeof BATCH_LIMITS;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly intake: SignalIntake,
    private readonly validation: SignalValidationPipe,
    private readonly rateLimiter: PartnerRateLimiter,
    private readonly metrics: GatewayMetrics,
  ) {
    this.limits = {
      ...BATCH_LIMITS,
      maxLineBytes: Math.min(BATCH_LIMITS.maxLineBytes, config.limits.maxBodyBytes),
    };
  }

  async process(
    req: IncomingMessage,
    res: ServerResponse,
    actor: AuthenticatedPartner,
    correlationId: string,
  ): Promise<void> {
    const { window, idleTimeoutMs, maxLines } = this.limits;
    const splitter = new NdjsonLineSplitter(this.limits.maxLineBytes);
    const pending: Array<{ done: boolean; result?: BatchReceiptLine; promise: Promise<BatchReceiptLine> }> =
      [];
    const counts = { accepted: 0, duplicate: 0, refused: 0 };
    const inFlight: InFlightSignals = new Map();
    let stoppedBy: BatchSummaryLine['summary']['stoppedBy'];
    let clientGone = false;
    res.once('close', () => {
      if (!res.writableFinished) clientGone = true;
    });

    res.statusCode = 200;
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('x-correlation-id', correlationId);
    res.flushHeaders();

    const write = async (value: unknown) => {
      if (clientGone) return;
      if (!res.write(`${JSON.stringify(value)}\n`)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    };
    // Receipts are written in line order as soon as the head of the window is committed.
    let writing: Promise<void> = Promise.resolve();
    const drain = (): Promise<void> =>
      (writing = writing.then(async () => {
        while (pending.length && pending[0].done) {
          const receipt = pending.shift()!.result!;
          counts[receipt.status]++;
          await write(receipt);
        }
      }));
    const start = (line: NdjsonLine) => {
      const entry = { done: false } as (typeof pending)[number];
      entry.promise = this.line(line, actor, correlationId, inFlight)
        .catch((error: unknown) => refused(line.number, undefined, 'INTERNAL', internalMessage(error)))
        .then((result) => {
          entry.done = true;
          entry.result = result;
          void drain();
          return result;
        });
      pending.push(entry);
    };

    reading: for (;;) {
      const chunk = await read(req, idleTimeoutMs);
      if (chunk === 'idle' || chunk === 'aborted') {
        stoppedBy = chunk === 'idle' ? 'BATCH.IDLE_TIMEOUT' : 'BATCH.ABORTED';
        break;
      }
      const lines = chunk === 'end' ? splitter.end() : splitter.push(chunk);
      for (const line of lines) {
        if (line.number > maxLines) {
          stoppedBy = 'BATCH.TOO_MANY_LINES';
          break reading;
        }
        await this.charge(actor.partner.id);
        start(line);
        // Backpressure: at a full window (or an answer the client does not read) reading waits.
        while (pending.length >= window) {
          await pending[0].promise;
          await drain();
        }
      }
      if (chunk === 'end') break;
    }
    // A cut-off stream's unfinished last line is not a line; everything started is answered.
    await Promise.all(pending.map((p) => p.promise));
    await drain();
    if (stoppedBy) this.metrics.increment('batch_stopped_total', { reason: stoppedBy });
    this.logger.log(
      {
        msg: 'batch processed',
        correlationId,
        partner: actor.partner.id,
        ...counts,
        stoppedBy: stoppedBy ?? null,
      },
      'Intake',
    );
    const summary: BatchSummaryLine = {
      summary: { lines: splitter.lines, ...counts, ...(stoppedBy ? { stoppedBy } : {}) },
    };
    await write(summary);
    if (!clientGone) res.end();
    // Unread request bytes (too many lines, idle): the connection is not reused.
    if (!req.complete) req.destroy();
  }

  /** One request's worth of the partner's rate per line; an empty bucket waits (backpressure). */
  private async charge(partnerId: string): Promise<void> {
    for (;;) {
      try {
        this.rateLimiter.charge(partnerId, 1);
        return;
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, error.retryAfterSeconds * 1000)));
      }
    }
  }

  private async line(
    line: NdjsonLine,
    actor: AuthenticatedPartner,
    batchCorrelationId: string,
    inFlight: InFlightSignals,
  ): Promise<BatchReceiptLine> {
    if ('tooLarge' in line) {
      return refused(
        line.number,
        undefined,
        'SIGNAL.TOO_LARGE',
        `the line is larger than ${this.limits.maxLineBytes} bytes`,
      );
    }
    let body: unknown;
    if (!isUtf8(line.bytes))
      return refused(line.number, undefined, 'HTTP.BAD_REQUEST', 'the line is not valid UTF-8');
    try {
      body = JSON.parse(line.bytes.toString('utf8'), refusePrototypeKeys);
    } catch {
      return refused(line.number, undefined, 'HTTP.BAD_REQUEST', 'the line is not valid JSON');
    }
    const claimedId = signalIdOf(body);
    try {
      const signal = this.validation.transform(body);
      const input = { correlationId: randomUUID(), actor, receivedAt: new Date(), signal, body };
      // Lines run concurrently: a correction of an earlier line of this batch waits until that line is
      // settled, so that its look-up finds it committed.
      const earlier = signal.supersedes ? inFlight.get(signal.supersedes.toLowerCase()) : undefined;
      const submitted = earlier ? earlier.then(() => this.intake.submit(input)) : this.intake.submit(input);
      const key = signal.signalId.toLowerCase();
      const settled = submitted.then(ignore, ignore);
      inFlight.set(key, settled);
      const outcome = await submitted.finally(() => {
        if (inFlight.get(key) === settled) inFlight.delete(key);
      });
      return {
        line: line.number,
        signalId: signal.signalId,
        status: outcome.replayed ? 'duplicate' : 'accepted',
        receipt: outcome.receipt,
      };
    } catch (error) {
      if (error instanceof GatewayError) {
        return refused(line.number, claimedId, error.code, error.message, error.details);
      }
      const { body: answer } = toErrorResponse(error, this.logger, batchCorrelationId);
      return refused(
        line.number,
        claimedId,
        answer.error,
        answer.message,
        answer.errorId ? { errorId: answer.errorId } : undefined,
      );
    }
  }
}

const ignore = (): void => {};

function internalMessage(_error: unknown): string {
  return 'internal error; this line was not stored';
}

function refused(
  line: number,
  signalId: string | undefined,
  code: string,
  message: string,
  details?: unknown,
): BatchReceiptLine {
  return {
    line,
    ...(signalId ? { signalId } : {}),
    status: 'refused',
    error: { code, message, ...(details !== undefined ? { details } : {}) },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The line's signalId when it is a well-formed id (an id, never other content, is echoed). */
function signalIdOf(body: unknown): string | undefined {
  const id = (body as { signalId?: unknown } | null)?.signalId;
  return typeof id === 'string' && UUID.test(id) ? id : undefined;
}

/** The next chunk of the request body, or why there is none: ended, idle too long, or aborted. */
function read(req: IncomingMessage, idleMs: number): Promise<ReadResult> {
  const chunk = req.read() as Buffer | null;
  if (chunk !== null) return Promise.resolve(chunk);
  if (req.readableEnded) return Promise.resolve('end');
  if (req.destroyed) return Promise.resolve(req.complete ? 'end' : 'aborted');
  return new Promise<ReadResult>((resolve) => {
    const timer = setTimeout(() => done('idle'), idleMs);
    const onReadable = () => {
      const next = req.read() as Buffer | null;
      if (next !== null) done(next);
    };
    const onEnd = () => done('end');
    const onClose = () => done(req.complete && req.readableEnded ? 'end' : 'aborted');
    const done = (result: ReadResult) => {
      clearTimeout(timer);
      req.off('readable', onReadable);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(result);
    };
    req.on('readable', onReadable);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}
