import { z } from 'zod';
import { MIN_SECRET_LENGTH } from '../../agent/protocol/signing.ts';
import { parseJsonOr } from '../../core/shared/json-text.ts';

/**
 * The host registry document, as operators store it in the registry secret:
 * `{ "callbackUrl": "...", "hosts": [{ "id", "region", "url", "secret" }] }`.
 */
export const HostRegistrySchema = z
  .object({
    /**
     * Where agents post callbacks: the API's URL followed by `/agent/v1/callbacks`. Empty only in
     * a registry no host was added to yet.
     */
    callbackUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    hosts: z.array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
        region: z.string().min(1),
        url: z.url({ protocol: /^https?$/ }),
        secret: z.string().min(MIN_SECRET_LENGTH),
        /** Slices the host's memory runs at once; placement fills it no further. */
        slots: z.number().int().positive().optional(),
      }),
    ),
  })
  .refine(
    (registry) => new Set(registry.hosts.map((host) => host.id)).size === registry.hosts.length,
    {
      message: 'host ids must be unique',
      path: ['hosts'],
    },
  );

export type HostRegistry = z.output<typeof HostRegistrySchema>;

/** Parses the registry document, naming every problem (never echoing a secret). */
export function parseHostRegistry(text: string): HostRegistry {
  // The parser's reason can quote the document, secrets and all: it is left out.
  const json = parseJsonOr(text, () => new Error('the host registry is not JSON'));
  const result = HostRegistrySchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`the host registry is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}
