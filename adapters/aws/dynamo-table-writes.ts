import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** One item of a TransactWriteItems call. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A write's input without the table, which the single table fills in. */
export type Unnamed<T> = Omit<T, 'TableName'>;

/** One write of a transaction on the single table, which names the table itself. */
export type TableWrite =
  | { readonly Put: Unnamed<NonNullable<TransactItem['Put']>> }
  | { readonly Update: Unnamed<NonNullable<TransactItem['Update']>> }
  | { readonly Delete: Unnamed<NonNullable<TransactItem['Delete']>> }
  | { readonly ConditionCheck: Unnamed<NonNullable<TransactItem['ConditionCheck']>> };

/** The write as TransactWriteItems takes it, on the table `tableName`. */
export function namedWrite(tableName: string, write: TableWrite): TransactItem {
  if ('Put' in write) return { Put: { ...write.Put, TableName: tableName } };
  if ('Update' in write) return { Update: { ...write.Update, TableName: tableName } };
  if ('Delete' in write) return { Delete: { ...write.Delete, TableName: tableName } };
  return { ConditionCheck: { ...write.ConditionCheck, TableName: tableName } };
}
