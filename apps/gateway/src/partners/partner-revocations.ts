import { Inject, Injectable, type LoggerService, type OnModuleDestroy } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { RevocationChecker } from '@ketenpoort/pki';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { ActiveConfiguration } from '../governance/active-configuration.js';

/**
 * The partner CAs' CRLs: read from files, each verified against its (approved) CA, re-read on a timer
 * and on demand. A CRL that does not verify (wrong signer, forged, expired) is not taken, and a trusted CA
 * left without a current CRL has all its certificates refused (fail closed).
 */
@Injectable()
export class PartnerRevocations implements OnModuleDestroy {
  private checker = RevocationChecker.empty();
  private fingerprint = '';
  private timer?: NodeJS.Timeout;
  private readonly listeners: (() => void)[] = [];

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly active: ActiveConfiguration,
  ) {
    // A change of the approved CAs changes which CRLs verify.
    active.onPartnersChanged(() => void this.reload());
  }

  /** True when CRLs are configured: every partner certificate must then be covered by one. */
  get enabled(): boolean {
    return (this.config.revocation?.crlPaths.length ?? 0) > 0;
  }

  /** The CRLs to give to TLS (`crl` option); undefined when revocation checking is off. */
  get crlPems(): string[] | undefined {
    return this.enabled && this.checker.acceptedCrlPems.length
      ? [...this.checker.acceptedCrlPems]
      : undefined;
  }

  /** `good`, `revoked`, or `no-crl` (refuse) for a certificate's DER; always `good` when off. */
  status(certDer: Buffer): 'good' | 'revoked' | 'no-crl' {
    return this.enabled ? this.checker.status(certDer) : 'good';
  }

  /** Called after a reload that changed what is revoked or which CRLs are enforced. */
  onChanged(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Starts re-reading the CRL files every `refreshIntervalMs`. */
  start(): void {
    const interval = this.config.revocation?.refreshIntervalMs;
    if (!this.enabled || !interval || this.timer) return;
    this.timer = setInterval(() => void this.reload(), interval);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Re-reads and verifies the CRL files; tells the listeners when anything changed. */
  async reload(): Promise<{ changed: boolean; revoked: number; problems: number }> {
    if (!this.enabled) return { changed: false, revoked: 0, problems: 0 };
    const paths = this.config.revocation!.crlPaths;
    const texts = await Promise.all(paths.map((p) => readFile(p, 'utf8').catch(() => null)));
    const unreadable = paths.filter((_, i) => texts[i] === null);
    const crls = texts.filter((t): t is string => t !== null);
    const checker = RevocationChecker.fromCrls(crls, this.active.caBundle);
    for (const problem of checker.problems)
      this.logger.warn({ msg: 'CRL not taken', code: problem.code }, 'Revocation');
    if (unreadable.length) this.logger.warn({ msg: 'CRL file unreadable', paths: unreadable }, 'Revocation');
    if (checker.casWithoutCrl.length)
      this.logger.warn(
        { msg: 'trusted CA without a current CRL: its certificates are refused', cas: checker.casWithoutCrl },
        'Revocation',
      );
    const fingerprint = checker.acceptedCrlPems.join('\n') + `|${this.active.caBundle.join('')}`;
    const changed = fingerprint !== this.fingerprint;
    this.checker = checker;
    this.fingerprint = fingerprint;
    if (changed) {
      this.logger.log(
        { msg: 'CRLs enforced', crls: checker.acceptedCrlPems.length, revoked: checker.revokedCount },
        'Revocation',
      );
      for (const listener of this.listeners) listener();
    }
    return { changed, revoked: checker.revokedCount, problems: checker.problems.length + unreadable.length };
  }
}
