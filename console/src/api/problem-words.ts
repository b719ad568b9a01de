import { operationName } from './operation-words.ts';
import { ApiProblem, type FieldProblem } from './problem.ts';

/** A problem told to a user: what happened and what to do about it. */
export interface Explanation {
  readonly summary: string;
  readonly action: string;
  /** The operation in the way, to link to. */
  readonly operationId?: string;
  /** Bad input fields, each in the words of its form. */
  readonly fields?: readonly FieldProblem[];
}

interface Words {
  readonly summary: string | ((context: Context) => string);
  readonly action: string | ((context: Context) => string);
}

interface Context {
  readonly detail: string;
  readonly operationType: string | undefined;
  readonly retryAfterSeconds: number | undefined;
}

/** How details of deployments before `operationType` name it: `… operation op_… (slice.restore)`. */
const OPERATION_TYPE = /\bop_\w+ \(([a-z]+\.[a-z-]+)\)/;

const TRY_LATER = 'Try again in a moment. If it keeps happening, contact support.';
const REFRESH = 'Refresh the page to see the current state, then try again.';

/** Words for each stable error code of the API and of operations (CONTRACT.md). */
const WORDS: Record<string, Words> = {
  VALIDATION_FAILED: {
    summary: 'Some of what was entered is not accepted.',
    action: 'Correct the fields named below and try again.',
  },
  MALFORMED_JSON: {
    summary: 'The console sent a request the API could not read.',
    action: 'Reload the page and try again.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    summary: 'The console sent a request the API could not read.',
    action: 'Reload the page and try again.',
  },
  BODY_TOO_LARGE: {
    summary: 'What was entered is too large to send.',
    action: 'Shorten it and try again.',
  },
  ROUTE_NOT_FOUND: {
    summary: 'The API does not offer this action.',
    action: 'Reload the page: the console may be older than the API.',
  },
  METHOD_NOT_ALLOWED: {
    summary: 'The API does not offer this action.',
    action: 'Reload the page: the console may be older than the API.',
  },
  INVALID_CURSOR: {
    summary: 'This page of the list is no longer valid.',
    action: 'Go back to the first page.',
  },
  UNKNOWN_REGION: { summary: 'That region is not served.', action: 'Choose another region.' },
  BILLING_MONTH_NOT_BEGUN: {
    summary: 'That month has not begun yet.',
    action: 'Choose the current month or an earlier one.',
  },
  INVALID_LABEL_SELECTOR: {
    summary: 'The label filter cannot be read.',
    action:
      'Write it as key=value, key!=value, key, !key, key in (a,b) or key notin (a,b), with commas between them; the position named below is where it stops making sense.',
  },
  UNAUTHORIZED: {
    summary: 'Your sign-in has expired or was not accepted.',
    action: 'Sign out and sign in again.',
  },
  RATE_LIMITED: {
    summary: 'Your account sent too many requests at once.',
    action: ({ retryAfterSeconds }) =>
      retryAfterSeconds
        ? `Wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}, then try again.`
        : 'Wait a few seconds, then try again.',
  },
  SLICE_NOT_FOUND: {
    summary: 'That slice no longer exists: it may have been deleted.',
    action: 'Refresh the list of slices.',
  },
  SNAPSHOT_NOT_FOUND: {
    summary: 'That snapshot no longer exists: it may have been deleted.',
    action: 'Refresh the list of snapshots.',
  },
  OPERATION_NOT_FOUND: {
    summary: 'That operation does not exist in your account.',
    action: 'Open the list of operations to find it.',
  },
  SLICE_BUSY: {
    summary: ({ operationType }) =>
      operationType
        ? `The slice is busy with another operation (${operationName(operationType)}).`
        : 'The slice is busy with another operation.',
    action: 'Wait until that operation ends, then try again.',
  },
  ILLEGAL_TRANSITION: {
    summary: ({ detail }) => `This cannot be done in its current state (${detail}).`,
    action: REFRESH,
  },
  SNAPSHOT_NOT_AVAILABLE: {
    summary:
      'The snapshot is not available: it is still being taken, it failed, it is in the recycle bin, or it is deleted.',
    action:
      'Wait until its status is Available, recover it from the recycle bin, or choose another snapshot.',
  },
  SNAPSHOT_BEING_DELETED: {
    summary: 'The snapshot is being deleted.',
    action: 'Choose another snapshot.',
  },
  SNAPSHOT_IN_USE: {
    summary: 'A restore or a new slice is reading this snapshot right now.',
    action: 'Wait until that operation ends, then try again.',
  },
  SNAPSHOT_NOT_RECYCLED: {
    summary:
      'The snapshot is not in the recycle bin (any more): it was recovered or deleted for good.',
    action: 'Refresh the recycle bin.',
  },
  SNAPSHOT_ALREADY_RECYCLED: {
    summary: 'The snapshot is in the recycle bin already.',
    action: 'Open the recycle bin to recover it, or to delete it for good.',
  },
  SNAPSHOT_CORRUPT: {
    summary:
      'Checking this snapshot found part of its image damaged, so nothing can be restored from it.',
    action: 'Restore or create the slice from another snapshot instead.',
  },
  SNAPSHOT_PROTECTED: {
    summary: 'The snapshot is protected, so it cannot be deleted.',
    action:
      'If it really should go, choose Turn off protection in its actions menu first, then delete it.',
  },
  SLICE_DELETE_PROTECTED: {
    summary: 'The slice has delete protection on, so it cannot be deleted.',
    action:
      'If it really should go, choose Turn off delete protection in its actions menu first, then delete it.',
  },
  POLICY_NOT_FOUND: {
    summary: 'That snapshot policy no longer exists: it may have been deleted.',
    action: 'Refresh the list of policies.',
  },
  POLICY_RUN_IN_PROGRESS: {
    summary: 'A run of this policy is still going, and runs of a policy never overlap.',
    action:
      "Wait until it has finished (the policy's Runs show it as Running until then), then choose Run now again.",
  },
  OPERATION_NOT_UNDOABLE: {
    summary: 'Only a restore that succeeded can be undone.',
    action: 'Pick the restore operation you want to undo.',
  },
  UNDO_NOT_AVAILABLE: {
    summary:
      'This restore kept no copy of the disk it replaced, so there is nothing to go back to.',
    action: 'Restore the slice from another snapshot instead.',
  },
  UNDO_EXPIRED: {
    summary: 'The copy of the disk this restore replaced has left the recycle bin.',
    action: 'Restore the slice from another snapshot instead.',
  },
  SOURCE_SLICE_DELETED: {
    summary: 'The slice this snapshot was taken from has been deleted.',
    action: 'Create a new slice from the snapshot instead, or restore onto another slice.',
  },
  CONCURRENT_MODIFICATION: { summary: 'It was changed at the same moment.', action: REFRESH },
  RECORD_ALREADY_EXISTS: { summary: 'It exists already.', action: REFRESH },
  IDEMPOTENCY_KEY_REUSED: {
    summary: 'This request was already sent with other values.',
    action: 'Close the form and start again.',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    summary: 'This request is still being handled.',
    action: 'Wait a moment, then refresh.',
  },
  SNAPSHOT_REGION_MISMATCH: {
    summary: 'The snapshot is in another region than the slice.',
    action: "Choose the snapshot's region.",
  },
  SNAPSHOT_ALREADY_IN_REGION: {
    summary: 'The snapshot is in that region already, so there is nothing to copy there.',
    action: 'Choose another region, or use the snapshot where it is.',
  },
  DISK_TOO_SMALL: {
    summary: "The disk is smaller than the snapshot's disk.",
    action: "Choose a disk at least as large as the snapshot's.",
  },
  NO_HOST_AVAILABLE: {
    summary: 'No host in this region has room for another slice right now.',
    action: 'Try another region, or try again later.',
  },
  INTERNAL: { summary: 'Something went wrong on our side.', action: TRY_LATER },

  // What ends an operation.
  WORKFLOW_ABORTED: {
    summary: 'The operation was stopped before it finished; what it changed was put back.',
    action: 'Try again.',
  },
  WORKFLOW_TIMED_OUT: {
    summary: 'The operation took too long and was stopped; what it changed was put back.',
    action: 'Try again. If it keeps happening, contact support.',
  },
  WORKFLOW_FAILED: {
    summary: 'The operation failed; what it changed was put back.',
    action: TRY_LATER,
  },
  WORKFLOW_START_FAILED: { summary: 'The operation could not be started.', action: TRY_LATER },
  WORKFLOW_NOT_STARTED: { summary: 'The operation was never started.', action: 'Try again.' },
  AGENT_UNREACHABLE: {
    summary: "The slice's host could not be reached.",
    action: 'Try again in a few minutes.',
  },
  AGENT_RESTARTED: {
    summary: "The slice's host restarted while it worked on this.",
    action: 'Try again.',
  },
  AGENT_FAILED: { summary: "The slice's host failed while it worked on this.", action: TRY_LATER },
  STORE_UNAVAILABLE: {
    summary: 'The image store could not be reached.',
    action: 'Try again in a few minutes.',
  },
  POWER_TIMEOUT: {
    summary: 'The slice did not power off in time, even when its power was cut.',
    action: TRY_LATER,
  },
  HOST_CAPACITY_EXCEEDED: {
    summary: "The slice's host has no memory left to power it on.",
    action: 'Power off another slice, or try again later.',
  },
  HYPERVISOR_FAILED: {
    summary: "The slice's virtual machine could not be started or stopped.",
    action: TRY_LATER,
  },
  IMAGE_CORRUPT: {
    summary: "The snapshot's image failed its integrity check; nothing was written.",
    action: 'Choose another snapshot, and contact support about this one.',
  },
  IMAGE_INCOMPLETE: {
    summary: "Part of the snapshot's image is missing; nothing was written.",
    action: 'Choose another snapshot, and contact support about this one.',
  },
  IMAGE_NOT_FOUND: {
    summary: "The snapshot's image is missing; nothing was written.",
    action: 'Choose another snapshot, and contact support about this one.',
  },
  COMMAND_CANCELLED: { summary: 'The operation was cancelled.', action: 'Try again.' },
  DISK_NOT_FOUND: { summary: "The slice's disk was not found on its host.", action: TRY_LATER },
  CAPTURE_NOT_FOUND: {
    summary: "The slice's captured disk was gone before its upload.",
    action: 'Take the snapshot again.',
  },
  DISK_EXISTS: {
    summary: 'A disk for this new slice existed already on its host.',
    action: 'Delete the slice and create it again.',
  },
  SLICE_POWERED_ON: {
    summary: 'The slice is running, and this needs it powered off.',
    action: 'Power it off, then try again.',
  },
  SLICE_LOCK_NOT_HELD: {
    summary: 'The operation lost its hold on the slice before it finished.',
    action: REFRESH,
  },
  SLICE_NOT_PLACED: {
    summary: 'The slice has no host yet.',
    action: 'Delete the slice and create a new one.',
  },
  UNKNOWN_HOST: {
    summary: "The slice's host is no longer registered.",
    action: 'Contact support.',
  },
  INVALID_COMMAND: {
    summary: "The slice's host refused what it was asked to do.",
    action: 'Contact support.',
  },
  COMMAND_CONFLICT: {
    summary: "The slice's host refused what it was asked to do.",
    action: 'Contact support.',
  },
  COMMAND_NOT_FOUND: {
    summary: "The slice's host lost track of this work.",
    action: 'Try again.',
  },
  WORKFLOW_TASK_GONE: {
    summary: 'A step of the operation reported after it had ended.',
    action: 'Nothing to do.',
  },
  BILLING_RUN_INCOMPLETE: {
    summary: 'Some charges of this month could not be computed yet.',
    action:
      'They are computed again at the next billing run; contact support if they stay missing.',
  },
  AGENT_TIMEOUT: {
    summary: "The slice's host did not finish in time, or stopped reporting progress.",
    action: 'Try again later.',
  },
  SNAPSHOT_FAILED: { summary: 'The snapshot could not be taken.', action: 'Take it again.' },
  SNAPSHOT_COPY_FAILED: {
    summary:
      'The snapshot could not be copied to the other region; the snapshot it was copied from is unchanged.',
    action: 'Delete the failed copy, then copy the snapshot again.',
  },
  SNAPSHOT_DELETION_FAILED: {
    summary: 'The snapshot could not be deleted; it is no longer billed.',
    action: 'Delete it again: that finishes the deletion.',
  },
  SLICE_BUILD_FAILED: {
    summary: 'The slice could not be built.',
    action: 'Delete it and create it again.',
  },
  SLICE_OPERATION_FAILED: {
    summary: 'The slice could not be changed; it is as it was.',
    action: 'Try again.',
  },
  RESTORE_FAILED: {
    summary: "The restore failed; the slice's disk is as it was.",
    action: 'Try again.',
  },
  UNDO_NOT_KEPT: {
    summary:
      'The restore succeeded, but the disk it replaced could not be kept, so it cannot be undone.',
    action: 'Take a snapshot of the slice now if you want a point to come back to.',
  },
  RESTORE_NOT_ROLLED_BACK: {
    summary:
      "The restore failed after writing the image, and the slice's previous disk could not be put back.",
    action: 'Contact support, and restore a snapshot again to get a known disk.',
  },
};

