import type { LoggerService } from '@nestjs/common';
import type { Writable } from 'node:stream';

type Level = 'error' | 'warn' | 'log' | 'debug' | 'verbose' | 'fatal';

/**
 * JSON lines logger. Callers pass ids, codes and field names only; message objects are written as
 * given, so personal data must never reach a call site (tests scan the output for canaries).
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly out: Writable = process.stdout,
    private readonly app = 'gateway',
    private readonly levels: Level[] = ['error', 'warn', 'log', 'fatal'],
  ) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]) {
    if (!this.levels.includes(level)) return;
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const fields = typeof message === 'object' && message !== null ? message : { msg: String(message) };
    this.out.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, app: this.app, context, ...fields })}\n`,
    );
  }
}
