/** Operation statuses of CONTRACT.md. */
export type OperationStatus = 'running' | 'succeeded' | 'failed';

/** The kind of resource an operation acts on. */
export type OperationResourceType = 'slice' | 'snapshot';
