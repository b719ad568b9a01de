import { parseJsonOr } from '../../core/shared/json-text.ts';

/**
 * What the chunk collection publishes for uploads to read, in the images bucket beside an
 * account's manifests: the condemned list and one notice per sweep that may delete chunks. An
 * upload never counts on a chunk either names; it writes such a chunk again, and before its
 * manifest it makes sure no sweep deleted one it wrote (docs/chunk-collection.md).
 */
export const COLLECTION_FORMAT = 'chunk-collection/1';

/** The account's condemned chunks: named by no live manifest when a pass last looked. */
export interface CondemnedList {
  readonly format: typeof COLLECTION_FORMAT;
  /** Chunk hash → when it was first found unnamed (ISO time, the functions' clock). */
  readonly chunks: Readonly<Record<string, string>>;
}

/** A sweep that may delete chunks, published before its pass reads any manifest. */
export interface SweepNotice {
  readonly format: typeof COLLECTION_FORMAT;
  readonly markId: string;
  readonly publishedAt: string;
  /** Hashes of the chunks it may delete: condemned for at least the grace period. */
  readonly eligible: readonly string[];
  /** It deletes nothing at or after this time (the functions' clock). */
  readonly deleteUntil: string;
  /** When it ended; null while it may still delete. */
  readonly endedAt: string | null;
}

export class CollectionFormatError extends Error {
  override readonly name = 'CollectionFormatError';
}

function objectOf(text: string, what: string): Record<string, unknown> {
  const value = parseJsonOr(
    text,
    (reason) => new CollectionFormatError(`${what} is not JSON: ${reason}`),
  );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CollectionFormatError(`${what} is not an object`);
  }
  const object = value as Record<string, unknown>;
  if (object.format !== COLLECTION_FORMAT) {
    throw new CollectionFormatError(`${what} has format ${String(object.format)}`);
  }
  return object;
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

export function parseCondemnedList(text: string): CondemnedList {
  const object = objectOf(text, 'the condemned list');
  const chunks = object.chunks;
  if (typeof chunks !== 'object' || chunks === null || Array.isArray(chunks)) {
    throw new CollectionFormatError('the condemned list has no chunks');
  }
  for (const [hash, at] of Object.entries(chunks)) {
    if (!isTime(at)) throw new CollectionFormatError(`condemned chunk ${hash} has no time`);
  }
  return { format: COLLECTION_FORMAT, chunks: chunks as Record<string, string> };
}

export function serializeCondemnedList(chunks: ReadonlyMap<string, string>): string {
  const list: CondemnedList = { format: COLLECTION_FORMAT, chunks: Object.fromEntries(chunks) };
  return JSON.stringify(list);
}

export function parseSweepNotice(text: string): SweepNotice {
  const object = objectOf(text, 'a sweep notice');
  const { markId, publishedAt, eligible, deleteUntil, endedAt } = object;
  const valid =
    typeof markId === 'string' &&
    isTime(publishedAt) &&
    isTime(deleteUntil) &&
    (endedAt === null || isTime(endedAt)) &&
    Array.isArray(eligible) &&
    eligible.every((hash) => typeof hash === 'string');
  if (!valid) throw new CollectionFormatError(`sweep notice ${String(markId)} is malformed`);
  return {
    format: COLLECTION_FORMAT,
    markId,
    publishedAt,
    eligible: eligible as string[],
    deleteUntil,
    endedAt: endedAt as string | null,
  };
}

export function serializeSweepNotice(notice: Omit<SweepNotice, 'format'>): string {
  const full: SweepNotice = { format: COLLECTION_FORMAT, ...notice };
  return JSON.stringify(full);
}