/** Codes as older deployments spell them (`AREA.NAME`), and what they are now. */
const EARLIER_CODES: Record<string, string> = {
  'SLICE.BUSY': 'SLICE_BUSY',
  'AGENT.SLICE_BUSY': 'SLICE_BUSY',
  'SLICE.NOT_FOUND': 'SLICE_NOT_FOUND',
  'SNAPSHOT.NOT_FOUND': 'SNAPSHOT_NOT_FOUND',
  'OPERATION.NOT_FOUND': 'OPERATION_NOT_FOUND',
  'SLICE.ILLEGAL_TRANSITION': 'ILLEGAL_TRANSITION',
  'SLICE.NOT_ACTIVE': 'ILLEGAL_TRANSITION',
  'SNAPSHOT.ILLEGAL_TRANSITION': 'ILLEGAL_TRANSITION',
  'OPERATION.ILLEGAL_TRANSITION': 'ILLEGAL_TRANSITION',
  'SNAPSHOT.NOT_AVAILABLE': 'SNAPSHOT_NOT_AVAILABLE',
  'SNAPSHOT.BEING_DELETED': 'SNAPSHOT_BEING_DELETED',
  'SNAPSHOT.IN_USE': 'SNAPSHOT_IN_USE',
  'SLICE.SOURCE_DELETED': 'SOURCE_SLICE_DELETED',
  'SLICE.DISK_TOO_SMALL': 'DISK_TOO_SMALL',
  'SNAPSHOT.DISK_TOO_SMALL': 'DISK_TOO_SMALL',
  'SNAPSHOT.REGION_MISMATCH': 'SNAPSHOT_REGION_MISMATCH',
  'HOST.NONE_AVAILABLE': 'NO_HOST_AVAILABLE',
  'REGION.UNKNOWN': 'UNKNOWN_REGION',
  'REQUEST.INVALID_CURSOR': 'INVALID_CURSOR',
  'BILLING.FUTURE_MONTH': 'BILLING_MONTH_NOT_BEGUN',
  'STATE.CONCURRENT_MODIFICATION': 'CONCURRENT_MODIFICATION',
  'STATE.ALREADY_EXISTS': 'RECORD_ALREADY_EXISTS',
  'WORKFLOW.ABORTED': 'WORKFLOW_ABORTED',
  'WORKFLOW.TIMED_OUT': 'WORKFLOW_TIMED_OUT',
  'WORKFLOW.FAILED': 'WORKFLOW_FAILED',
  'WORKFLOW.START_FAILED': 'WORKFLOW_START_FAILED',
  'WORKFLOW.NOT_STARTED': 'WORKFLOW_NOT_STARTED',
  'AGENT.UNREACHABLE': 'AGENT_UNREACHABLE',
  'AGENT.TIMEOUT': 'AGENT_TIMEOUT',
  'SNAPSHOT.FAILED': 'SNAPSHOT_FAILED',
  'SNAPSHOT.DELETION_FAILED': 'SNAPSHOT_DELETION_FAILED',
  'SLICE.BUILD_FAILED': 'SLICE_BUILD_FAILED',
  'SLICE.OPERATION_FAILED': 'SLICE_OPERATION_FAILED',
  'SLICE.RESTORE_FAILED': 'RESTORE_FAILED',
  'SLICE.RESTORE_NOT_ROLLED_BACK': 'RESTORE_NOT_ROLLED_BACK',
  'AGENT.RESTARTED': 'AGENT_RESTARTED',
  'AGENT.FAILED': 'AGENT_FAILED',
  'AGENT.DISK_NOT_FOUND': 'DISK_NOT_FOUND',
  'STORE.UNAVAILABLE': 'STORE_UNAVAILABLE',
  'SLICE.POWER_TIMEOUT': 'POWER_TIMEOUT',
  'SNAPSHOT.IMAGE_CORRUPT': 'IMAGE_CORRUPT',
  'SNAPSHOT.IMAGE_INCOMPLETE': 'IMAGE_INCOMPLETE',
  'SNAPSHOT.IMAGE_NOT_FOUND': 'IMAGE_NOT_FOUND',
};

