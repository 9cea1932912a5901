import { describe, expect, it } from 'vitest';
import { RULES_ERROR_CODES, s } from '../src/index.ts';

describe('schema', () => {
  const Shape = s.object({ n: s.integer({ min: 1 }).default(3), list: s.array(s.string()).default(['a']), pair: s.nullable(s.tuple([s.string(), s.integer()])).default(null) });

  it('when input is missing, then defaults fill it and are not shared between parses', () => {
    const a = Shape.parse({});
    const b = Shape.parse({});
    expect(a).toEqual({ n: 3, list: ['a'], pair: null });
    a.list.push('changed');
    expect(b.list).toEqual(['a']);
    expect(Shape.parse({}).list).toEqual(['a']);
  });

  it('when input has the wrong types, then every issue is reported with its path', () => {
    expect(Shape.safeParse({ n: 0, list: [1], pair: ['x', 'y'] })).toEqual({
      success: false,
      issues: [
        { path: ['n'], message: 'must be ≥ 1, got 0' },
        { path: ['list', 0], message: 'expected string, got number' },
        { path: ['pair', 1], message: 'expected integer, got string y' },
      ],
    });
  });

  it('when parse fails, then it throws PW_ERR_RULES_INVALID_DATA', () => {
    expect(() => Shape.parse([])).toThrow(expect.objectContaining({ code: RULES_ERROR_CODES.invalidData }));
  });

  it('when a key is inherited from Object.prototype, then it is not read as input', () => {
    expect(Shape.parse(Object.create({ n: 99 }))).toMatchObject({ n: 3 });
  });
});
