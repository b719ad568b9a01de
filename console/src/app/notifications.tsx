import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useApi } from '../api/api-context.tsx';
import type { Operation } from '../api/client.ts';
import { explainOperationError } from '../api/problem-words.ts';
import { invalidateAfterChange, operationQuery } from '../api/queries.ts';
import { RouterLink } from '../components/router-link.tsx';

/** What a notice that follows an operation says in each of its states. */
export interface FollowedOperation {
  readonly id: string;
  readonly running: string;
  readonly succeeded: string;
  readonly failed: string;
}

/** A message at the top of the page; one that follows an operation changes as it runs. */
export interface Notice {
  readonly type: 'success' | 'error' | 'info' | 'warning';
  readonly header: string;
  /** What the notice says; beside the operation's link when it follows one. */
  readonly content?: ReactNode;
  readonly operation?: FollowedOperation;
}

interface StoredNotice extends Notice {
  readonly key: string;
}

interface NotificationsValue {
  readonly notices: readonly StoredNotice[];
  notify(notice: Notice): void;
  dismiss(key: string): void;
}

const NotificationsContext = createContext<NotificationsValue | null>(null);

/** Holds the notices of the session (newest first). */
export function NotificationsProvider(props: { children: ReactNode }) {
  const [notices, setNotices] = useState<readonly StoredNotice[]>([]);
  const counter = useRef(0);
  const notify = useCallback((notice: Notice) => {
    counter.current += 1;
    const key = `notice-${counter.current}`;
    setNotices((current) => [{ ...notice, key }, ...current].slice(0, 5));
  }, []);
  const dismiss = useCallback((key: string) => {
    setNotices((current) => current.filter((each) => each.key !== key));
  }, []);
  const value = useMemo(() => ({ notices, notify, dismiss }), [notices, notify, dismiss]);
  return (
    <NotificationsContext.Provider value={value}>{props.children}</NotificationsContext.Provider>
  );
}

function useNotifications(): NotificationsValue {
  const value = useContext(NotificationsContext);
  if (!value) throw new Error('useNotify outside NotificationsProvider');
  return value;
}

/** Shows a notice at the top of the page. */
export function useNotify(): (notice: Notice) => void {
  return useNotifications().notify;
}

function operationLink(id: string) {
  return <RouterLink href={`/operations/${id}`}>View the operation</RouterLink>;
}

/**
 * The notice of a followed operation in its current state. The notice's own content (a link to
 * what the operation makes) stays beside the link to the operation in every state.
 */
function followedItem(
  followed: FollowedOperation,
  operation: Operation | undefined,
  content: ReactNode,
): Omit<FlashbarProps.MessageDefinition, 'onDismiss'> {
  const links = content ? (
    <SpaceBetween direction="horizontal" size="m">
      {content}
      {operationLink(followed.id)}
    </SpaceBetween>
  ) : (
    operationLink(followed.id)
  );
  if (!operation || operation.status === 'running') {
    const percent = operation?.progress.percent ?? 0;
    return {
      type: 'in-progress',
      loading: true,
      header: followed.running,
      content: (
        <>
          {percent > 0 ? (
            <ProgressBar variant="flash" value={percent} ariaLabel={followed.running} />
          ) : null}
          {links}
        </>
      ),
    };
  }
  if (operation.status === 'succeeded') {
    return { type: 'success', header: followed.succeeded, content: links };
  }
  const why = operation.error ? explainOperationError(operation.error) : undefined;
  return {
    type: 'error',
    header: followed.failed,
    content: (
      <>
        {why ? `${why.summary} ${why.action} ` : null}
        {links}
      </>
    ),
  };
}

/**
 * The notices as a Cloudscape flashbar. Notices that follow an operation poll it every second
 * while it runs; when it ends, the lists it changed are read again.
 */
export function NotificationsBar() {
  const { notices, dismiss } = useNotifications();
  const api = useApi();
  const queryClient = useQueryClient();
  const followed = notices.filter((notice) => notice.operation);
  const results = useQueries({
    queries: followed.map((notice) => operationQuery(api, notice.operation?.id ?? '')),
  });
  const operations = new Map<string, Operation>();
  for (const result of results) {
    if (result.data) operations.set(result.data.id, result.data);
  }
  const ended = [...operations.values()]
    .filter((operation) => operation.status !== 'running')
    .map((operation) => operation.id)
    .join(',');
  useEffect(() => {
    if (ended) void invalidateAfterChange(queryClient);
  }, [ended, queryClient]);

  const items: FlashbarProps.MessageDefinition[] = notices.map((notice) => {
    const base = notice.operation
      ? followedItem(notice.operation, operations.get(notice.operation.id), notice.content)
      : { type: notice.type, header: notice.header, content: notice.content };
    return {
      ...base,
      id: notice.key,
      dismissible: true,
      dismissLabel: 'Dismiss message',
      onDismiss: () => dismiss(notice.key),
    };
  });
  return <Flashbar items={items} />;
}
