/** WCAG 2 contrast between sRGB colours written as `#rrggbb`. */

type Rgb = readonly [number, number, number];

function parse(hex: string): Rgb {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function format(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const [r, g, b] = parse(hex);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The contrast ratio of two colours, from 1 (none) to 21 (black on white). */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** `hex` with `share` of it kept and the rest black, as CSS `color-mix(in srgb, …)` does. */
export function darken(hex: string, share: number): string {
  const [r, g, b] = parse(hex);
  return format([r * share, g * share, b * share]);
}

/**
 * The lightest darkening of `hex`, from 80 % of it down in 5 % steps, that reads at
 * `ratio` or better on every one of `backgrounds`.
 */
export function readableOn(hex: string, backgrounds: readonly string[], ratio = 4.5): string {
  for (let share = 0.8; share > 0; share -= 0.05) {
    const candidate = darken(hex, share);
    if (backgrounds.every((background) => contrast(candidate, background) >= ratio)) return candidate;
  }
  return '#000000';
}
