import { Agent, request } from 'node:https';

export interface Credentials {
  ca: string;
  cert: string;
  key: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function post(agent: Agent, url: URL, body: string, credentials: Credentials): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        ...credentials,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Closed loop: `connections` keep-alive connections each send the next request when the last is answered. */
export async function closedLoop(
  target: string,
  credentials: Credentials,
  connections: number,
  seconds: number,
  body: () => string,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, ...credentials });
  const url = new URL('/v1/signals', target);
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const status = await post(agent, url, body(), credentials);
        if (status !== 202) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: (latencies.length - errors) / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/**
 * Open loop: requests start at a fixed rate whatever the answers; latency counts from the scheduled
 * start, so a stall is not hidden (no coordinated omission).
 */
export async function openLoop(
  target: string,
  credentials: Credentials,
  rate: number,
  seconds: number,
  body: () => string,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256, ...credentials });
  const url = new URL('/v1/signals', target);
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.floor(rate * seconds);
  const t0 = performance.now() + 50;
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const scheduled = t0 + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      post(agent, url, body(), credentials).then((status) => {
        if (status !== 202) errors++;
        latencies.push(performance.now() - scheduled);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    errors,
    perSecond: (total - errors) / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
