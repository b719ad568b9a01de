import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeEach, describe, inject } from 'vitest';
import type { TableAccess } from '../../adapters/aws/dynamo-record-table.ts';
import { localS3Config } from '../../local/s3.ts';
import { readThrough } from '../support/read-through.ts';
import { localDocumentClient } from './dynamo-document-client.ts';

/** The images bucket the integration project's global setup created in s3rver. */
export interface LocalBucket {
  readonly client: S3Client;
  readonly bucket: string;
}

/**
 * The adapters a contract runs against: `memory` always, and the AWS adapter on the emulator it
 * needs. Each gives the contract what it calls to build a fresh subject.
 */
export interface ContractAdapters<Make> {
  readonly memory: Make;
  readonly dynamo?: (table: TableAccess) => Make;
  readonly s3?: (bucket: LocalBucket) => Make;
}

/**
 * Runs a port's contract once against each of its adapters, each in a describe block naming where
 * it runs, so that the memory adapter the unit tests rely on is held to what the AWS one does.
 */
export function describeContract<Make>(
  port: string,
  contract: (make: Make) => void,
  adapters: ContractAdapters<Make>,
): void {
  const { memory, dynamo, s3 } = adapters;
  describe(port, () => {
    describe('in memory', () => contract(memory));
    if (dynamo) describe('on DynamoDB Local', () => contract(dynamo(localTable())));
    if (s3) describe('on s3rver', () => contract(s3(localBucket())));
  });
}

/**
 * What each test of a contract starts from: `make` runs before every test (the subject and the
 * account or keys it works on), so that no test sees what another wrote. Read the fields of the
 * object it returns inside tests and hooks only; before the first test there is nothing to read.
 */
export function freshPerTest<T extends object>(make: () => T): Readonly<T> {
  let current: T | undefined;
  beforeEach(() => {
    current = make();
  });
  return readThrough(() => current, 'freshPerTest: read outside a test');
}

/** The table the integration project's global setup created in DynamoDB Local. */
function localTable(): TableAccess {
  const client = localDocumentClient(inject('dynamoEndpoint'));
  afterAll(() => client.destroy());
  return { client, tableName: inject('tableName') };
}

function localBucket(): LocalBucket {
  const client = new S3Client(localS3Config(inject('s3Endpoint')));
  afterAll(() => client.destroy());
  return { client, bucket: inject('imagesBucket') };
}
