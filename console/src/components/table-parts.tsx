import Box from '@cloudscape-design/components/box';
import Pagination from '@cloudscape-design/components/pagination';
import type { ReactNode } from 'react';
import type { CursorPages } from './cursor-pages.ts';
import { ProblemAlert } from './problem-alert.tsx';

/**
 * Cloudscape's pagination over cursor pages: open at the end while the last page known may have
 * one after it. `of` names what is paged in the screen reader's labels ("Next page of ranges").
 */
export function CursorPagination(props: {
  pages: CursorPages;
  nextCursor: string | null;
  of?: string;
}) {
  const { pages } = props;
  const isLastKnown = pages.pageNumber === pages.pagesKnown;
  const of = props.of ? ` of ${props.of}` : '';
  return (
    <Pagination
      currentPageIndex={pages.pageNumber}
      pagesCount={pages.pagesKnown}
      openEnd={!isLastKnown || props.nextCursor !== null}
      onChange={({ detail }) => pages.goTo(detail.currentPageIndex)}
      ariaLabels={{
        nextPageLabel: `Next page${of}`,
        previousPageLabel: `Previous page${of}`,
        pageLabel: (number) => `Page ${number}${of}`,
      }}
    />
  );
}

/**
 * What a table shows with no rows: why it could not be loaded, or that there is nothing (`title`)
 * and what to do about it (`children`).
 */
export function TableEmpty(props: {
  error: unknown;
  errorHeader: string;
  errorFields?: Record<string, string>;
  title: string;
  children?: ReactNode;
}) {
  if (props.error) {
    return (
      <ProblemAlert
        error={props.error}
        header={props.errorHeader}
        fieldLabels={props.errorFields}
      />
    );
  }
  return (
    <Box textAlign="center" color="inherit">
      <Box variant="strong">{props.title}</Box>
      {props.children ? <Box variant="p">{props.children}</Box> : null}
    </Box>
  );
}
