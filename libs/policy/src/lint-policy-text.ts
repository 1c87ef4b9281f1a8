import { PolicyError, type PolicyProblem } from './policy.error.js';
import { lintPolicy, type LintOptions } from './policy.linter.js';
import type { Policy } from './policy.model.js';
import { parsePolicy } from './policy.parser.js';

/**
 * Parses and lints policy text without throwing: the policy when it lints, and the problems of both steps.
 *
 * @example lintPolicyText(text, 'config/policies/register.yaml', { partners }).problems // []
 */
export function lintPolicyText(
  text: string,
  source: string,
  opts: LintOptions = {},
): { policy: Policy | null; problems: PolicyProblem[] } {
  let policy: Policy;
  try {
    policy = parsePolicy(text, source);
  } catch (error) {
    if (error instanceof PolicyError && error.code === 'POLICY.INVALID') {
      return { policy: null, problems: [...error.problems] };
    }
    throw error;
  }
  const problems = lintPolicy(policy, opts);
  return { policy: problems.length ? null : policy, problems };
}
