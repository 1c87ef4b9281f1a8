import type { PGlite } from '@electric-sql/pglite';

/** Frontend message types after which the connection's batch is complete (Sync, Query, Terminate, FunctionCall). */
const BATCH_ENDING_TYPES = new Set(['S', 'Q', 'X', 'F'].map((c) => c.charCodeAt(0)));
/** Startup and password messages have no type byte / are standalone; a leading 0 byte is the startup length. */
const STANDALONE_TYPES = new Set([0, 'p'.charCodeAt(0)]);
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]);

interface Job {
  handlerId: number;
  message: Uint8Array | 'reset';
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Replacement for pglite-socket's internal QueryQueueManager, which only keeps a connection's messages
 * together inside an explicit `BEGIN` block. PGlite has ONE backend session for all socket connections,
 * so an extended-protocol batch (Parse/Bind/Describe/Execute/Sync, what `pg` sends for every query with
 * parameters) from connection A must not be interleaved with connection B's messages: B's Parse replaces
 * the session's unnamed statement and A's Bind then executes B's SQL (measured with raw sockets, see
 * embedded-postgres.spec.ts). This queue gives the session to one connection from its first message until
 * its batch ends (Sync/Query) outside a transaction block, or until its transaction ends.
 *
 * Internal to the persistence lib; used by {@link startEmbeddedPostgres}.
 */
export class PgliteProtocolQueue {
  private readonly queue: Job[] = [];
  private processing = false;
  /** The connection that currently owns the session (open batch or open transaction), or null. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const job = this.queue[i]!;
      if (job.handlerId === handlerId && job.message !== 'reset') {
        this.queue.splice(i, 1);
        job.reject(new Error('Handler disconnected'));
      }
    }
  }

  /** Called when a connection goes away: ends its open batch and rolls back its open transaction. */
  clearTransactionIfNeeded(handlerId: number): Promise<void> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ handlerId, message: 'reset', onData: () => undefined, resolve, reject });
      void this.process();
    }).then(() => undefined);
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((job) => job.handlerId === this.owner);
        if (index === -1) return; // the owner's next message has not arrived yet; enqueue() resumes us
        const [job] = this.queue.splice(index, 1);
        await this.run(job!);
      }
    } finally {
      this.processing = false;
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      if (job.message === 'reset') {
        if (this.owner === job.handlerId) await this.reset();
        this.owner = this.owner === job.handlerId ? null : this.owner;
        job.resolve(0);
        return;
      }
      const message = job.message;
      let bytes = 0;
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(message, {
          onRawData: (data) => {
            bytes += data.length;
            job.onData(data);
          },
        }),
      );
      const type = message[0]!;
      const batchOpen = !BATCH_ENDING_TYPES.has(type) && !STANDALONE_TYPES.has(type);
      this.owner = batchOpen || this.db.isInTransaction() ? job.handlerId : null;
      job.resolve(bytes);
    } catch (error) {
      this.owner = null;
      job.reject(error);
    }
  }

  /** Ends a half-sent batch (Sync) and rolls back a transaction left open by a vanished connection. */
  private async reset(): Promise<void> {
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRaw(SYNC_MESSAGE);
      if (this.db.isInTransaction()) await this.db.execProtocolRaw(simpleQuery('ROLLBACK'));
    });
  }
}

function simpleQuery(sql: string): Uint8Array {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + body.length);
  message.write('Q', 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}
