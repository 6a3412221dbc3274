/**
 * Text colours that keep WCAG AA contrast (4.5:1) on white, striped rows and the dark
 * scheme alike; the theme's `dimmed` grey and teal links fall below it on white.
 */
export const MUTED = 'light-dark(var(--mantine-color-gray-7), var(--mantine-color-dark-1))';
export const LINK = 'light-dark(var(--mantine-color-teal-9), var(--mantine-color-teal-3))';
export const ERROR = 'light-dark(var(--mantine-color-red-9), var(--mantine-color-red-4))';
