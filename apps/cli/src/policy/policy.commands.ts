import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadPartnersFile, type PartnerConfig } from '@ketenpoort/pki';
import {
  diffPolicies,
  explain,
  formatPolicyDiff,
  formatPolicyProblems,
  lintPolicyText,
  loadPolicyFile,
  readPolicyText,
  type Explanation,
  type PolicyDiff,
  type PolicyProblem,
} from '@ketenpoort/policy';
import { KeyRing, loadKeyRingFile, Pseudonymiser } from '@ketenpoort/pseudonymisation';
import { validateSignal } from '@ketenpoort/signal-contract';

const DEFAULT_POLICY = 'config/policies/register.yaml';
const DEFAULT_PARTNERS = 'config/partners.yaml';
/** Recipient of dry-run tokens: a separate HKDF domain, so they never equal a register token even by mistake. */
export const DRY_RUN_RECIPIENT = 'dry-run';
const defaultDataDir = () => process.env.KETENPOORT_DATA_DIR ?? './.data';

/** A failure the CLI reports with exit code 1 (problems already printed). */
export class PolicyCommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'PolicyCommandError';
  }
}

/**
 * `policy lint`: parses and lints a policy file, with the partners file when given.
 *
 * @example runPolicyLint({ file: 'config/policies/register.yaml', partners: 'config/partners.yaml' }).problems
 */
export function runPolicyLint(opts: { file: string; partners?: string }): {
  source: string;
  version: string | null;
  problems: PolicyProblem[];
} {
  const partners = opts.partners ? loadPartnersFile(opts.partners).partners : undefined;
  const { policy, problems } = lintPolicyText(readPolicyText(opts.file), opts.file, { partners });
  return { source: opts.file, version: policy?.version ?? null, problems };
}

/**
 * `policy diff`: what a change from one policy file to another would start or stop releasing.
 *
 * @example formatPolicyDiff(runPolicyDiff('old.yaml', 'new.yaml'))
 */
export function runPolicyDiff(from: string, to: string): PolicyDiff {
  return diffPolicies(loadPolicyFile(from), loadPolicyFile(to));
}

/**
 * The dry-run token issuer: `<dataDir>/keys/dry-run.json` when it exists, otherwise a key ring generated in
 * memory. Refuses a dry-run file that shares a master key with the production key ring.
 */
export function dryRunTokens(dataDir: string): { tokens: Pseudonymiser; keySource: string } {
  const file = join(dataDir, 'keys', 'dry-run.json');
  if (!existsSync(file)) {
    return {
      tokens: new Pseudonymiser(KeyRing.fromData(KeyRing.generateData()), DRY_RUN_RECIPIENT),
      keySource: 'a dry-run key ring generated in memory for this run',
    };
  }
  const production = join(dataDir, 'keys', 'pseudonymisation.json');
  if (existsSync(production)) {
    const masters = (path: string) =>
      Object.values(
        (JSON.parse(readFileSync(path, 'utf8')) as { versions?: Record<string, string> }).versions ?? {},
      );
    const shared = masters(file).some((key) => masters(production).includes(key));
    if (shared) {
      throw new PolicyCommandError(`${file} shares a key with the production key ring: refused for dry runs`);
    }
  }
  return {
    tokens: new Pseudonymiser(loadKeyRingFile(file, { allowInsecureMode: true }), DRY_RUN_RECIPIENT),
    keySource: `the dry-run key ring ${file}`,
  };
}

/**
 * `policy explain`: the dry run of a sample signal for a partner and purpose, under dry-run keys only.
 *
 * @example runPolicyExplain({ partner: 'kmar', purpose: 'registration', signal: 'sample.json', ... }).outcome
 */
export function runPolicyExplain(opts: {
  partner: string;
  purpose: string;
  signal: string;
  policy: string;
  partners: string;
  dataDir: string;
}): Explanation & { keySource: string; partnerMayUsePurpose: boolean } {
  const partner: PartnerConfig | undefined = loadPartnersFile(opts.partners).partners.find(
    (p) => p.id === opts.partner,
  );
  if (!partner) throw new PolicyCommandError(`no partner '${opts.partner}' in ${opts.partners}`);
  let plain: unknown;
  try {
    plain = JSON.parse(readFileSync(opts.signal, 'utf8'));
  } catch (error) {
    throw new PolicyCommandError(`${opts.signal}: not readable JSON (${(error as Error).name})`);
  }
  if (plain && typeof plain === 'object') (plain as Record<string, unknown>).purpose = opts.purpose;
  const validation = validateSignal(plain);
  if (!validation.ok) {
    const fields = validation.errors.map((e) => JSON.stringify(e)).join('\n  ');
    throw new PolicyCommandError(`${opts.signal}: not a valid signal v1:\n  ${fields}`);
  }
  const { tokens, keySource } = dryRunTokens(resolve(opts.dataDir));
  const result = explain(loadPolicyFile(opts.policy), validation.signal, {
    reporterType: partner.reporterType,
    tokens,
    reporter: { organisation: partner.id },
  });
  return { ...result, keySource, partnerMayUsePurpose: partner.purposes.includes(opts.purpose) };
}

