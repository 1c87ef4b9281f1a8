import { PinoLogger } from '@ketenpoort/logging';
import { CapturedOutput } from './canary-scan.js';

/**
 * Loggers for a test stack that only keep errors (captured, not printed): for tests that do not read the
 * log but should not flood the test output either.
 *
 * @example startStack({ ...options, ...errorOnlyLoggers() })
 */
export function errorOnlyLoggers(): { gatewayLogger: PinoLogger; registerLogger: PinoLogger } {
  const logger = (app: string) =>
    new PinoLogger({ app, destination: new CapturedOutput(), levels: ['error', 'fatal'] });
  return { gatewayLogger: logger('gateway'), registerLogger: logger('register') };
}
