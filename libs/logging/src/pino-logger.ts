import { pino, type Logger } from 'pino';
import { describeError, redactDeep, REDACTED, REDACTED_PATHS } from './redaction.js';

/** Nest's log levels (the methods of its `LoggerService`), lowest last. */
export type NestLogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
const NEST_LEVELS: readonly NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's level → pino's: Nest's `log` is pino's `info`; `verbose` is a custom level below `debug`. */
const PINO_LEVEL = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'verbose',
} as const satisfies Record<NestLogLevel, string>;

/** The levels written when none are given: no debug or verbose output. */
export const DEFAULT_LOG_LEVELS: readonly NestLogLevel[] = ['fatal', 'error', 'warn', 'log'];

/** Where lines go: anything with `write(line)` — a file, a pipe, a test's capturing `Writable`. */
export interface LogDestination {
  write(line: string): unknown;
}

export interface PinoLoggerOptions {
  /** Written as `app` on every line (`gateway`, `register`). */
  app: string;
  /** Default: standard output, written synchronously (a line is out before a crash). */
  destination?: LogDestination;
  /** The levels written: a list, or one level meaning it and everything more severe. Default: DEFAULT_LOG_LEVELS. */
  levels?: readonly NestLogLevel[] | NestLogLevel;
}

/**
 * Nest `LoggerService` over pino: one JSON object per line, `{"level":"info","time":"<ISO>","app":…,
 * "context":…, …fields, "msg":…}`. Call sites pass ids, codes and field names; whatever they pass, every
 * personal field of the signal contract and every key or secret is written as `[redacted]` at any depth.
 * The last string argument is the context; other extra arguments (Nest's stack traces) are not written.
 *
 * @example
 * const logger = new PinoLogger({ app: 'gateway', levels: ['error', 'warn', 'log'] });
 * logger.log({ msg: 'record delivered', correlationId, recordId }, 'Outbox');
 */
export class PinoLogger {
  private readonly pino: Logger<'verbose'>;
  private enabled: ReadonlySet<NestLogLevel>;

  constructor(options: PinoLoggerOptions) {
    this.enabled = enabledLevels(options.levels ?? DEFAULT_LOG_LEVELS);
    this.pino = pino<'verbose'>(
      {
        base: { app: options.app },
        level: lowestPinoLevel(this.enabled),
        customLevels: { verbose: 15 },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }), log: (entry) => redactDeep(entry) },
        serializers: { err: (error: unknown) => (error instanceof Error ? describeError(error) : error) },
        redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
      },
      options.destination ?? pino.destination({ dest: 1, sync: true }),
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Called by Nest with the application's `logLevels`. */
  setLogLevels(levels: NestLogLevel[]): void {
    this.enabled = enabledLevels(levels);
    this.pino.level = lowestPinoLevel(this.enabled);
  }

  isLevelEnabled(level: NestLogLevel): boolean {
    return this.enabled.has(level);
  }

  private write(level: NestLogLevel, message: unknown, rest: unknown[]): void {
    if (!this.enabled.has(level)) return;
    const last = rest[rest.length - 1];
    // A context is one short line; a multi-line string there is a stack trace (`error(message, stack)`).
    const context = typeof last === 'string' && !last.includes('\n') ? last : undefined;
    const { msg, fields } = entryOf(message, context);
    this.pino[PINO_LEVEL[level]](fields, msg);
  }
}

/**
 * What a caller passed as the line's fields (the context first, as given fields may override it) and its
 * `msg`; the register's `message` is its `msg` when there is no other.
 */
function entryOf(message: unknown, context: string | undefined): { msg: string; fields: object } {
  const fields: Record<string, unknown> = context === undefined ? {} : { context };
  if (message instanceof Error)
    return { msg: message.name, fields: { ...fields, ...describeError(message) } };
  if (message === null || typeof message !== 'object') return { msg: String(message), fields };
  if (Array.isArray(message)) return { msg: '', fields: { ...fields, values: message } };
  const given = message as Record<string, unknown>;
  const text = given.msg === undefined && typeof given.message === 'string' ? given.message : undefined;
  for (const key of Object.keys(given))
    if (key !== 'msg' && (text === undefined || key !== 'message')) fields[key] = given[key];
  return { msg: text ?? (given.msg === undefined ? '' : String(given.msg)), fields };
}

function enabledLevels(levels: readonly NestLogLevel[] | NestLogLevel): ReadonlySet<NestLogLevel> {
  if (typeof levels === 'string') {
    const threshold = NEST_LEVELS.indexOf(levels);
    if (threshold < 0) throw new Error(`unknown log level ${String(levels)}`);
    return new Set(NEST_LEVELS.slice(0, threshold + 1));
  }
  for (const level of levels)
    if (!NEST_LEVELS.includes(level)) throw new Error(`unknown log level ${String(level)}`);
  return new Set(levels);
}

/** pino filters by threshold; the exact list is filtered before pino is called. */
function lowestPinoLevel(enabled: ReadonlySet<NestLogLevel>): string {
  const lowest = [...NEST_LEVELS].reverse().find((level) => enabled.has(level));
  return lowest ? PINO_LEVEL[lowest] : 'silent';
}
