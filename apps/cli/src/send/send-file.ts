import {
  appendFileSync,
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createProgress } from '../common/progress.js';

export interface SendOptions {
  partnerId: string;
  file: string;
  dataDir: string;
  gatewayUrl: string;
  /** Receipts are appended here (NDJSON, `line` = line of FILE); read back on a resume. */
  receiptsPath: string;
  /** Lines per request. */
  batchSize: number;
  /** Stops after the current request (tests, Ctrl-C). */
  signal?: AbortSignal;
  progressStream?: NodeJS.WriteStream;
}

export interface SendSummary {
  lines: number;
  accepted: number;
  duplicate: number;
  refused: number;
  /** Lines skipped because an earlier run already had them accepted (the resume). */
  skipped: number;
  interrupted: boolean;
}

interface Receipt {
  line: number;
  signalId?: string;
  status: 'accepted' | 'duplicate' | 'refused';
  error?: { code: string };
}

/**
 * Pushes an NDJSON file of signals through `POST /v1/signals/batch` over mTLS with the partner's
 * certificate, `batchSize` lines a request, appending each receipt (numbered by file line) to the
 * receipts file. A second run with the same receipts file skips every signalId already accepted or
 * duplicate, so an interrupted send resumes where it stopped; refused lines are sent again.
 *
 * @example
 * await sendFile({ partnerId: 'kmar', file: 'backfill.ndjson', dataDir: '.data',
 *   gatewayUrl: 'https://127.0.0.1:8443', receiptsPath: 'backfill.receipts.ndjson', batchSize: 5000 });
 */
export async function sendFile(options: SendOptions): Promise<SendSummary> {
  const credentials = {
    ca: readFileSync(join(options.dataDir, 'pki', 'ca.crt'), 'utf8'),
    cert: readFileSync(join(options.dataDir, 'pki', 'partners', `${options.partnerId}.crt`), 'utf8'),
    key: readFileSync(join(options.dataDir, 'pki', 'partners', `${options.partnerId}.key`), 'utf8'),
  };
  const done = await readDone(options.receiptsPath);
  endWithNewline(options.receiptsPath);
  const total = await countLines(options.file);
  const progress = createProgress({
    total,
    label: 'sending',
    stream: options.progressStream ?? process.stderr,
  });
  const summary: SendSummary = {
    lines: 0,
    accepted: 0,
    duplicate: 0,
    refused: 0,
    skipped: 0,
    interrupted: false,
  };
  let batch: Array<{ line: number; text: string }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    const receipts = await postBatch(
      options.gatewayUrl,
      credentials,
      sent.map((b) => b.text).join('\n') + '\n',
    );
    const out: string[] = [];
    for (const receipt of receipts) {
      const fileLine = sent[receipt.line - 1]?.line;
      if (fileLine === undefined) continue;
      out.push(JSON.stringify({ ...receipt, line: fileLine }));
      summary[receipt.status]++;
    }
    if (out.length) appendFileSync(options.receiptsPath, `${out.join('\n')}\n`);
    progress.increment(sent.length);
    const answered = receipts.filter((r) => sent[r.line - 1]).length;
    if (answered < sent.length) {
      throw new Error(`the gateway answered ${answered} of ${sent.length} lines; run again to resume`);
    }
  };
  try {
    const lines = createInterface({ input: createReadStream(options.file), crlfDelay: Infinity });
    let number = 0;
    for await (const text of lines) {
      number++;
      if (!text.trim()) continue;
      summary.lines++;
      const id = signalIdOf(text);
      if (id && done.has(id)) {
        summary.skipped++;
        progress.increment();
        continue;
      }
      batch.push({ line: number, text });
      if (batch.length >= options.batchSize) {
        await flush();
        if (options.signal?.aborted) {
          summary.interrupted = true;
          lines.close();
          break;
        }
      }
    }
    if (!summary.interrupted) await flush();
  } finally {
    progress.stop();
  }
  return summary;
}

/** signalIds an earlier run got accepted or duplicate, read as a stream; a torn line (a crash mid-write) is ignored. */
async function readDone(path: string): Promise<Set<string>> {
  const done = new Set<string>();
  if (!existsSync(path)) return done;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    try {
      const receipt = JSON.parse(text) as Receipt;
      if (receipt.signalId && (receipt.status === 'accepted' || receipt.status === 'duplicate'))
        done.add(receipt.signalId.toLowerCase());
    } catch {
      // not a whole receipt
    }
  }
  return done;
}

/** A receipts file torn mid-line by a crash gets its newline back, so new receipts start on a line of their own. */
function endWithNewline(path: string): void {
  if (!existsSync(path)) return;
  const size = statSync(path).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, last, 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
  if (last[0] !== 0x0a) appendFileSync(path, '\n');
}

function signalIdOf(text: string): string | undefined {
  const match = /"signalId"\s*:\s*"([0-9a-fA-F-]{36})"/.exec(text);
  return match?.[1].toLowerCase();
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) count++;
  }
  return count;
}

function postBatch(
  gatewayUrl: string,
  credentials: { ca: string; cert: string; key: string },
  body: string,
): Promise<Receipt[]> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/v1/signals/batch', gatewayUrl),
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, ...credentials },
      (res) => {
        const receipts: Receipt[] = [];
        let rest = '';
        let error = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          if (res.statusCode !== 200) {
            error += text;
            return;
          }
          const parts = (rest + text).split('\n');
          rest = parts.pop() ?? '';
          for (const part of parts) {
            const parsed = JSON.parse(part) as Receipt | { summary: unknown };
            if ('line' in parsed) receipts.push(parsed);
          }
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            const code = (() => {
              try {
                return (JSON.parse(error) as { error?: string }).error;
              } catch {
                return undefined;
              }
            })();
            reject(new Error(`the gateway refused the batch: HTTP ${res.statusCode} ${code ?? ''}`.trim()));
          } else resolve(receipts);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
