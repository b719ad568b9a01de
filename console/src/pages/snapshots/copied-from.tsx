import { ApiProblem } from '../../api/problem.ts';
import { useSnapshot } from '../../api/queries.ts';
import { RouterLink } from '../../components/router-link.tsx';

/**
 * "Copied from <source> (<region>)" for a copy: the source by its name once read, by its id
 * until then (or when it cannot be read). The copy outlives its source, so a source the API no
 * longer knows is named by its id and said to be gone.
 */
export function CopiedFrom(props: { source: { snapshotId: string; region: string } }) {
  const { snapshotId, region } = props.source;
  const source = useSnapshot(snapshotId);
  if (source.error instanceof ApiProblem && source.error.status === 404) {
    return (
      <>
        Copied from {snapshotId} ({region}), which no longer exists
      </>
    );
  }
  return (
    <>
      Copied from{' '}
      <RouterLink href={`/snapshots/${snapshotId}`}>{source.data?.name ?? snapshotId}</RouterLink> (
      {region})
    </>
  );
}
