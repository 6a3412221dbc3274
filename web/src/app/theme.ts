import { createTheme, type CSSVariablesResolver } from '@mantine/core';
import { readableOn } from './contrast';

/**
 * Teal 9 in light mode: white text on teal 7 (Mantine's usual shade) is only 3:1 and
 * fails WCAG AA; teal 9 is 5:1. Dark mode keeps teal 5 (dark text on it is fine).
 */
export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: { light: 9, dark: 5 },
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
});

/**
 * Contrast of at least 4.5:1 in light mode (WCAG AA), which Mantine's palette misses for
 * small text: secondary ("dimmed") text is gray 7; light variants (alerts, light buttons and
 * badges) put shade 9, darkened until it reads on both, on shade 0; filled ones put white
 * on that same colour.
 * Dark mode keeps Mantine's colours, with dimmed text light enough on dark.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    ...Object.fromEntries(
      Object.entries(t.colors).flatMap(([name, shades]) => {
        const deep = readableOn(shades[9], [shades[0], '#ffffff']);
        return [
          [`--mantine-color-${name}-light-color`, deep],
          [`--mantine-color-${name}-light`, shades[0]],
          [`--mantine-color-${name}-filled`, deep],
        ];
      }),
    ),
  },
  dark: { '--mantine-color-dimmed': t.colors.dark[1] },
});
