// A user agent as a person reads it: the browser and the system ("Chrome on Linux"), not the
// whole string (kept in the cell's title).

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/Edg\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/MicroMessenger\/(\d+)/, "WeChat"],
  [/Firefox\/(\d+)/, "Firefox"],
  [/(?:HeadlessChrome|Chrome|Chromium)\/(\d+)/, "Chrome"],
  [/Version\/(\d+).*Safari\//, "Safari"],
];

const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

export function describeUserAgent(userAgent: string): string {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent));
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent));
  if (!browser && !system) return userAgent.slice(0, 60);
  const version = browser ? userAgent.match(browser[0])?.[1] : undefined;
  const name = browser ? `${browser[1]}${version ? ` ${version}` : ""}` : "";
  return [name, system?.[1]].filter(Boolean).join(" · ");
}
