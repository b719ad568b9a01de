/** Binary units of the figures the benches print. */
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
