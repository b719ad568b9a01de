import { reportAgentCallback } from '../core/use-cases/report-agent-callback.ts';
import { AgentCallbackSchema } from './shared/agent-callback-schema.ts';
import { httpHandler } from './shared/http-handler.ts';
import { logger } from './shared/logger.ts';
import { problem } from './shared/problem.ts';
import { agentCallbackRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';
import { parseOrProblem } from './shared/validation.ts';

/**
 * `POST /agent/v1/callbacks`: a host agent's heartbeat or outcome, signed with its host's secret
 * over the raw body. Refused with 401 unless the signature, timestamp and host hold and the nonce
 * is new; then passed to the waiting workflow task. 410 tells the agent the task is gone.
 */
export const handler = httpHandler(agentCallbackRoute, async ({ event, headers }) => {
  const { ports, callbackAuthenticator } = await services();
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const authenticated = await callbackAuthenticator.authenticate({
    method: event.requestContext.http.method,
    path: event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath,
    headers,
    body,
  });
  if (!authenticated.ok) {
    logger.warn('agent callback refused', { reason: authenticated.reason });
    throw problem('UNAUTHORIZED', `The callback signature was refused: ${authenticated.reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw problem('MALFORMED_JSON', 'The callback body is not valid JSON');
  }
  const report = parseOrProblem(AgentCallbackSchema, json, 'body');
  logger.appendKeys({ hostId: authenticated.hostId, commandId: report.commandId });
  await reportAgentCallback(ports, report, authenticated.hostId);
  return { status: 204 };
});
