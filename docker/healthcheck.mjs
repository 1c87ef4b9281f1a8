// Container health check: GET the readiness endpoint over TLS, verified against the mounted CA. The host
// name is not checked: the probe talks to this container's own process on the loopback address.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import process from 'node:process';

const url = process.env.KETENPOORT_HEALTH_URL ?? 'https://127.0.0.1:8444/health/ready';
const caPath = `${process.env.KETENPOORT_DATA_DIR ?? '/data'}/pki/ca.crt`;
const req = request(
  url,
  { ca: readFileSync(caPath), checkServerIdentity: () => undefined, timeout: 4000 },
  (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  },
);
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
req.end();
