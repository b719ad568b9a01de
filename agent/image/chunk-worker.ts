import { readSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { CHUNK_SIZE, hashChunk, isAllZero, nonZeroRuns } from './chunk-bytes.ts';
import type {
  EncodeResult,
  ReadResult,
  RestoreResult,
  WorkerRequest,
  WorkerResponse,
} from './chunk-worker-protocol.ts';

/** Below this, a chunk's sample compresses too little to be worth compressing the chunk. */
const PROBE_BYTES = 64 * 1024;
const PROBE_MAX_RATIO = 0.9;
/** A compressed chunk must save at least this share, or it is stored raw. */
const MIN_SAVING = 0.03;

class CorruptChunk extends Error {}

/*
 * Read buffers are reused. A fresh 4 MiB allocation costs page faults and zeroing on every chunk,
 * and freeing it costs the allocator; measured, reads then took as long as hashing.
 */
const spare: Buffer[] = [];
const MAX_SPARE = 8;
const held = new Map<number, Buffer>();
let nextHandle = 1;

function takeBuffer(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_SIZE);
}

function giveBack(buffer: Buffer): void {
  if (spare.length < MAX_SPARE && buffer.buffer.byteLength === CHUNK_SIZE) {
    spare.push(Buffer.from(buffer.buffer, 0, CHUNK_SIZE));
  }
}

function readChunk(fd: number, offset: number, length: number): Buffer {
  const buffer = takeBuffer().subarray(0, length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, offset + done);
    // Past the end of file reads nothing: the rest is zeros, as a disk would read.
    if (read === 0) {
      buffer.fill(0, done);
      break;
    }
    done += read;
  }
  return buffer;
}

function zstd(bytes: Uint8Array, level: number): Buffer {
  return zstdCompressSync(bytes, { params: { [constants.ZSTD_c_compressionLevel]: level } });
}

function encode(raw: Buffer, level: number): EncodeResult {
  if (level > 0) {
    const probe = zstd(raw.subarray(0, PROBE_BYTES), level);
    if (probe.length < Math.min(PROBE_BYTES, raw.length) * PROBE_MAX_RATIO) {
      const compressed = zstd(raw, level);
      if (compressed.length <= raw.length * (1 - MIN_SAVING)) {
        giveBack(raw);
        return { payload: own(compressed), encoding: 'zstd' };
      }
    }
  }
  // Stored raw, a whole read buffer leaves for the store as it is; a short last chunk is copied.
  const payload = own(raw);
  if (payload !== raw.buffer) giveBack(raw);
  return { payload, encoding: 'raw' };
}

/** An ArrayBuffer holding exactly these bytes, safe to transfer. */
function own(bytes: Buffer): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return bytes.buffer as ArrayBuffer;
  }
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}

function restore(request: Extract<WorkerRequest, { op: 'restore' }>): RestoreResult {
  const payload = Buffer.from(request.payload);
  let raw: Buffer;
  if (request.encoding === 'zstd') {
    try {
      // One byte more than expected is enough to tell a wrong length without inflating a bomb.
      raw = zstdDecompressSync(payload, { maxOutputLength: request.length + 1 });
    } catch (error) {
      throw new CorruptChunk(
        `chunk ${request.hash} does not decompress: ${(error as Error).message}`,
      );
    }
  } else raw = payload;
  if (raw.length !== request.length) {
    throw new CorruptChunk(
      `chunk ${request.hash} holds ${raw.length} bytes, expected ${request.length}`,
    );
  }
  if (hashChunk(request.algorithm, raw) !== request.hash) {
    throw new CorruptChunk(`chunk ${request.hash} does not match its hash`);
  }
  let written = 0;
  for (const [start, end] of nonZeroRuns(raw)) {
    let done = start;
    while (done < end) done += writeSync(request.fd, raw, done, end - done, request.offset + done);
    written += end - start;
  }
  return { writtenBytes: written };
}

function take(handle: number): Buffer {
  const bytes = held.get(handle);
  if (!bytes) throw new Error(`no chunk held under handle ${handle}`);
  held.delete(handle);
  return bytes;
}

function handle(request: WorkerRequest): {
  value: ReadResult | EncodeResult | RestoreResult | null;
  transfer: ArrayBuffer[];
} {
  switch (request.op) {
    case 'read': {
      const bytes = readChunk(request.fd, request.offset, request.length);
      if (isAllZero(bytes)) {
        giveBack(bytes);
        return { value: { zero: true }, transfer: [] };
      }
      const id = nextHandle++;
      held.set(id, bytes);
      const hash = hashChunk(request.algorithm, bytes);
      return { value: { zero: false, hash, handle: id }, transfer: [] };
    }
    case 'encode': {
      const value = encode(take(request.handle), request.zstdLevel);
      return { value, transfer: [value.payload] };
    }
    case 'release':
      giveBack(take(request.handle));
      return { value: null, transfer: [] };
    case 'restore':
      return { value: restore(request), transfer: [] };
  }
}

parentPort?.on('message', (message: { id: number; request: WorkerRequest }) => {
  let response: WorkerResponse;
  let transfer: ArrayBuffer[] = [];
  try {
    const done = handle(message.request);
    response = { id: message.id, ok: true, value: done.value };
    transfer = done.transfer;
  } catch (error) {
    response = {
      id: message.id,
      ok: false,
      corrupt: error instanceof CorruptChunk,
      message: (error as Error).message,
    };
  }
  parentPort?.postMessage(response, transfer);
});
