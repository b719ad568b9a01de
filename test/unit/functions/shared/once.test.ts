import { describe, expect, it } from 'vitest';
import { lazily } from '../../../../functions/shared/once.ts';

describe('lazily', () => {
  it('builds each property on its first read only, and keeps it', () => {
    const built: string[] = [];
    const object = lazily<{ a: { name: string }; b: number }>({
      a: () => {
        built.push('a');
        return { name: 'a' };
      },
      b: () => {
        built.push('b');
        return 2;
      },
    });

    const first = object.a;
    const again = object.a;

    expect(built).toEqual(['a']);
    expect(again).toBe(first);
    expect(object.b).toBe(2);
    expect(built).toEqual(['a', 'b']);
    expect(Object.keys(object)).toEqual(['a', 'b']);
  });

  it('keeps a property that failed to build unbuilt, so the next read tries again', () => {
    let tries = 0;
    const object = lazily<{ a: number }>({
      a: () => {
        tries += 1;
        if (tries === 1) throw new Error('not yet');
        return 1;
      },
    });

    expect(() => object.a).toThrow('not yet');
    expect(object.a).toBe(1);
  });
});
