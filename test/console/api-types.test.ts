// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { committedApiTypes, generateApiTypes } from '../../console/api-types.ts';

describe("the console's API types", () => {
  it('are what the current OpenAPI document generates (npm run console:api-types)', async () => {
    expect(committedApiTypes(), 'stale: run npm run console:api-types').toBe(
      await generateApiTypes(),
    );
  });
});
