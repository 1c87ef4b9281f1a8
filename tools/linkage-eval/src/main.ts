import { generateKeyRingData, KeyRing, Pseudonymiser, rotateKeyRingData } from '@ketenpoort/pseudonymisation';
import { generateYear, type Variation } from './synthetic-year.generator.js';
import {
  countPersons,
  evaluationPseudonymiser,
  EXACT_TOKEN_KINDS,
  linkRecords,
  measure,
  registerView,
  type LinkageMetrics,
} from './linkage-evaluation.js';

const SEED = Number(process.env.KP_EVAL_SEED ?? 20201013);
const PERSONS = Number(process.env.KP_EVAL_PERSONS ?? 1013);

const fmt = (n: number) => n.toFixed(4);

function table(title: string, rows: [string, LinkageMetrics][]): void {
  console.log(`\n## ${title}\n`);
  console.log(
    '| linker | precision | recall | F1 | wrong pairs | wrong merges | persons (true) | counting error |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, m] of rows) {
    console.log(
      `| ${name} | ${fmt(m.precision)} | ${fmt(m.recall)} | ${fmt(m.f1)} | ${m.wrongPairs} | ${m.wrongMerges} | ${m.predictedPersons} (${m.truePersons}) | ${m.countingError >= 0 ? '+' : ''}${m.countingError} |`,
    );
  }
  const kinds = Object.keys(rows[0][1].recallBy) as Variation[];
  console.log(`\nRecall per kind of variation (true pairs where either report carries it):\n`);
  console.log(`| linker | ${kinds.map((k) => `${k} (${rows[0][1].recallBy[k]!.pairs})`).join(' | ')} |`);
  console.log(`|---|${kinds.map(() => '---').join('|')}|`);
  for (const [name, m] of rows) {
    console.log(`| ${name} | ${kinds.map((k) => fmt(m.recallBy[k]!.recall)).join(' | ')} |`);
  }
}

async function scenario(title: string, fullMix: boolean): Promise<void> {
  const { reports } = generateYear({ seed: SEED, persons: PERSONS, year: 2020, fullMix, kmarSexualOnly: 29 });
  const pseudonymiser = evaluationPseudonymiser();
  const subjects = reports.map((r) => registerView(r, pseudonymiser));
  const started = Date.now();
  const richer = await linkRecords(subjects);
  const elapsed = Date.now() - started;
  const exact = await linkRecords(subjects, EXACT_TOKEN_KINDS);
  table(
    `${title}: ${reports.length} reports about ${PERSONS} persons (seed ${SEED}; linking took ${elapsed} ms)`,
    [
      ['richer tokens (this linkage)', measure(reports, richer)],
      ['exact tokens (trunk baseline)', measure(reports, exact)],
    ],
  );
  for (const rule of ['register', 'rapporteur'] as const) {
    const truth = countPersons(reports, (r) => r.personId, rule);
    const ours = countPersons(reports, (r) => richer.get(r.reportId)!, rule);
    const base = countPersons(reports, (r) => exact.get(r.reportId)!, rule);
    console.log(`\n${rule} count 2020: true ${truth}, richer ${ours}, exact ${base}`);
  }
}

/** What emitting under every non-retired key version costs per signal (docs/adr/0008-key-rotation.md). */
function rotationCost(): void {
  const { reports } = generateYear({ seed: SEED, persons: 300, year: 2020, fullMix: true });
  const one = KeyRing.fromData(generateKeyRingData());
  const two = KeyRing.fromData(rotateKeyRingData(generateKeyRingData()));
  console.log('\n## Cost per signal of issuing under every non-retired key version\n');
  console.log(
    '| active versions | tokens per signal (mean) | token bytes per signal (mean) | µs per signal (mean) |',
  );
  console.log('|---|---|---|---|');
  for (const [label, ring] of [
    ['1', one],
    ['2 (during a rotation)', two],
  ] as const) {
    const sut = new Pseudonymiser(ring, 'register');
    const subjects = reports.map((r) => r.subject);
    for (const s of subjects) sut.linkageTokens(s); // warm-up
    const started = process.hrtime.bigint();
    let tokens = 0;
    let bytes = 0;
    const rounds = 5;
    for (let i = 0; i < rounds; i++) {
      for (const s of subjects) {
        const issued = sut.linkageTokens(s);
        tokens += issued.length;
        bytes += JSON.stringify(issued).length;
      }
    }
    const micros = Number(process.hrtime.bigint() - started) / 1000 / (rounds * subjects.length);
    const n = rounds * subjects.length;
    console.log(
      `| ${label} | ${(tokens / n).toFixed(1)} | ${Math.round(bytes / n)} | ${micros.toFixed(0)} |`,
    );
  }
}

await scenario('Formatting variation only', false);
await scenario('Full mix (issue 5 §5 rates)', true);
rotationCost();
