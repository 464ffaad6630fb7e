// Where the APIs are. By default on this origin (relative URLs): the gateway, and Vite's proxy
// in `npm run dev`, route /v1/... by prefix to the right service (DESIGN §8), so the refresh
// cookie is same-origin and no CORS is involved. VITE_API_BASE_URL (at build time) points a
// console served elsewhere at a gateway on another origin (the services' CORS then applies).
export const API_BASE_URL: string = import.meta.env.VITE_API_BASE_URL ?? "";

export const CREDENTIALS: RequestCredentials = API_BASE_URL ? "include" : "same-origin";

/** The global fetch looked up at each call (not captured once), so tests can replace it. */
export const lateFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
