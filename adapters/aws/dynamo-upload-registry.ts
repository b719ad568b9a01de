import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UploadRegistry } from '../../core/ports/upload-registry.ts';
import { ChunkCleanupInProgressError } from '../../core/snapshots/image-errors.ts';
import { accountPartition } from './dynamo-keys.ts';
import { isConditionFailure, type TableAccess } from './dynamo-record-table.ts';

const SORT_KEY = 'IMAGE-UPLOADS';
// A cleanup that lost its conditional write reads again, a few times at most.
const CLEANUP_ATTEMPTS = 3;

const NAMES = {
  '#uploads': 'uploads',
  '#version': 'version',
  '#cleanupOwner': 'cleanupOwner',
  '#cleanupUntil': 'cleanupUntil',
} as const;

interface LeaseItem {
  uploads?: Record<string, number>;
  version?: number;
  cleanupOwner?: string;
  cleanupUntil?: number;
}

/**
 * UploadRegistry on the single table: one item per account (`pk = ACCOUNT#<account>`,
 * `sk = IMAGE-UPLOADS`) holding the uploads in flight (snapshot id → expiry, ms) and the chunk
 * deletion under way, if any. Every upload registered bumps `version`; a deletion starts with a
 * write conditional on the version it read, so an upload registered meanwhile makes it read again.
 */
export class DynamoUploadRegistry implements UploadRegistry {
  readonly #access: TableAccess;
  readonly #now: () => Date;

  constructor(access: TableAccess & { now?: () => Date }) {
    this.#access = access;
    this.#now = access.now ?? (() => new Date());
  }

  #key(accountId: string) {
    return { pk: accountPartition(accountId), sk: SORT_KEY };
  }

  async beginUpload(accountId: string, snapshotId: string, until: Date): Promise<void> {
    const { client, tableName } = this.#access;
    // A nested attribute can only be set inside an existing map: make sure it exists first.
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: this.#key(accountId),
        UpdateExpression: 'SET #uploads = if_not_exists(#uploads, :empty), #recordKind = :kind',
        ExpressionAttributeNames: { '#uploads': NAMES['#uploads'], '#recordKind': 'recordKind' },
        ExpressionAttributeValues: { ':empty': {}, ':kind': 'image-uploads' },
      }),
    );
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: this.#key(accountId),
          UpdateExpression: 'SET #uploads.#snapshot = :until ADD #version :one',
          ConditionExpression: 'attribute_not_exists(#cleanupOwner) OR #cleanupUntil < :now',
          ExpressionAttributeNames: { ...NAMES, '#snapshot': snapshotId },
          ExpressionAttributeValues: {
            ':until': until.getTime(),
            ':one': 1,
            ':now': this.#now().getTime(),
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ChunkCleanupInProgressError(accountId);
      throw error;
    }
  }

  async endUpload(accountId: string, snapshotId: string): Promise<void> {
    try {
      await this.#access.client.send(
        new UpdateCommand({
          TableName: this.#access.tableName,
          Key: this.#key(accountId),
          UpdateExpression: 'REMOVE #uploads.#snapshot',
          ConditionExpression: 'attribute_exists(#uploads)',
          ExpressionAttributeNames: { '#uploads': NAMES['#uploads'], '#snapshot': snapshotId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async beginCleanup(accountId: string, owner: string, until: Date): Promise<boolean> {
    const { client, tableName } = this.#access;
    for (let attempt = 1; attempt <= CLEANUP_ATTEMPTS; attempt++) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: this.#key(accountId), ConsistentRead: true }),
      );
      const item = (Item ?? {}) as LeaseItem;
      const now = this.#now().getTime();
      const uploads = Object.entries(item.uploads ?? {});
      if (uploads.some(([, expiry]) => expiry > now)) return false;
      const heldByOther =
        item.cleanupOwner !== undefined &&
        item.cleanupOwner !== owner &&
        (item.cleanupUntil ?? 0) > now;
      if (heldByOther) return false;
      // Expired uploads (their workflows died) are dropped on the way.
      const expired = uploads.map(([snapshotId]) => snapshotId);
      const names: Record<string, string> = {
        '#version': NAMES['#version'],
        '#cleanupOwner': NAMES['#cleanupOwner'],
        '#cleanupUntil': NAMES['#cleanupUntil'],
      };
      if (expired.length > 0) names['#uploads'] = NAMES['#uploads'];
      expired.forEach((snapshotId, index) => {
        names[`#expired${index}`] = snapshotId;
      });
      const remove = expired.map((_, index) => `#uploads.#expired${index}`);
      const values: Record<string, unknown> = {
        ':owner': owner,
        ':until': until.getTime(),
        ':next': (item.version ?? 0) + 1,
      };
      if (item.version !== undefined) values[':version'] = item.version;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: this.#key(accountId),
            UpdateExpression:
              'SET #cleanupOwner = :owner, #cleanupUntil = :until, #version = :next' +
              (remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''),
            ConditionExpression:
              item.version === undefined ? 'attribute_not_exists(#version)' : '#version = :version',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return false;
  }

  async endCleanup(accountId: string, owner: string): Promise<void> {
    try {
      await this.#access.client.send(
        new UpdateCommand({
          TableName: this.#access.tableName,
          Key: this.#key(accountId),
          UpdateExpression: 'REMOVE #cleanupOwner, #cleanupUntil',
          ConditionExpression: '#cleanupOwner = :owner',
          ExpressionAttributeNames: {
            '#cleanupOwner': NAMES['#cleanupOwner'],
            '#cleanupUntil': NAMES['#cleanupUntil'],
          },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
