/**
 * A hypervisor host running an agent, as the host registry lists it. Slices of a region are placed
 * on the hosts of that region; the agent at `url` holds their disks.
 */
export interface Host {
  readonly id: string;
  readonly region: string;
  /** Base URL of the host's agent, e.g. `https://host-1.fra1.internal:8443`. */
  readonly url: string;
  /**
   * How many slices the host's memory runs at once (its agent's `AGENT_MEMORY_MB` over
   * `AGENT_VM_MEMORY_MB`); placement never puts more there. Unlimited when absent.
   */
  readonly slots?: number;
}
