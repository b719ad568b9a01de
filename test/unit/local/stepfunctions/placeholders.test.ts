import { describe, expect, it } from 'vitest';
import { substitutePlaceholders } from '../../../../local/stepfunctions/placeholders.ts';

/** `${Key}` as ASL files spell it. */
function ph(key: string): string {
  return `\${${key}}`;
}

describe('substitutePlaceholders', () => {
  it('replaces every occurrence of every placeholder', () => {
    const asl = `{"A":"${ph('FnArn')}","B":"${ph('FnArn')}","C":"${ph('TableName')}"}`;

    const result = substitutePlaceholders(asl, { FnArn: 'arn:fn', TableName: 'table' });

    expect(result).toBe('{"A":"arn:fn","B":"arn:fn","C":"table"}');
  });

  it('throws naming each placeholder left unresolved', () => {
    const asl = `{"A":"${ph('FnArn')}","B":"${ph('Missing')}","C":"${ph('AlsoMissing')}","D":"${ph('Missing')}"}`;

    const substitute = () => substitutePlaceholders(asl, { FnArn: 'arn:fn' });

    expect(substitute).toThrow(
      `Unresolved ASL placeholders: ${ph('Missing')}, ${ph('AlsoMissing')}`,
    );
  });

  it('ignores keys inherited from the object prototype', () => {
    const substitute = () => substitutePlaceholders(`"${ph('toString')}"`, {});

    expect(substitute).toThrow(ph('toString'));
  });

  it('leaves JSONPath and intrinsic functions alone', () => {
    const asl = '{"x.$":"States.Format(\'{}-{}\', $.a, $$.Execution.Id)"}';

    expect(substitutePlaceholders(asl, {})).toBe(asl);
  });
});
