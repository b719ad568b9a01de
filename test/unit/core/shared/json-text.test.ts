import { describe, expect, it } from 'vitest';
import { parseHostRegistry } from '../../../../adapters/aws/host-registry.ts';
import { ManifestError, parseManifest } from '../../../../agent/protocol/manifest.ts';
import { parseJsonOr } from '../../../../core/shared/json-text.ts';

describe('parseJsonOr', () => {
  it('answers the value of JSON text', () => {
    expect(parseJsonOr('{"a":[1,"b",null]}', () => new Error('unused'))).toEqual({
      a: [1, 'b', null],
    });
  });

  it("throws the caller's error, made of the parser's reason, for text that is not JSON", () => {
    expect(() => parseJsonOr('{"a":', (reason) => new RangeError(`bad: ${reason}`))).toThrow(
      expect.objectContaining({ name: 'RangeError', message: expect.stringMatching(/^bad: .+/) }),
    );
  });

  it('refuses a manifest that is not JSON with a ManifestError', () => {
    expect(() => parseManifest('{"format":')).toThrow(ManifestError);
  });

  it('refuses a host registry that is not JSON without quoting it', () => {
    // V8's reason for an unexpected token quotes the text around it.
    const text = '{"hosts": [{"id": "fra1-a", "secret": s3cr3t-value}]}';

    expect(() => parseHostRegistry(text)).toThrow('the host registry is not JSON');
    expect(() => parseHostRegistry(text)).not.toThrow(/s3cr3t/);
  });
});
