import { httpHandler } from './shared/http-handler.ts';
import { buildOpenApiDocument } from './shared/openapi.ts';
import { API_ROUTES, getOpenApiRoute } from './shared/routes.ts';

const document = buildOpenApiDocument(API_ROUTES);

export const handler = httpHandler(getOpenApiRoute, async () => ({ status: 200, body: document }));
