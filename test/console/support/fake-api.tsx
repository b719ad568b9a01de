import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiProvider } from '../../../console/src/api/api-context.tsx';
import { createApiClient } from '../../../console/src/api/client.ts';
import {
  NotificationsBar,
  NotificationsProvider,
} from '../../../console/src/app/notifications.tsx';
import type { Session } from '../../../console/src/auth/session.ts';

/** A request the console made, as the fake API received it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  readonly body: unknown;
}

/** Answers one route: JSON with a status, or problem+json. */
export type Route = (request: Received) => {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
};

/** A 200 answer of `body`. */
export function ok(body: unknown) {
  return { status: 200, body };
}

/** A 200 answer of a list's only page: `items`, and no cursor to a next one. */
export function onePage(items: readonly unknown[]) {
  return ok({ items, nextCursor: null });
}

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/** A problem+json answer of `status`, titled as HTTP names it, with `members` beside. */
export function problem(status: number, members: Record<string, unknown> = {}) {
  return { status, body: { title: STATUS_TITLES[status], status, ...members } };
}

/**
 * An API in memory: `routes` by `METHOD /path` (path parameters as `{id}`), every request kept in
 * `received`. Anything without a route answers 404 problem+json.
 */
export function fakeApi(routes: Record<string, Route>) {
  const received: Received[] = [];
  const compiled = Object.entries(routes).map(([key, route]) => {
    const [method, pattern = ''] = key.split(' ');
    const regex = new RegExp(`^${pattern.replace(/\{\w+\}/g, '[^/]+')}$`);
    return { method, regex, route };
  });
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const entry: Received = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    received.push(entry);
    const match = compiled.find(
      (each) => each.method === request.method && each.regex.test(url.pathname),
    );
    const answer = match
      ? match.route(entry)
      : {
          status: 404,
          body: { title: 'Not Found', status: 404, detail: `no route ${url.pathname}` },
        };
    const problem = answer.status >= 400;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: {
        'content-type': problem ? 'application/problem+json' : 'application/json',
        ...answer.headers,
      },
    });
  };
  return { fetcher, received };
}

export const SESSION: Session = {
  account: 'acct-test',
  userName: 'acct-test',
  idToken: async () => 'token-of-acct-test',
  signOut: () => undefined,
};

/** Renders `ui` as the console would: API client, query cache, notices shown above it. */
export function renderWithApi(ui: ReactNode, fetcher: typeof fetch) {
  const client = createApiClient('http://api.test', SESSION, fetcher);
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={queryClient}>
      <ApiProvider value={{ client, session: SESSION }}>
        <NotificationsProvider>
          <NotificationsBar />
          {ui}
        </NotificationsProvider>
      </ApiProvider>
    </QueryClientProvider>,
  );
}
