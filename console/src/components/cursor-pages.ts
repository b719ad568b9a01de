import { useCallback, useState } from 'react';

interface PagesState {
  readonly key: string;
  readonly cursors: readonly (string | null)[];
  readonly index: number;
}

function firstPage(key: string): PagesState {
  return { key, cursors: [null], index: 0 };
}

/**
 * Page-by-page navigation over a cursor-paged list: the cursors of the pages seen so far, the
 * current page, and whether there is a page after the last one known. A change of `resetKey`
 * (filters, page size) goes back to the first page.
 */
export function useCursorPages(resetKey: string) {
  const [stored, setState] = useState(() => firstPage(resetKey));
  const state = stored.key === resetKey ? stored : firstPage(resetKey);

  /** Records the cursor of the page after the current one, as the current page answered it. */
  const learnNext = useCallback(
    (nextCursor: string | null) => {
      if (nextCursor === null) return;
      setState((previous) => {
        const current = previous.key === resetKey ? previous : firstPage(resetKey);
        if (current.cursors[current.index + 1] === nextCursor) return current;
        return {
          ...current,
          cursors: [...current.cursors.slice(0, current.index + 1), nextCursor],
        };
      });
    },
    [resetKey],
  );

  const goTo = useCallback(
    (pageNumber: number) => {
      setState((previous) => {
        const current = previous.key === resetKey ? previous : firstPage(resetKey);
        const index = Math.min(Math.max(pageNumber - 1, 0), current.cursors.length - 1);
        return { ...current, index };
      });
    },
    [resetKey],
  );

  return {
    /** The cursor of the current page (null: the first). */
    cursor: state.cursors[state.index] ?? null,
    /** 1-based, as Cloudscape's pagination counts. */
    pageNumber: state.index + 1,
    pagesKnown: state.cursors.length,
    learnNext,
    goTo,
  };
}

/** The navigation `useCursorPages` gives. */
export type CursorPages = ReturnType<typeof useCursorPages>;
