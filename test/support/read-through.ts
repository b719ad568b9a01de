/**
 * A stand-in for a value a hook builds later (in a `beforeAll` or a `beforeEach`), handed out
 * when a describe block is declared: each read of a field or method goes to what `current`
 * answers at that moment, methods bound to it. A read while there is nothing throws `notYet`.
 */
export function readThrough<T extends object>(current: () => T | undefined, notYet: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      if (target === undefined) throw new Error(notYet);
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
