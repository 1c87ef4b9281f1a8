import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { issueDevToken } from '../token/token.command.js';

export const STATS_FORMATS = ['table', 'json', 'csv'] as const;
export type StatsFormat = (typeof STATS_FORMATS)[number];

export interface StatsOptions {
  year: number;
  rule: 'register' | 'rapporteur';
  breakdown?: string;
  format: StatsFormat;
  registerUrl: string;
  dataDir: string;
}

interface StatisticsAnswer {
  year: number;
  rule: string;
  persons: number;
  breakdown?: string;
  minCellSize?: number;
  cellsOverlap?: boolean;
  withheld?: boolean;
  note?: string;
  cells?: { category: string; persons: number | null }[];
}

/** GET over TLS, trusting only the data folder's CA; rejects with the register's error code on a non-2xx. */
function get(url: string, ca: string, token: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      url,
      { ca, headers: { authorization: `Bearer ${token}` }, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) return resolvePromise(text);
          let code = 'unknown';
          try {
            code = (JSON.parse(text) as { code?: string }).code ?? code;
          } catch {
            // not JSON: keep 'unknown'
          }
          reject(new Error(`the register answered ${res.statusCode} (${code})`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('the register did not answer in time')));
    req.on('error', reject);
    req.end();
  });
}

/** A text table of one answer: the total, then each cell (`suppressed` where the register hid it). */
export function renderTable(answer: StatisticsAnswer): string {
  const rows: [string, string][] = [[`persons (${answer.rule}, ${answer.year})`, String(answer.persons)]];
  if (answer.breakdown) {
    for (const cell of answer.cells ?? []) {
      rows.push([
        `  ${cell.category}`,
        cell.persons === null ? (answer.withheld ? 'withheld' : 'suppressed') : String(cell.persons),
      ]);
    }
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value.padStart(8)}`);
  if (answer.breakdown) {
    lines.push('', `cells below ${answer.minCellSize} persons are suppressed, with complementary cells`);
    if (answer.note) lines.push(answer.note);
  }
  return lines.join('\n');
}

/**
 * Asks the register's analyst API for one year's figures with a dev analyst token (embedded default) and
 * returns them rendered.
 *
 * @example await runStats({ year: 2020, rule: 'register', format: 'table', registerUrl, dataDir })
 */
export async function runStats(options: StatsOptions): Promise<string> {
  const dataDir = resolve(options.dataDir);
  const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  const token = await issueDevToken(dataDir, { role: 'analyst', sub: 'ketenpoort-cli', ttl: '5m' });
  const query = new URLSearchParams({ year: String(options.year), rule: options.rule });
  if (options.breakdown) query.set('breakdown', options.breakdown);
  if (options.format === 'csv') query.set('format', 'csv');
  const text = await get(`${options.registerUrl.replace(/\/$/, '')}/v1/statistics?${query}`, ca, token);
  if (options.format === 'csv') return text.trimEnd();
  const answer = JSON.parse(text) as StatisticsAnswer;
  return options.format === 'json' ? JSON.stringify(answer, null, 2) : renderTable(answer);
}

export function registerStatsCommands(program: Command): void {
  program
    .command('stats')
    .description("unique persons of a year from the register's analyst API (suppressed aggregates only)")
    .requiredOption('--year <year>', 'reporting year (Europe/Amsterdam)')
    .option('--rule <rule>', 'register | rapporteur', 'register')
    .option(
      '--breakdown <breakdown>',
      'reporter-type | exploitation-form | sex | age-group | nationality | police-unit | dossier-type',
    )
    .option('--format <format>', STATS_FORMATS.join(' | '), 'table')
    .option(
      '--register-url <url>',
      'register API',
      process.env.KETENPOORT_REGISTER_URL ?? 'https://127.0.0.1:9444',
    )
    .option('--data-dir <dir>', 'data folder', process.env.KETENPOORT_DATA_DIR ?? '.data')
    .action(
      async (opts: {
        year: string;
        rule: string;
        breakdown?: string;
        format: string;
        registerUrl: string;
        dataDir: string;
      }) => {
        if (!/^\d{4}$/.test(opts.year)) throw new Error('--year must be a four-digit year');
        if (opts.rule !== 'register' && opts.rule !== 'rapporteur')
          throw new Error('--rule must be register or rapporteur');
        if (!(STATS_FORMATS as readonly string[]).includes(opts.format))
          throw new Error(`--format must be ${STATS_FORMATS.join(', ')}`);
        console.log(
          await runStats({
            year: Number(opts.year),
            rule: opts.rule,
            breakdown: opts.breakdown,
            format: opts.format as StatsFormat,
            registerUrl: opts.registerUrl,
            dataDir: opts.dataDir,
          }),
        );
      },
    );
}
