import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

type FetchInit = {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: unknown;
  signal?: AbortSignal | null;
};

/**
 * A `fetch` for openid-client that trusts given CA certificates on top of the system's (the dev CA in dev
 * mode): Node's global fetch cannot be given a CA without undici's dispatcher. Answers are buffered (small
 * JSON documents); redirects are not followed, as openid-client asks.
 */
export function fetchTrusting(caPems: string[]) {
  return (url: string, init: FetchInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const headers =
        init.headers instanceof Headers
          ? Object.fromEntries(init.headers.entries())
          : { ...(init.headers ?? {}) };
      const body =
        init.body === undefined || init.body === null
          ? undefined
          : init.body instanceof URLSearchParams
            ? init.body.toString()
            : String(init.body);
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
      }
      const req = request(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          ca: caPems.length ? [...rootCertificates, ...caPems] : undefined,
          signal: init.signal ?? undefined,
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(name, v));
              else if (value !== undefined) responseHeaders.set(name, value);
            }
            const status = res.statusCode ?? 502;
            const payload = [204, 304].includes(status) ? null : Buffer.concat(chunks);
            resolve(new Response(payload, { status, headers: responseHeaders }));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('issuer request timed out')));
      req.on('error', reject);
      req.end(body);
    });
}
