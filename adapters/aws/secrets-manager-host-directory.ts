import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Host } from '../../core/hosts/host.ts';
import type { HostDirectory } from '../../core/ports/host-directory.ts';
import { type HostRegistry, parseHostRegistry } from './host-registry.ts';

/** How long a container keeps the registry before reading it again. */
const DEFAULT_CACHE_MS = 60_000;
/** A host missing from a copy at least this old triggers a fresh read (a host just registered). */
const DEFAULT_MISS_REFRESH_MS = 5_000;

interface Cached {
  readonly registry: HostRegistry;
  readonly loadedAt: number;
}

/**
 * HostDirectory on the Secrets Manager secret holding the host registry document (see
 * host-registry.ts). Read once and kept for a minute per container; a host id missing from a copy
 * older than a few seconds reads the secret again, so a newly registered host is found at once.
 */
export class SecretsManagerHostDirectory implements HostDirectory {
  readonly #client: SecretsManagerClient;
  readonly #secretId: string;
  readonly #cacheMs: number;
  readonly #missRefreshMs: number;
  readonly #now: () => number;
  #cached: Cached | undefined;
  #loading: Promise<Cached> | undefined;

  constructor(options: {
    client: SecretsManagerClient;
    secretId: string;
    cacheMs?: number;
    missRefreshMs?: number;
    now?: () => number;
  }) {
    this.#client = options.client;
    this.#secretId = options.secretId;
    this.#cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
    this.#missRefreshMs = options.missRefreshMs ?? DEFAULT_MISS_REFRESH_MS;
    this.#now = options.now ?? Date.now;
  }

  async hostsIn(region: string): Promise<readonly Host[]> {
    const { registry } = await this.#registry();
    return registry.hosts.filter((host) => host.region === region).map(publicPart);
  }

  async get(hostId: string): Promise<Host | null> {
    const host = await this.#find(hostId);
    return host ? publicPart(host) : null;
  }

  async signingSecret(hostId: string): Promise<string | null> {
    return (await this.#find(hostId))?.secret ?? null;
  }

  async callbackUrl(): Promise<string> {
    const { callbackUrl } = (await this.#registry()).registry;
    if (!callbackUrl) throw new Error('the host registry sets no callbackUrl');
    return callbackUrl;
  }

  async #find(hostId: string): Promise<HostRegistry['hosts'][number] | undefined> {
    const cached = await this.#registry();
    const host = cached.registry.hosts.find((each) => each.id === hostId);
    if (host || this.#now() - cached.loadedAt < this.#missRefreshMs) return host;
    const fresh = await this.#registry(true);
    return fresh.registry.hosts.find((each) => each.id === hostId);
  }

  #registry(force = false): Promise<Cached> {
    const cached = this.#cached;
    if (!force && cached && this.#now() - cached.loadedAt < this.#cacheMs) {
      return Promise.resolve(cached);
    }
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #load(): Promise<Cached> {
    const { SecretString } = await this.#client.send(
      new GetSecretValueCommand({ SecretId: this.#secretId }),
    );
    if (!SecretString) throw new Error(`the host registry secret ${this.#secretId} is empty`);
    this.#cached = { registry: parseHostRegistry(SecretString), loadedAt: this.#now() };
    return this.#cached;
  }
}

function publicPart(host: HostRegistry['hosts'][number]): Host {
  return {
    id: host.id,
    region: host.region,
    url: host.url,
    ...(host.slots === undefined ? {} : { slots: host.slots }),
  };
}
