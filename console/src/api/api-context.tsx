import { createContext, type ReactNode, useContext } from 'react';
import type { Session } from '../auth/session.ts';
import type { ApiClient } from './client.ts';

interface ApiContextValue {
  readonly client: ApiClient;
  readonly session: Session;
}

const ApiContext = createContext<ApiContextValue | null>(null);

/** Makes the signed-in session and its API client available to every page. */
export function ApiProvider(props: { value: ApiContextValue; children: ReactNode }) {
  return <ApiContext.Provider value={props.value}>{props.children}</ApiContext.Provider>;
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside ApiProvider');
  return value;
}

/** The typed API client of the signed-in session. */
export function useApi(): ApiClient {
  return useApiContext().client;
}

/** The signed-in session. */
export function useSession(): Session {
  return useApiContext().session;
}
