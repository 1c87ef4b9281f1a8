import type { Command } from 'commander';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:https';
import type { RunningStack } from '../stack/stack.js';
import { startStack } from '../stack/stack.js';

/** JSON with object keys sorted, so that the committed documents diff cleanly. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
        : v;
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

function fetchJson(url: string, ca: string): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    request(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        else resolvePromise(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
    })
      .on('error', reject)
      .end();
  });
}

/** The OpenAPI documents as the running apps serve them at /docs-json on their admin/API listeners. */
export async function fetchOpenApiDocuments(stack: RunningStack): Promise<{ gateway: unknown; register: unknown }> {
  const ca = readFileSync(stack.pki.caCert, 'utf8');
  return {
    gateway: await fetchJson(`${stack.gateway.adminUrl}/docs-json`, ca),
    register: await fetchJson(`${stack.register.apiUrl}/docs-json`, ca),
  };
}

/** `ketenpoort openapi --out openapi`: starts a throwaway embedded stack and writes both documents. */
export function registerOpenApiCommands(program: Command): void {
  program
    .command('openapi')
    .description('write the OpenAPI documents of gateway and register (openapi/*.json)')
    .option('--out <dir>', 'output folder', 'openapi')
    .option('--config-dir <dir>', 'configuration folder', 'config')
    .action(async (opts: { out: string; configDir: string }) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kp-openapi-'));
      const stack = await startStack({ mode: 'dev', dataDir, configDir: resolve(opts.configDir) });
      try {
        const documents = await fetchOpenApiDocuments(stack);
        mkdirSync(opts.out, { recursive: true });
        for (const [name, document] of Object.entries(documents)) {
          writeFileSync(join(opts.out, `${name}.json`), stableJson(document));
        }
        console.log(`wrote ${opts.out}/gateway.json and ${opts.out}/register.json`);
      } finally {
        await stack.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
      process.exit(0);
    });
}
