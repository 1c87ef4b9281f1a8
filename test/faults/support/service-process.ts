import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer, connect } from 'node:net';
import { resolve } from 'node:path';

/** The built CLI the fault tests run (built once by the suite's global setup). */
export const CLI = resolve('dist/apps/cli/src/main.js');

/**
 * A free loopback port BELOW the kernel's ephemeral range (32768-60999 on Linux). A service that is
 * killed and restarted on the same fixed port must not find it taken in between: a port from the
 * ephemeral range can meanwhile be the local end of any outgoing connection (the load driver, the
 * register's database pool), and a client retrying against the closed port can even connect to itself
 * (TCP simultaneous open) and hold it. Ports below the range are never handed out for outgoing
 * connections, so neither can happen.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = randomInt(20_000, 32_000);
    // Never the same port twice in one test process: a stack's ports are picked before any is bound.
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free loopback port between 20000 and 32000');
}

const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One `ketenpoort serve …` child process that a test kills and restarts: same environment, same data
 * folder, same database, same port. Keeps every line the process printed (all its lives) for counting.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exitPromise?: Promise<Exit>;
  private readonly lines: string[] = [];
  private readonly log: WriteStream;
  /** How many times the process died of SIGKILL (sent by the test or by a fault point). */
  kills = 0;
  starts = 0;

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    private readonly readyPort: number,
    logPath: string,
  ) {
    this.log = createWriteStream(logPath, { flags: 'a' });
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until its port accepts connections; rejects if it exits first. */
  async start(extraEnv: Record<string, string> = {}, timeoutMs = 90_000): Promise<void> {
    if (this.alive) throw new Error(`${this.name} is already running`);
    const child = spawn(process.execPath, [CLI, ...this.args], {
      env: { PATH: process.env.PATH ?? '', ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    let buffered = '';
    const take = (chunk: Buffer) => {
      this.log.write(chunk);
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      this.lines.push(...parts);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    this.exitPromise = new Promise<Exit>((done) =>
      child.once('exit', (code, signal) => {
        if (signal === 'SIGKILL') this.kills += 1;
        done({ code, signal });
      }),
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) {
        const exit = await this.exitPromise;
        const last = this.lines.slice(-5).join('\n');
        throw new Error(
          `${this.name} exited during start (${exit.code ?? exit.signal}); its last lines:\n${last}`,
        );
      }
      if (await portOpen(this.readyPort)) return;
      await sleep(100);
    }
    const last = this.lines.slice(-5).join('\n');
    throw new Error(
      `${this.name} did not open port ${this.readyPort} within ${timeoutMs} ms; its last lines:\n${last}`,
    );
  }

  /** Resolves when the current process has exited (immediately when none runs). */
  async exited(): Promise<Exit | undefined> {
    return this.exitPromise;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit | undefined> {
    if (this.alive) this.child!.kill(signal);
    return this.exitPromise;
  }

  /** Lines (all lives) whose JSON has `msg` or `message` equal to `text`. */
  count(text: string): number {
    return this.matching(text).length;
  }

  /** The sum of a numeric field over the lines `matching(text)`. */
  sum(text: string, field: string): number {
    return this.matching(text).reduce((total, line) => total + (Number(line[field]) || 0), 0);
  }

  matching(text: string): Record<string, unknown>[] {
    const found: Record<string, unknown>[] = [];
    for (const line of this.lines) {
      if (!line.includes(text)) continue;
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === text || parsed.message === text) found.push(parsed);
      } catch {
        // not a JSON log line
      }
    }
    return found;
  }

  async close(): Promise<void> {
    await this.kill('SIGKILL');
    await new Promise<void>((done) => this.log.end(done));
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** The promise's value, or undefined after `ms` (the timer does not keep the test process alive). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Keeps going until `enough()` or `capMs` passed; returns whether enough() was reached. */
export async function until(enough: () => boolean, capMs: number): Promise<boolean> {
  const deadline = Date.now() + capMs;
  while (!enough() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  return enough();
}
