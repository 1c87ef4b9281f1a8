import { Writable } from 'node:stream';
import pg from 'pg';

/** Every table of a database as JSON text, one row a line. */
export async function dumpDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ t: string }>(
      `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS t FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
    );
    const lines: string[] = [];
    for (const { t } of tables.rows) {
      const rows = await client.query(`SELECT row_to_json(x)::text AS j FROM ${t} x`);
      for (const row of rows.rows as { j: string }[]) lines.push(`${t} ${row.j}`);
    }
    return lines.join('\n');
  } finally {
    await client.end();
  }
}

/**
 * Makes text searchable for canaries: JSON escapes are undone and every base64url run (JWS segments)
 * is decoded and appended, so that a value inside a signed payload is found too.
 */
export function decodeForScan(text: string): string {
  const unescaped = text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\"/g, '"')
    .replace(/\\\\/g, '\\');
  const decoded: string[] = [];
  for (const run of unescaped.match(/[A-Za-z0-9_-]{16,}/g) ?? []) {
    const bytes = Buffer.from(run, 'base64url').toString('utf8');
    if (/^[\x20-\x7e\u00a0-\uffff\s]*$/.test(bytes)) decoded.push(bytes);
  }
  return `${unescaped}\n${decoded.join('\n')}`;
}

/** Which of the needles occur (case-insensitively) in the haystack. */
export function findCanaries(haystack: string, needles: string[]): string[] {
  const lower = haystack.toLowerCase();
  return needles.filter((needle) => needle.length > 0 && lower.includes(needle.toLowerCase()));
}

/** A writable that keeps everything written to it, for scanning logs. */
export class CapturedOutput extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void) {
    this.chunks.push(chunk.toString());
    done();
  }
  text(): string {
    return this.chunks.join('');
  }
}