function formatExplanation(result: ReturnType<typeof runPolicyExplain>): string {
  const lines = [
    `DRY RUN — tokens below are computed with ${result.keySource}, never with the production key ring;`,
    'they cannot be compared with register tokens.',
    `policy ${result.policyVersion}  purpose ${result.purpose}  reporter type ${result.reporterType}`,
  ];
  if (!result.partnerMayUsePurpose)
    lines.push('NOTE: this partner is not configured for this purpose (403 at intake)');
  if (result.legalGround) lines.push(`ground: ${result.legalGround}  consent: ${result.consent?.rule}`);
  lines.push(
    result.refusal
      ? `outcome: REFUSED ${result.refusal.code}${result.refusal.field ? ` (${result.refusal.field})` : ''}: ${result.refusal.message}`
      : 'outcome: released',
  );
  if (result.flags.length) lines.push(`flags: ${result.flags.join(', ')}`);
  for (const field of result.fields) {
    if (!field.present && field.line === null) continue;
    const where = field.line === null ? '' : ` (line ${field.line})`;
    lines.push(`${field.field}: ${field.action} — ${field.rule}${where}`);
    for (const output of field.outputs) lines.push(`    ${output.output} = ${JSON.stringify(output.value)}`);
  }
  for (const derived of result.derived)
    lines.push(`${derived.rule}: ${derived.output} = ${JSON.stringify(derived.value)}`);
  return lines.join('\n');
}

/** Adds `policy lint`, `policy diff`, `policy explain` and `policy version` to the CLI. */
export function registerPolicyCommands(program: Command): void {
  const policy = program
    .command('policy')
    .description('field policies: lint, diff, explain (dry run), version');

  policy
    .command('lint')
    .description('check a policy file; exit 1 when it has problems')
    .argument('[file]', 'policy file', DEFAULT_POLICY)
    .option('--partners <file>', 'also check against the partners configuration')
    .action((file: string, opts: { partners?: string }) => {
      const result = runPolicyLint({ file, partners: opts.partners });
      if (result.problems.length) {
        console.error(formatPolicyProblems(result.source, result.problems));
        throw new PolicyCommandError(`${result.source}: ${result.problems.length} problem(s)`);
      }
      console.log(`${result.source}: lints (version ${result.version})`);
    });

  policy
    .command('diff')
    .description('what a change from V1 to V2 would start or stop releasing, per purpose and reporter type')
    .argument('<v1>', 'the current policy file')
    .argument('<v2>', 'the proposed policy file')
    .option('--json', 'print the diff as JSON')
    .action((v1: string, v2: string, opts: { json?: boolean }) => {
      const diff = runPolicyDiff(v1, v2);
      console.log(opts.json ? JSON.stringify(diff, null, 2) : formatPolicyDiff(diff));
    });

  policy
    .command('explain')
    .description(
      'dry-run a sample signal: per field the rule that matched and the result (dry-run keys only)',
    )
    .argument('<signal>', 'sample signal (JSON)')
    .requiredOption('--partner <id>', 'partner id (its reporter type decides ground and consent)')
    .requiredOption('--purpose <purpose>', 'purpose to explain')
    .option('--policy <file>', 'policy file', DEFAULT_POLICY)
    .option('--partners <file>', 'partners configuration', DEFAULT_PARTNERS)
    .option(
      '--data-dir <dir>',
      'data folder (env KETENPOORT_DATA_DIR) for keys/dry-run.json',
      defaultDataDir(),
    )
    .option('--json', 'print the explanation as JSON')
    .action(
      (
        signal: string,
        opts: {
          partner: string;
          purpose: string;
          policy: string;
          partners: string;
          dataDir: string;
          json?: boolean;
        },
      ) => {
        const result = runPolicyExplain({ ...opts, signal });
        console.log(
          opts.json ? JSON.stringify({ dryRun: true, ...result }, null, 2) : formatExplanation(result),
        );
      },
    );

  policy
    .command('version')
    .description('print the content hash (version) of a policy file')
    .argument('<file>', 'policy file')
    .action((file: string) => {
      console.log(loadPolicyFile(file).version);
    });
}
