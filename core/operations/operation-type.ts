/** Operation types of CONTRACT.md. */
export const OPERATION_TYPES = [
  'snapshot.create',
  'snapshot.delete',
  'snapshot.verify',
  'snapshot.copy',
  'slice.create',
  'slice.restore',
  'slice.power',
  'slice.delete',
] as const;

/** What an operation does; the part before the dot is the kind of resource it acts on. */
export type OperationType = (typeof OPERATION_TYPES)[number];
