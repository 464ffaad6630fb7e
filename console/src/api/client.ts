// One openapi-fetch client per service, all on one origin (api/base.ts), typed by the
// generated paths of that service: a request or response that leaves the contract fails tsc.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths as AccountsPaths } from "./generated/accounts";
import type { paths as MiniProgramsPaths } from "./generated/miniprograms";
import type { paths as NotifierPaths } from "./generated/notifier";
import type { paths as WorkspacesPaths } from "./generated/workspaces";
import { API_BASE_URL, CREDENTIALS, lateFetch } from "./base";
import { networkProblem, toProblem } from "./problem";
import { currentAccessToken, refresh } from "./session";
import type { Problem } from "./types";

interface Sent {
  retry: Request;
  hadToken: boolean;
}

const sent = new WeakMap<Request, Sent>();

/** Whether a 401 answers the credentials sent (login, its second step, refresh, logout), not an
 * expired access token: no refresh then. Listing and ending sessions are ordinary calls. */
export function isSignIn(method: string, schemaPath: string): boolean {
  if (schemaPath === "/v1/sessions") return method === "POST";
  return ["/v1/sessions/refresh", "/v1/sessions/current", "/v1/sessions/mfa"].includes(schemaPath);
}

/** Adds the bearer token; on a 401 to a request that carried one, refreshes once and retries. */
export const authMiddleware: Middleware = {
  onRequest({ request }) {
    const token = currentAccessToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    // The body can be read once: keep a copy for the retry.
    sent.set(request, { retry: request.clone(), hadToken: token !== null });
    return request;
  },
  async onResponse({ request, response, schemaPath, options }) {
    if (response.status !== 401 || isSignIn(request.method, schemaPath)) return undefined;
    const original = sent.get(request);
    if (!original?.hadToken) return undefined;
    if (!(await refresh())) return undefined; // the session is over: the 401 stands
    const token = currentAccessToken();
    if (token) original.retry.headers.set("Authorization", `Bearer ${token}`);
    return options.fetch(original.retry);
  },
};

function serviceClient<Paths extends {}>(): Client<Paths> {
  const client = createClient<Paths>({ baseUrl: API_BASE_URL, credentials: CREDENTIALS, fetch: lateFetch });
  client.use(authMiddleware);
  return client;
}

export const accounts = serviceClient<AccountsPaths>();
export const workspaces = serviceClient<WorkspacesPaths>();
export const miniprograms = serviceClient<MiniProgramsPaths>();
export const notifier = serviceClient<NotifierPaths>();

export type Result<T> =
  | { ok: true; data: T; response: Response }
  | { ok: false; problem: Problem; response?: Response };

/** A call's outcome as data or a problem (a network failure included), never a throw. */
export async function call<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Result<T>> {
  try {
    const { data, error, response } = await pending;
    if (response.ok) return { ok: true, data: data as T, response };
    return { ok: false, problem: toProblem(error, response), response };
  } catch (cause) {
    return { ok: false, problem: networkProblem(cause) };
  }
}
