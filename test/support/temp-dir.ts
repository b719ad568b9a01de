import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** A temporary directory that hooks make and remove; `path` can be read only while it exists. */
export interface TempDir {
  readonly path: string;
}

/**
 * A directory of its own for each test, made under the system's temporary directory before the
 * test and removed with all it holds after it. Call it before registering the hooks that use it:
 * theirs then run after it is made and before it is removed.
 */
export function tempDirPerTest(prefix: string): TempDir {
  return tempDirBetween(prefix, beforeEach, afterEach);
}

/** The same as `tempDirPerTest`, but one directory shared by the tests of a file or describe. */
export function tempDirPerFile(prefix: string): TempDir {
  return tempDirBetween(prefix, beforeAll, afterAll);
}

function tempDirBetween(
  prefix: string,
  before: (hook: () => Promise<void>) => void,
  after: (hook: () => Promise<void>) => void,
): TempDir {
  let made: string | undefined;
  before(async () => {
    made = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    if (made) await rm(made, { recursive: true, force: true });
    made = undefined;
  });
  return {
    get path() {
      if (made === undefined)
        throw new Error(`the temporary directory ${prefix}… does not exist now`);
      return made;
    },
  };
}
