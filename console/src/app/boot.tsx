import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Spinner from '@cloudscape-design/components/spinner';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiProvider } from '../api/api-context.tsx';
import { createApiClient } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import { startCognitoSession } from '../auth/cognito-session.ts';
import { rememberedLocalAccount, signInLocally } from '../auth/local-session.ts';
import { LocalSignInPage } from '../auth/local-sign-in-page.tsx';
import type { Session } from '../auth/session.ts';
import { type ConsoleConfig, loadConsoleConfig } from '../config/console-config.ts';
import { ConsoleApp } from './console-app.tsx';
import { NotificationsProvider } from './notifications.tsx';

type BootState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'choose-account'; readonly config: ConsoleConfig }
  | { readonly kind: 'signed-in'; readonly config: ConsoleConfig; readonly session: Session };

/** Transient failures (unreachable, 5xx, throttled) are retried; answers about the request are not. */
function retryTransient(failures: number, error: unknown): boolean {
  if (failures >= 2) return false;
  if (!(error instanceof ApiProblem)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

function SignedIn(props: { config: ConsoleConfig; session: Session }) {
  const value = useMemo(
    () => ({ client: createApiClient(props.config.apiUrl, props.session), session: props.session }),
    [props.config.apiUrl, props.session],
  );
  // One cache per session: signing in as another account starts from nothing.
  const queryClient = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: retryTransient, staleTime: 1_000 },
          mutations: { retry: false },
        },
      }),
    [],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <ApiProvider value={value}>
        <NotificationsProvider>
          <ConsoleApp />
        </NotificationsProvider>
      </ApiProvider>
    </QueryClientProvider>
  );
}

async function signIn(config: ConsoleConfig, onSignOut: () => void): Promise<BootState | null> {
  if (config.auth.kind === 'cognito') {
    const session = await startCognitoSession(config.auth);
    return session === 'redirecting' ? null : { kind: 'signed-in', config, session };
  }
  const account = rememberedLocalAccount();
  if (!account) return { kind: 'choose-account', config };
  const session = await signInLocally(config.auth, account, { onSignOut });
  return { kind: 'signed-in', config, session };
}

/**
 * Loads `/config.json`, signs the user in with the identity provider it names, then shows the
 * console. Locally a reload signs in again as the account chosen in this tab.
 */
export function Boot(props: { loadConfig?: () => Promise<ConsoleConfig> }) {
  const [state, setState] = useState<BootState>({ kind: 'loading' });
  const load = props.loadConfig ?? loadConsoleConfig;
  useEffect(() => {
    let cancelled = false;
    const restart = (config: ConsoleConfig) => () => setState({ kind: 'choose-account', config });
    load()
      .then(async (config) => {
        const next = await signIn(config, restart(config));
        if (!cancelled && next) setState(next);
      })
      .catch((error: unknown) => {
        if (!cancelled) {
          setState({
            kind: 'failed',
            message: error instanceof Error ? error.message : String(error),
          });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [load]);

  if (state.kind === 'loading') {
    return (
      <Box textAlign="center" padding="xxxl">
        <Spinner size="large" />
      </Box>
    );
  }
  if (state.kind === 'failed') {
    return (
      <Box padding="xxl">
        <Alert type="error" header="The console could not start">
          {state.message}. Reload the page; if it happens again, the console's configuration may be
          wrong.
        </Alert>
      </Box>
    );
  }
  if (state.kind === 'choose-account' && state.config.auth.kind === 'local') {
    const { config } = state;
    return (
      <LocalSignInPage
        config={state.config.auth}
        onSignedIn={(session) => setState({ kind: 'signed-in', config, session })}
        onSignOut={() => setState({ kind: 'choose-account', config })}
      />
    );
  }
  if (state.kind === 'signed-in') return <SignedIn config={state.config} session={state.session} />;
  return null;
}
