import { z } from 'zod';
import { DEFAULT_REGIONS, ENV } from '../../infra/catalog.ts';

const RegionsSchema = z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1);

/** The regions this deployment serves: the REGIONS variable, or the default pair. */
export function configuredRegions(): ReadonlyArray<{ id: string; name: string }> {
  const raw = process.env[ENV.regions];
  if (!raw) return DEFAULT_REGIONS;
  return RegionsSchema.parse(JSON.parse(raw));
}

/** A required environment variable, failing loudly at cold start when the deployment lacks it. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
