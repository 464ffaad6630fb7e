// The default workspace logo (workspaces/domain.py `default_logo_svg`): the company name's first
// character, uppercase for Latin letters, white on a solid colour from the same palette.

export const LOGO_COLORS = [
  "#1677FF",
  "#0E7C86",
  "#2F54EB",
  "#722ED1",
  "#C41D7F",
  "#D4380D",
  "#AD6800",
  "#389E0D",
  "#08979C",
  "#531DAB",
  "#CF1322",
  "#1D39C4",
] as const;

/** `logo_initial`: the first code point of the trimmed name, "?" when empty. */
export function logoInitial(name: string): string {
  const first = Array.from(name.trim())[0];
  if (first === undefined) return "?";
  return /\p{Script=Latin}/u.test(first) ? first.toUpperCase() : first;
}

/** The colour to preview: the one the server stored when it sends one, else a stable pick from
 * the palette (the application does not carry the colour yet: it is chosen at provisioning). */
export function defaultLogoColor(stored: string | null | undefined, seed: string): string {
  if (stored && /^#[0-9A-Fa-f]{6}$/.test(stored)) return stored;
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return LOGO_COLORS[hash % LOGO_COLORS.length]!;
}
