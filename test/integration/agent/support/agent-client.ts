import { signRequest } from '../../../../agent/protocol/signing.ts';

export interface AgentResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Sends a request signed the way the backend signs it; `tamper` alters the signed headers. */
export async function signedRequest(
  agentUrl: string,
  options: {
    hostId: string;
    secret: string;
    method?: 'GET' | 'POST';
    path?: string;
    body?: unknown;
    now?: number;
    headers?: Record<string, string>;
  },
): Promise<AgentResponse> {
  const method = options.method ?? 'POST';
  const path = options.path ?? '/v1/commands';
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const headers = {
    ...signRequest(
      options.secret,
      { method, path, hostId: options.hostId, body },
      options.now === undefined ? {} : { now: options.now },
    ),
    ...options.headers,
    ...(body ? { 'content-type': 'application/json' } : {}),
  };
  const response = await fetch(`${agentUrl}${path}`, {
    method,
    headers,
    ...(body ? { body } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
