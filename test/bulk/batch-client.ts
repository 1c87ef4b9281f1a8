import type { ClientRequest } from 'node:http';
import { request } from 'node:https';

export interface BatchCredentials {
  ca: string;
  cert: string;
  key: string;
}

export interface BatchAnswer {
  status: number;
  contentType: string;
  lines: Array<Record<string, unknown>>;
}

/** Opens `POST /v1/signals/batch` over mTLS; the caller writes the body and reads answer lines as they come. */
export function openBatch(
  url: string,
  credentials: BatchCredentials,
  onLine: (line: Record<string, unknown>) => void = () => {},
  contentType = 'application/x-ndjson',
): { request: ClientRequest; answer: Promise<BatchAnswer> } {
  let req!: ClientRequest;
  const answer = new Promise<BatchAnswer>((resolve, reject) => {
    req = request(
      `${url}/v1/signals/batch`,
      { method: 'POST', headers: { 'content-type': contentType }, ...credentials },
      (res) => {
        const lines: Array<Record<string, unknown>> = [];
        let rest = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          const parts = (rest + text).split('\n');
          rest = parts.pop() ?? '';
          for (const part of parts.filter((p) => p.trim())) {
            const line = JSON.parse(part) as Record<string, unknown>;
            lines.push(line);
            onLine(line);
          }
        });
        const done = () => {
          if (rest.trim()) lines.push(JSON.parse(rest) as Record<string, unknown>);
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            lines,
          });
        };
        res.on('end', done);
        res.on('error', () => resolve({ status: res.statusCode ?? 0, contentType: '', lines }));
        res.on('aborted', () => resolve({ status: res.statusCode ?? 0, contentType: '', lines }));
      },
    );
    req.on('error', (error: Error) => reject(error));
  });
  return { request: req, answer };
}

/** Sends a whole NDJSON body and collects the answer. */
export async function sendBatch(
  url: string,
  credentials: BatchCredentials,
  body: string,
): Promise<BatchAnswer> {
  const { request: req, answer } = openBatch(url, credentials);
  req.end(body);
  return answer;
}

export const ndjson = (items: unknown[]): string => items.map((i) => `${JSON.stringify(i)}\n`).join('');
