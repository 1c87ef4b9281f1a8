/** The privacy officer's console: an OpenID Connect client of the configured issuer. */
export interface ConsoleConfig {
  /** Issuer identifier; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Where browsers reach the console, e.g. `https://admin.gateway.example/console`. When absent, only a
   * loopback host at the admin listener's own port is accepted (the embedded default).
   */
  publicUrl?: string;
  /** Extra CA certificates (PEM) trusted for the issuer's TLS (the dev CA in dev mode). */
  issuerCaPems?: string[];
  /** Expected ID token algorithm; default: the first one the issuer advertises. */
  idTokenSigningAlg?: string;
  /** A session ends after this long without a request (default 30 min) … */
  sessionIdleMs?: number;
  /** … and at the latest this long after sign-in (default 8 h). */
  sessionMaxMs?: number;
}

export const DEFAULT_CONSOLE_SESSION = { idleMs: 30 * 60_000, maxMs: 8 * 60 * 60_000 };

/** Problems of a console configuration, in words that say what to fix (empty: fine). */
export function consoleConfigProblems(config: ConsoleConfig | undefined): string[] {
  if (!config) return [];
  const problems: string[] = [];
  const https = (value: string | undefined) => {
    try {
      return new URL(value ?? '').protocol === 'https:';
    } catch {
      return false;
    }
  };
  if (!https(config.issuer)) problems.push('console.issuer must be an https URL');
  if (!config.clientId) problems.push('console.clientId is missing');
  if (!config.clientSecret || config.clientSecret.length < 16)
    problems.push('console.clientSecret must be at least 16 characters');
  if (
    config.publicUrl !== undefined &&
    (!https(config.publicUrl) || !config.publicUrl.replace(/\/$/, '').endsWith('/console'))
  )
    problems.push('console.publicUrl must be an https URL ending in /console');
  return problems;
}
