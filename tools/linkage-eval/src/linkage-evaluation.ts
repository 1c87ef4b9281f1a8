import { KeyRing, Pseudonymiser } from '@ketenpoort/pseudonymisation';
import {
  InMemoryLinkageStore,
  PersonLinker,
  type LinkageSubject,
} from '../../../apps/register/src/linkage/index.js';
import { personCounts, type CountingRule } from '../../../apps/register/src/statistics/counting-rule.js';
import { VARIATIONS, type SyntheticReport, type Variation } from './synthetic-year.generator.js';

/** What the register sees of a report: the gateway's tokens and the released subject attributes. */
export function registerView(report: SyntheticReport, pseudonymiser: Pseudonymiser): LinkageSubject {
  const { subject } = report;
  const year = subject.birthDate ? Number(subject.birthDate.slice(0, 4)) : null;
  return {
    recordId: report.reportId,
    tokens: pseudonymiser.linkageTokens({
      givenNames: subject.givenNames,
      familyName: subject.familyName,
      birthDate: subject.birthDate,
      sex: subject.sex,
      documents: subject.documents,
    }),
    birthYear: year,
    sex: subject.sex,
    birthDateEstimated: subject.birthDateEstimated === true,
  };
}

/** The trunk's exact-token rule: only `nds` and `doc` tokens reach the same linker. */
export const EXACT_TOKEN_KINDS = ['doc', 'nds'];

/**
 * Links the records one by one through the register's `PersonLinker` on an in-memory store (the same code
 * the register runs inside its database transaction; no HTTP), optionally keeping only some token kinds.
 *
 * @example
 * const personOf = await linkRecords(subjects); // Map reportId → predicted person id
 */
export async function linkRecords(
  subjects: readonly LinkageSubject[],
  onlyKinds?: readonly string[],
): Promise<Map<string, string>> {
  const linker = new PersonLinker();
  const store = new InMemoryLinkageStore();
  for (const original of subjects) {
    const subject = onlyKinds
      ? { ...original, tokens: original.tokens.filter((t) => onlyKinds.includes(t.kind)) }
      : original;
    store.add(subject);
    await linker.link(subject, store);
  }
  return new Map(subjects.map((s) => [s.recordId, store.personOf(s.recordId)!]));
}

export interface LinkageMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Predicted same-person pairs that are two different persons. */
  wrongPairs: number;
  /** Predicted persons that hold reports of more than one true person. */
  wrongMerges: number;
  truePersons: number;
  predictedPersons: number;
  /** predictedPersons − truePersons. */
  countingError: number;
  /** Recall over the true pairs where either report carries the variation. */
  recallBy: Partial<Record<Variation, { pairs: number; recall: number }>>;
}

/** Pairwise precision, recall and F1 of a predicted partition against the ground truth. */
export function measure(reports: readonly SyntheticReport[], predicted: Map<string, string>): LinkageMetrics {
  const byTrue = group(reports, (r) => r.personId);
  const byPredicted = group(reports, (r) => predicted.get(r.reportId)!);
  let truePairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  const varied = new Map<Variation, { pairs: number; found: number }>();
  for (const members of byTrue.values()) {
    truePairs += pairs(members.length);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const found = predicted.get(members[i].reportId) === predicted.get(members[j].reportId);
        const kinds = new Set([...members[i].variations, ...members[j].variations]);
        for (const kind of kinds) {
          const entry = varied.get(kind) ?? { pairs: 0, found: 0 };
          entry.pairs++;
          if (found) entry.found++;
          varied.set(kind, entry);
        }
      }
    }
  }
  let wrongMerges = 0;
  for (const members of byPredicted.values()) {
    predictedPairs += pairs(members.length);
    const truth = group(members, (r) => r.personId);
    for (const same of truth.values()) correctPairs += pairs(same.length);
    if (truth.size > 1) wrongMerges++;
  }
  const precision = predictedPairs ? correctPairs / predictedPairs : 1;
  const recall = truePairs ? correctPairs / truePairs : 1;
  const recallBy: LinkageMetrics['recallBy'] = {};
  for (const kind of VARIATIONS) {
    const entry = varied.get(kind);
    if (entry) recallBy[kind] = { pairs: entry.pairs, recall: entry.found / entry.pairs };
  }
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    wrongPairs: predictedPairs - correctPairs,
    wrongMerges,
    truePersons: byTrue.size,
    predictedPersons: byPredicted.size,
    countingError: byPredicted.size - byTrue.size,
    recallBy,
  };
}

/** Persons counted in the year under a counting rule, over a partition (true or predicted). */
export function countPersons(
  reports: readonly SyntheticReport[],
  personOf: (report: SyntheticReport) => string,
  rule: CountingRule,
): number {
  let counted = 0;
  for (const members of group(reports, personOf).values()) {
    const facts = members.map((r) => ({
      reporterType: r.reporterType,
      sexualExploitationOnly: r.forms.length > 0 && r.forms.every((f) => f === 'sexual'),
    }));
    if (personCounts(rule, facts)) counted++;
  }
  return counted;
}

/** A fixed evaluation key ring (the harness needs no secrecy; tokens are never written anywhere). */
export function evaluationPseudonymiser(): Pseudonymiser {
  const master = Buffer.alloc(32, 7).toString('base64');
  return new Pseudonymiser(
    KeyRing.fromData({ format: 1, current: 1, versions: { '1': master } }),
    'register',
  );
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

const pairs = (n: number) => (n * (n - 1)) / 2;
