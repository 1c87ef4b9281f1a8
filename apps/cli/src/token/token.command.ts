import type { Command } from 'commander';
import { importJWK, SignJWT } from 'jose';
import { resolve } from 'node:path';
import { loadStackKeys } from '../stack/stack-keys.js';
import { DEV_ISSUER, GATEWAY_ADMIN_AUDIENCE, REGISTER_ID } from '../stack/stack.js';

export const TOKEN_ROLES = [
  'analyst',
  'integrator',
  'privacy-officer',
  'auditor',
  'register-steward',
] as const;

/** Register roles go to the register; the others to the gateway's admin API. */
export function defaultAudience(role: string): string {
  return role === 'analyst' || role === 'register-steward' ? REGISTER_ID : GATEWAY_ADMIN_AUDIENCE;
}

/** Signs a bearer token with the dev issuer key. Embedded default only: production tokens come from the IdP. */
export async function issueDevToken(
  dataDir: string,
  opts: { role: string; sub: string; audience?: string; ttl?: string; partnerScope?: string[] },
) {
  if (!(TOKEN_ROLES as readonly string[]).includes(opts.role)) throw new Error(`unknown role ${opts.role}`);
  const keys = loadStackKeys(dataDir);
  return new SignJWT({
    roles: [opts.role],
    ...(opts.partnerScope?.length ? { partnerScope: opts.partnerScope } : {}),
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.devIssuer.kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(opts.audience ?? defaultAudience(opts.role))
    .setSubject(opts.sub)
    .setIssuedAt()
    .setExpirationTime(opts.ttl ?? '8h')
    .sign(await importJWK(keys.devIssuer, 'EdDSA'));
}

export function registerTokenCommands(program: Command): void {
  program
    .command('token')
    .description('bearer tokens (embedded default only)')
    .command('issue')
    .requiredOption('--role <role>', TOKEN_ROLES.join(' | '))
    .requiredOption('--sub <name>', 'subject (who the token is for)')
    .option(
      '--audience <aud>',
      'audience (default: the register for analyst/register-steward, else the gateway admin API)',
    )
    .option('--scope <partnerIds>', 'limit the token to these partners (comma-separated)')
    .option('--ttl <ttl>', 'lifetime, e.g. 8h', '8h')
    .option('--data-dir <dir>', 'data folder', process.env.KETENPOORT_DATA_DIR ?? '.data')
    .action(
      async (opts: {
        role: string;
        sub: string;
        audience?: string;
        ttl: string;
        dataDir: string;
        scope?: string;
      }) => {
        const partnerScope = opts.scope
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        console.log(await issueDevToken(resolve(opts.dataDir), { ...opts, partnerScope }));
      },
    );
}
