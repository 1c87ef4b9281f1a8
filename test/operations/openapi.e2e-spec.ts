import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CapturedOutput } from '@ketenpoort/testing';
import { JsonLogger } from '../../apps/gateway/src/common/json-logger.js';
import { fetchOpenApiDocuments } from '../../apps/cli/src/openapi/openapi.command.js';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';

describe('OpenAPI documents', () => {
  let dataDir: string;
  let stack: RunningStack;
  let documents: { gateway: unknown; register: unknown };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-openapi-test-'));
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: resolve('config'),
      gatewayLogger: new JsonLogger(new CapturedOutput()),
      registerLogger: new JsonLogger(new CapturedOutput(), 'register'),
    });
    documents = await fetchOpenApiDocuments(stack);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it.each(['gateway', 'register'] as const)(
    'the committed openapi/%s.json is what `npm run openapi` writes from the build',
    (name) => {
      const out = mkdtempSync(join(tmpdir(), 'kp-openapi-out-'));
      try {
        // The committed documents come from the compiled build (full decorator metadata), so compare with it.
        const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: resolve('.'), stdio: 'ignore' });
        expect(build.status).toBe(0);
        const run = spawnSync('node', ['dist/apps/cli/src/main.js', 'openapi', '--out', out], {
          cwd: resolve('.'),
          stdio: 'ignore',
          timeout: 170_000,
        });
        expect(run.status).toBe(0);
        expect(readFileSync(join(out, `${name}.json`), 'utf8')).toBe(
          readFileSync(resolve('openapi', `${name}.json`), 'utf8'),
        );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it('documents the partner and admin endpoints', () => {
    const paths = Object.keys((documents.gateway as { paths: object }).paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/signals', '/v1/signals/{signalId}', '/v1/policy', '/v1/admin/status']),
    );
    expect(Object.keys((documents.register as { paths: object }).paths)).toEqual(
      expect.arrayContaining(['/v1/records', '/v1/statistics']),
    );
  });

  it('serves the documents on the admin listener only', async () => {
    const { httpsRequest } = await import('@ketenpoort/testing');
    const ca = readFileSync(stack.pki.caCert, 'utf8');
    const partner = stack.pki.partners['politie-oost-brabant'];
    const answer = await httpsRequest(`${stack.gateway.partnerUrl}/docs-json`, {
      ca,
      cert: readFileSync(partner.cert, 'utf8'),
      key: readFileSync(partner.key, 'utf8'),
    });
    expect(answer.status).toBe(404);
  });
});
