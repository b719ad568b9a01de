/** Builds a value on first use, then keeps it: what a function never uses is never built. */
export function once<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/**
 * An object whose every property is built by its factory on first read, then kept. The factories
 * are typed by `T`: a property of `T` without one is a type error.
 */
export function lazily<T extends object>(factories: { readonly [K in keyof T]-?: () => T[K] }): T {
  const built = new Map<keyof T, T[keyof T]>();
  const target = {} as T;
  for (const key of Object.keys(factories) as (keyof T)[]) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get: () => {
        if (!built.has(key)) built.set(key, factories[key]());
        return built.get(key);
      },
    });
  }
  return target;
}
