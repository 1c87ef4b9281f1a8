import { parentPort } from 'node:worker_threads';
import { verifyEntryChunk } from './audit-verify.chunk.js';

/** Worker thread of `verifyAuditExport`: verifies chunks of entries.jsonl sent by the main thread. */
interface ChunkRequest {
  id: number;
  bytes: Uint8Array;
  firstIndex: number;
  snapshotOffsets: number[];
}

parentPort?.on('message', (request: ChunkRequest) => {
  const buf = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  let result;
  try {
    result = verifyEntryChunk(buf, request.firstIndex, request.snapshotOffsets);
  } catch (error) {
    result = {
      count: 0,
      nodes: [],
      snapshots: [],
      unopened: [],
      redactions: [],
      problem: {
        index: request.firstIndex,
        code: 'AUDIT.LINE_MALFORMED',
        message: `chunk at ${request.firstIndex} could not be read (${error instanceof Error ? error.name : 'error'})`,
      },
    };
  }
  // The chunk's buffer goes back too, for the main thread to read the next chunk into.
  parentPort!.postMessage({ id: request.id, result, bytes: request.bytes }, [
    request.bytes.buffer as ArrayBuffer,
  ]);
});
