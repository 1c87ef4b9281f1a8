import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CapturedOutput } from '@ketenpoort/testing';
import { JsonLogger } from '../../apps/gateway/src/common/json-logger.js';
import { fetchOpenApiDocuments, stableJson } from '../../apps/cli/src/openapi/openapi.command.js';
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
    'the committed openapi/%s.json is current (run `npm run openapi`)',
    (name) => {
      const committed = readFileSync(resolve('openapi', `${name}.json`), 'utf8');
      expect(stableJson(documents[name])).toBe(committed);
    },
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
