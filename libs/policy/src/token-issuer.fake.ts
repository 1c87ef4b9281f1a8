import { createHmac } from 'node:crypto';
import type { LinkageInput, TokenIssuer } from './token-issuer.js';

/**
 * Test double of the Pseudonymiser: keyed tokens (so no input shows through) and a record of every input,
 * so tests can see exactly what the evaluator handed over.
 */
export class FakeTokenIssuer implements TokenIssuer {
  readonly keyVersion = 7;
  readonly linkageInputs: LinkageInput[] = [];
  readonly caseInputs: string[] = [];

  private token(kind: string, input: string): string {
    return `v${this.keyVersion}.register.${kind}.${createHmac('sha256', 'fake-key').update(input).digest('hex').slice(0, 26)}`;
  }

  linkageTokens(subject: LinkageInput): { kind: string; value: string }[] {
    this.linkageInputs.push(structuredClone(subject));
    const tokens: { kind: string; value: string }[] = [];
    if (subject.givenNames || subject.familyName || subject.birthDate) {
      const nds = [subject.givenNames, subject.familyName, subject.birthDate, subject.sex].join('|');
      tokens.push({ kind: 'nds', value: this.token('nds', nds) });
    }
    for (const document of subject.documents ?? []) {
      const doc = [document.type, document.country, document.number].join('|');
      tokens.push({ kind: 'doc', value: this.token('doc', doc) });
    }
    return tokens;
  }

  caseToken(reference: string): string {
    this.caseInputs.push(reference);
    return this.token('case', reference);
  }
}
