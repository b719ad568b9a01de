import type { Host } from '../hosts/host.ts';

/**
 * The host registry: which hosts serve which region, how to reach their agents, and the secret
 * each agent shares with the backend. Operators maintain it; reads may be a minute stale.
 */
export interface HostDirectory {
  /** The hosts of `region`, in registry order; none when the region has no host. */
  hostsIn(region: string): Promise<readonly Host[]>;

  /** The host, or null when the registry does not list it. */
  get(hostId: string): Promise<Host | null>;

  /**
   * The secret that signs requests to the host's agent and its callbacks, or null for an unknown
   * host. Only the adapters that sign and verify read it; no use case does.
   */
  signingSecret(hostId: string): Promise<string | null>;

  /** The URL agents post their callbacks to (the API's `/agent/v1/callbacks`). */
  callbackUrl(): Promise<string>;
}
