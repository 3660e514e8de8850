/**
 * Brand colours become CSS variables. Text on the primary colour is black or white, whichever
 * contrasts more (WCAG relative luminance), so any brand colour stays readable.
 */
const hex = /^#[0-9a-fA-F]{6}$/;

export function themeCss(colors: Record<string, string> | null): string {
  const primary = pick(colors?.primary, '#1f3a93');
  const accent = pick(colors?.accent ?? colors?.secondary, primary);
  return `:root{--brand-primary:${primary};--brand-on-primary:${onColor(primary)};--brand-accent:${accent}}`;
}

function pick(value: string | undefined, fallback: string): string {
  return value && hex.test(value) ? value : fallback;
}

function luminance(color: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  ) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** #000000 or #ffffff, whichever has the higher contrast ratio against `color`. */
export function onColor(color: string): string {
  const l = luminance(color);
  const withWhite = 1.05 / (l + 0.05);
  const withBlack = (l + 0.05) / 0.05;
  return withWhite >= withBlack ? '#ffffff' : '#000000';
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
