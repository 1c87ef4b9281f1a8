import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateSignal } from '@ketenpoort/signal-contract';
import { CapturedOutput } from '@ketenpoort/testing';
import { PinoLogger } from '@ketenpoort/logging';
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
      gatewayLogger: new PinoLogger({ app: 'gateway', destination: new CapturedOutput() }),
      registerLogger: new PinoLogger({ app: 'register', destination: new CapturedOutput() }),
    });
    documents = await fetchOpenApiDocuments(stack);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  /** `npm run build` then `ketenpoort openapi --out DIR`, once for both documents; the folder it wrote. */
  let generated: string | undefined;
  function generateFromBuild(): string {
    if (generated) return generated;
    const out = mkdtempSync(join(tmpdir(), 'kp-openapi-out-'));
    // The committed documents come from the compiled build (full decorator metadata), so compare with it.
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: resolve('.'), stdio: 'ignore' });
    expect(build.status).toBe(0);
    const run = spawnSync('node', ['dist/apps/cli/src/main.js', 'openapi', '--out', out], {
      cwd: resolve('.'),
      stdio: 'ignore',
      timeout: 170_000,
    });
    expect(run.status).toBe(0);
    generated = out;
    return out;
  }
  afterAll(() => {
    if (generated) rmSync(generated, { recursive: true, force: true });
  });

  it.each(['gateway', 'register'] as const)(
    'the committed openapi/%s.json is what `npm run openapi` writes from the build',
    (name) => {
      const out = generateFromBuild();
      expect(readFileSync(join(out, `${name}.json`), 'utf8')).toBe(
        readFileSync(resolve('openapi', `${name}.json`), 'utf8'),
      );
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

interface Schema {
  $ref?: string;
  type?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
}
interface ResponseDoc {
  content?: Record<string, { schema?: Schema }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  responses: Record<string, ResponseDoc>;
  requestBody?: {
    content: Record<string, { schema?: Schema; examples?: Record<string, { value: unknown }> }>;
  };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const committed = (name: string): Document =>
  JSON.parse(readFileSync(resolve('openapi', `${name}.json`), 'utf8'));
const operationsOf = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
  );
const hasSchema = (response: ResponseDoc) =>
  Object.values(response.content ?? {}).some((media) => media.schema !== undefined);

// The documents must not go thin again: each operation says what it answers on success and on refusal.
describe('the committed OpenAPI documents', () => {
  it.each(['gateway', 'register'])(
    'every operation of %s names a success answer: a 2xx with a schema, or a redirect with its Location',
    (name) => {
      const thin = operationsOf(committed(name))
        .filter(
          ({ operation }) =>
            !Object.entries(operation.responses).some(
              ([status, response]) =>
                (/^2\d\d$/.test(status) && hasSchema(response)) ||
                (/^3\d\d$/.test(status) && response.headers?.Location !== undefined),
            ),
        )
        .map(({ name: operation }) => operation);
      expect(thin).toEqual([]);
    },
  );

  it.each(['gateway', 'register'])('every operation of %s names an error status with a schema', (name) => {
    const thin = operationsOf(committed(name))
      .filter(
        ({ operation }) =>
          !Object.entries(operation.responses).some(
            ([status, response]) => /^[45]\d\d$/.test(status) && hasSchema(response),
          ),
      )
      .map(({ name: operation }) => operation);
    expect(thin).toEqual([]);
  });

  it.each(['gateway', 'register'])('every schema reference of %s resolves', (name) => {
    const document = committed(name);
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(refs.length).toBeGreaterThan(0);
    expect([...new Set(refs)].filter((ref) => !(ref in document.components.schemas))).toEqual([]);
  });

  it('documents the signal body with valid example signals and an example for each plain property', () => {
    const document = committed('gateway');
    const body = document.paths['/v1/signals'].post.requestBody!.content['application/json'];
    expect(body.schema?.$ref).toBe('#/components/schemas/SignalV1Dto');
    const examples = Object.values(body.examples ?? {}).map((example) => example.value);
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.map((example) => validateSignal(example).ok)).toEqual(examples.map(() => true));
    const properties = Object.entries(document.components.schemas.SignalV1Dto.properties ?? {});
    expect(properties.length).toBeGreaterThan(0);
    const plainWithoutExample = properties
      .filter(([, schema]) => schema.type !== undefined && schema.example === undefined)
      .map(([property]) => property);
    expect(plainWithoutExample).toEqual([]);
  });
});
