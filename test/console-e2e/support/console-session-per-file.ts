import { afterAll, beforeAll, expect } from 'vitest';
import { type ConsoleSession, openConsole } from './console-page.ts';

export interface ConsoleSessionPerFileOptions {
  /** Makes what the file's tests start from (slices, snapshots), before the console opens. */
  readonly prepare?: () => Promise<void>;
  /** Signs in with the keyboard alone. */
  readonly keyboard?: boolean;
  /**
   * Errors the page may log: the failed fetches of refusals the file's tests provoke on purpose.
   * Any other error fails the file.
   */
  readonly allowedErrors?: RegExp;
}

/**
 * One console session shared by a file's tests, signed in as `account`: opened in a `beforeAll`
 * once `prepare` is done, and in an `afterAll` checked for errors the page logged and closed. The
 * session returned can be read in tests only, once it is open.
 */
export function consoleSessionPerFile(
  account: string,
  options: ConsoleSessionPerFileOptions = {},
): ConsoleSession {
  let opened: ConsoleSession | undefined;
  beforeAll(async () => {
    await options.prepare?.();
    opened = await openConsole(account, { keyboard: options.keyboard ?? false });
  });
  afterAll(async () => {
    if (!opened) return;
    try {
      const { allowedErrors } = options;
      const unexpected = allowedErrors
        ? opened.errors.filter((error) => !allowedErrors.test(error))
        : opened.errors;
      expect(unexpected).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  const open = (): ConsoleSession => {
    if (!opened) throw new Error('the console session is not open: read it inside a test');
    return opened;
  };
  return {
    get browser() {
      return open().browser;
    },
    get context() {
      return open().context;
    },
    get page() {
      return open().page;
    },
    get errors() {
      return open().errors;
    },
    close: () => open().close(),
  };
}
