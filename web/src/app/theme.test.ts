import { DEFAULT_THEME, type MantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrast, darken } from './contrast';
import { cssVariablesResolver, theme } from './theme';

const resolved = cssVariablesResolver({ ...DEFAULT_THEME, ...theme } as MantineTheme).light;

describe('the light theme', () => {
  it.each(Object.entries(DEFAULT_THEME.colors))('reads at 4.5:1 in %s, light and filled', (name, shades) => {
    const deep = resolved[`--mantine-color-${name}-filled`];
    if (deep === undefined) throw new Error(`the theme has no filled colour for ${name}`);
    expect(resolved[`--mantine-color-${name}-light-color`]).toBe(deep);
    expect(contrast(deep, shades[0])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(deep, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the usual depth where it already reads', () => {
    expect(resolved['--mantine-color-teal-filled']).toBe(darken(DEFAULT_THEME.colors.teal[9], 0.8));
  });
});

describe('contrast', () => {
  it('is 21 for black on white and 1 for a colour on itself', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#b85f00', '#b85f00')).toBe(1);
  });

  it('measures what axe measured for amber on its light background', () => {
    expect(contrast('#b85f00', '#fff9db')).toBeCloseTo(4.24, 2);
  });
});
