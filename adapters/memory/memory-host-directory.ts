import type { Host } from '../../core/hosts/host.ts';
import type { HostDirectory } from '../../core/ports/host-directory.ts';

/** A host as the memory registry keeps it: the host and its agent's signing secret. */
export interface RegisteredHost extends Host {
  readonly secret: string;
}

/** A fixed host registry in memory; `register` adds hosts as an operator would. */
export class MemoryHostDirectory implements HostDirectory {
  readonly #hosts: RegisteredHost[];
  readonly #callbackUrl: string;

  constructor(
    hosts: readonly RegisteredHost[] = [],
    callbackUrl = 'https://api.test/agent/v1/callbacks',
  ) {
    this.#hosts = hosts.map((host) => ({ ...host }));
    this.#callbackUrl = callbackUrl;
  }

  register(host: RegisteredHost): void {
    this.#hosts.push({ ...host });
  }

  async hostsIn(region: string): Promise<readonly Host[]> {
    return this.#hosts.filter((host) => host.region === region).map(publicPart);
  }

  async get(hostId: string): Promise<Host | null> {
    const host = this.#hosts.find((each) => each.id === hostId);
    return host ? publicPart(host) : null;
  }

  async signingSecret(hostId: string): Promise<string | null> {
    return this.#hosts.find((each) => each.id === hostId)?.secret ?? null;
  }

  async callbackUrl(): Promise<string> {
    return this.#callbackUrl;
  }
}

function publicPart(host: RegisteredHost): Host {
  return {
    id: host.id,
    region: host.region,
    url: host.url,
    ...(host.slots === undefined ? {} : { slots: host.slots }),
  };
}
