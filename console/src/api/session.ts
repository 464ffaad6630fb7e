// The signed-in session. The access token lives in memory only (a reload forgets it); the
// refresh token is the accounts service's HttpOnly, SameSite=Strict `mpp_refresh` cookie
// (Path=/v1/sessions), which no script can read: a reload restores the session by
// `POST /v1/sessions/refresh {}` with that cookie, and `DELETE /v1/sessions/current {}` logs out
// with it. The refresh token the JSON answers still carry is ignored: kept nowhere, so an
// injected script cannot take it away to use elsewhere.
import createClient from "openapi-fetch";
import type { paths as AccountsPaths } from "./generated/accounts";
import { API_BASE_URL, CREDENTIALS, lateFetch } from "./base";
import type { Account, NextStep, SessionRead } from "./types";

export type SessionState =
  | { status: "unknown" }
  | { status: "anonymous" }
  | { status: "signed_in"; account: Account; nextStep: NextStep };

let accessToken: string | null = null;
let state: SessionState = { status: "unknown" };
const listeners = new Set<() => void>();

// Its own client without the auth middleware (which calls refresh() itself).
const sessions = createClient<AccountsPaths>({ baseUrl: API_BASE_URL, credentials: CREDENTIALS, fetch: lateFetch });

function publish(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getSession(): SessionState {
  return state;
}

export function currentAccessToken(): string | null {
  return accessToken;
}

/** After signup, login or refresh: the tokens and who is signed in. */
export function startSession(session: SessionRead): void {
  accessToken = session.tokens.access_token;
  publish({ status: "signed_in", account: session.account, nextStep: session.next_step });
}

/** The server's newer word on what the user should do next (e.g. from /v1/accounts/me). */
export function updateNextStep(nextStep: NextStep): void {
  if (state.status === "signed_in" && state.nextStep !== nextStep) {
    publish({ ...state, nextStep });
  }
}

/** The server's newer word on the account (e.g. its email now verified, two-factor on). */
export function updateAccount(account: Account, nextStep?: NextStep): void {
  if (state.status === "signed_in") {
    publish({ ...state, account, nextStep: nextStep ?? state.nextStep });
  }
}

export function endSession(): void {
  accessToken = null;
  publish({ status: "anonymous" });
}

let inFlight: Promise<boolean> | null = null;

async function exchange(): Promise<boolean> {
  try {
    const { data } = await sessions.POST("/v1/sessions/refresh", { body: {} });
    if (data) {
      startSession(data);
      return true;
    }
  } catch {
    // A network failure: keep what we have, the caller shows its own error.
    return accessToken !== null;
  }
  endSession();
  return false;
}

/**
 * Swap the refresh token for new tokens, once however many requests ask at the same time.
 * Refresh tokens rotate and a replayed one revokes the whole session, so tabs refresh one at a
 * time (Web Locks): the next tab then sends the cookie the previous one received.
 */
export function refresh(): Promise<boolean> {
  if (!inFlight) {
    const locked: Promise<boolean> =
      typeof navigator !== "undefined" && navigator.locks
        ? navigator.locks.request("mpp-session-refresh", () => exchange()).then((ok) => ok)
        : exchange();
    inFlight = locked.finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}

/** On page load: is there a session to restore (the refresh cookie)? */
export async function restoreSession(): Promise<void> {
  if (state.status !== "unknown") return;
  await refresh();
}

export async function logOut(): Promise<void> {
  try {
    await sessions.DELETE("/v1/sessions/current", { body: {} });
  } catch {
    // Logged out here in any case; the refresh session expires on its own.
  }
  endSession();
}