/** Whether the console has words of its own for a code (current or earlier spelling). */
export function hasWordsFor(code: string): boolean {
  return currentCode(code) in WORDS;
}

/** The current spelling of a code, whichever a deployment sent. */
export function currentCode(code: string): string {
  return EARLIER_CODES[code] ?? code;
}

/**
 * The code a problem stands for: its `code` when sent, otherwise what its status and detail say
 * (deployments before codes name the operation in the way in the detail of a busy slice).
 */
function codeOf(problem: ApiProblem): string | undefined {
  if (problem.code) return currentCode(problem.code);
  const detail = problem.body.detail ?? '';
  switch (problem.status) {
    case 0:
      return undefined;
    case 400:
      return problem.body.errors?.length ? 'VALIDATION_FAILED' : undefined;
    case 401:
      return 'UNAUTHORIZED';
    case 409:
      if (/\bbusy\b/i.test(detail)) return 'SLICE_BUSY';
      if (/\bin use\b/i.test(detail)) return 'SNAPSHOT_IN_USE';
      if (/\bbeing deleted\b/i.test(detail)) return 'SNAPSHOT_BEING_DELETED';
      if (/\bnot available\b/i.test(detail)) return 'SNAPSHOT_NOT_AVAILABLE';
      return undefined;
    case 429:
      return 'RATE_LIMITED';
    default:
      return problem.status >= 500 ? 'INTERNAL' : undefined;
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]?.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function fromWords(words: Words, context: Context): Pick<Explanation, 'summary' | 'action'> {
  return {
    summary: typeof words.summary === 'function' ? words.summary(context) : words.summary,
    action: typeof words.action === 'function' ? words.action(context) : words.action,
  };
}

/** What went wrong with a request, and what the user can do about it. */
export function explainProblem(error: unknown): Explanation {
  if (!(error instanceof ApiProblem)) {
    const detail = error instanceof Error ? error.message : String(error);
    return { summary: sentence(detail || 'Something went wrong.'), action: TRY_LATER };
  }
  if (error.status === 0) {
    return {
      summary: 'The API could not be reached.',
      action: 'Check your connection, then try again.',
    };
  }
  const code = codeOf(error);
  const context: Context = {
    detail: error.body.detail ?? '',
    operationType: error.body.operationType ?? OPERATION_TYPE.exec(error.body.detail ?? '')?.[1],
    retryAfterSeconds: error.retryAfterSeconds,
  };
  const words = code ? WORDS[code] : undefined;
  const explained = words
    ? fromWords(words, context)
    : {
        summary: sentence(error.body.detail ?? error.body.title ?? `HTTP ${error.status}`),
        action:
          error.status === 404
            ? 'It may have been deleted: refresh the page.'
            : error.status === 422
              ? 'Change your choices and try again.'
              : REFRESH,
      };
  const operationId = error.operationInTheWay;
  return {
    ...explained,
    ...(operationId ? { operationId } : {}),
    ...(error.body.errors?.length ? { fields: error.body.errors } : {}),
  };
}

/** Why an operation failed, and what to do next, from its `error`. */
export function explainOperationError(failure: { code: string; message: string }): Explanation {
  const words = WORDS[currentCode(failure.code)];
  if (words) {
    return fromWords(words, {
      detail: failure.message,
      operationType: undefined,
      retryAfterSeconds: undefined,
    });
  }
  return { summary: sentence(failure.message), action: TRY_LATER };
}
