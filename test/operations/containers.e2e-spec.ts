import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve('.');
const DOCKER = join(ROOT, 'docker');

interface Instruction {
  stage: number;
  keyword: string;
  args: string;
}

/** The instructions of a Dockerfile (continuation lines joined, comments dropped), by stage. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const result: Instruction[] = [];
  let stage = -1;
  for (const line of joined.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (keyword.toUpperCase() === 'FROM') stage++;
    result.push({ stage, keyword: keyword.toUpperCase(), args });
  }
  return result;
}

describe('containers', () => {
  const instructions = parseDockerfile(readFileSync(join(DOCKER, 'Dockerfile'), 'utf8'));
  const lastStage = Math.max(...instructions.map((i) => i.stage));
  const runtime = instructions.filter((i) => i.stage === lastStage);
  const one = (keyword: string) => runtime.filter((i) => i.keyword === keyword).at(-1)!;
  const entrypoint = JSON.parse(one('ENTRYPOINT').args) as string[];
  const cmd = JSON.parse(one('CMD').args) as string[];
  let out: string;

  beforeAll(() => {
    // `npm run build` into a temp folder (tsc + tsc-alias with the build config), laid out like /app.
    out = mkdtempSync(join(tmpdir(), 'kp-image-'));
    copyFileSync(join(ROOT, 'package.json'), join(out, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
    const build = ['-p', 'tsconfig.build.json', '--outDir', join(out, 'dist')];
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/tsc'), build, { cwd: ROOT, stdio: 'pipe' });
    } catch {
      // Type errors still emit; what matters here is that the start command's file is produced and runs.
    }
    execFileSync(join(ROOT, 'node_modules/.bin/tsc-alias'), build, { cwd: ROOT, stdio: 'pipe' });
  }, 300_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs as a non-root user with a health check in the runtime stage', () => {
    expect(one('USER').args).toBe('node');
    expect(one('HEALTHCHECK').args).toMatch(/CMD \["node", "docker\/healthcheck\.mjs"\]/);
  });

  it('installs no dev dependencies in the runtime stage', () => {
    const installs = runtime.filter((i) => i.keyword === 'RUN' && /npm (ci|install)/.test(i.args));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install.args).toContain('--omit=dev');
  });

  it('copies only files that exist in the repository', () => {
    const sources = instructions
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const source of sources) expect(existsSync(join(ROOT, source))).toBe(true);
  });

  it('starts a file that the build produces under dist/', () => {
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint[1]).toMatch(/^dist\//);
    expect(existsSync(join(out, entrypoint[1]))).toBe(true);
  });

  it('the start command knows the serve command the image runs, and doctor', () => {
    const help = execFileSync('node', [entrypoint[1], '--help'], { cwd: out, encoding: 'utf8' });
    expect(cmd[0]).toBe('serve');
    expect(help).toMatch(/\bserve\b/);
    expect(help).toMatch(/\bdoctor\b/);
  });

  it('the serve command refuses to start without configuration, with a clear message', () => {
    let stderr = '';
    try {
      execFileSync('node', [entrypoint[1], ...cmd], {
        cwd: out,
        encoding: 'utf8',
        stdio: 'pipe',
        env: { PATH: process.env.PATH ?? '' },
      });
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr).toMatch(/DATABASE_URL is required/);
  });

  it('compose builds this Dockerfile and mounts files that exist', () => {
    const compose = parse(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<
        string,
        { build?: { context: string; dockerfile: string }; volumes?: string[]; command?: string[] }
      >;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'postgres', 'register']);
    for (const name of ['gateway', 'register']) {
      const service = compose.services[name];
      expect(service.command).toEqual(['serve', name]);
      const context = resolve(DOCKER, service.build!.context);
      expect(existsSync(join(context, service.build!.dockerfile))).toBe(true);
      for (const volume of service.volumes ?? []) expect(volume).toMatch(/:ro$/);
    }
    const relative = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0])
      .filter((source) => source.startsWith('.'));
    expect(relative.length).toBeGreaterThan(0);
    for (const source of relative) expect(existsSync(resolve(DOCKER, source))).toBe(true);
  });
});
