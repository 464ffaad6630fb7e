// The auth middleware: the bearer token from memory, and on a 401 one refresh then one retry.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { call, workspaces, accounts } from "./client";
import { endSession, getSession, startSession } from "./session";
import type { SessionRead } from "./types";

function session(access: string, refresh: string): SessionRead {
  return {
    account: {
      id: "acc-1",
      email: "ada@example.com",
      full_name: "Ada",
      roles: ["merchant"],
      created_at: "2026-11-20T08:00:00Z",
      terms_version: "2026-11-01",
      terms_accepted_at: "2026-11-20T08:00:00Z",
      email_verified: false,
      two_factor_enabled: false,
      roles_awaiting_two_factor: [],
    },
    tokens: { access_token: access, refresh_token: refresh, token_type: "Bearer", expires_in: 900 },
    next_step: "apply_workspace",
    session_id: "ses-1",
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": status < 400 ? "application/json" : "application/problem+json" } });
const unauthorized = () => json(401, { type: "https://errors.mpp.example/unauthorized", title: "Unauthorized", status: 401, detail: "The access token has expired" });

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
  credentials: RequestCredentials;
}

let seen: Seen[];
let respond: (request: Request, body: string) => Response;

beforeEach(() => {
  seen = [];
  vi.stubGlobal("fetch", async (input: Request) => {
    const body = await input.clone().text();
    seen.push({
      method: input.method,
      path: new URL(input.url).pathname,
      authorization: input.headers.get("Authorization"),
      body,
      credentials: input.credentials,
    });
    return respond(input, body);
  });
  startSession(session("old-access", "refresh-1"));
});

afterEach(() => {
  vi.unstubAllGlobals();
  endSession();
});

describe("auth middleware", () => {
  it("sends the in-memory access token as a bearer token", async () => {
    respond = () => json(200, { items: [] });
    await call(workspaces.GET("/v1/workspaces"));
    expect(seen[0]?.authorization).toBe("Bearer old-access");
  });

  it("on a 401 refreshes once and retries the request with the new token", async () => {
    respond = (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/v1/sessions/refresh") return json(200, session("new-access", "refresh-2"));
      return request.headers.get("Authorization") === "Bearer new-access" ? json(200, { items: [] }) : unauthorized();
    };
    const result = await call(workspaces.GET("/v1/workspaces"));
    expect(result.ok).toBe(true);
    expect(seen.map((s) => `${s.method} ${s.path} ${s.authorization ?? "-"}`)).toEqual([
      "GET /v1/workspaces Bearer old-access",
      "POST /v1/sessions/refresh -",
      "GET /v1/workspaces Bearer new-access",
    ]);
  });

  it("refreshes with the cookie alone: credentials included, no refresh token in the body", async () => {
    respond = (request) =>
      new URL(request.url).pathname === "/v1/sessions/refresh" ? json(200, session("new-access", "refresh-2")) : request.headers.get("Authorization") === "Bearer new-access" ? json(200, { items: [] }) : unauthorized();
    await call(workspaces.GET("/v1/workspaces"));
    const refresh = seen.find((s) => s.path === "/v1/sessions/refresh");
    expect(refresh?.credentials).toBe("include"); // a cross-origin base in the tests; same-origin in the app
    expect(JSON.parse(refresh?.body ?? "null")).toEqual({});
  });

  it("refreshes once for many requests that fail together", async () => {
    respond = (request) => {
      if (new URL(request.url).pathname === "/v1/sessions/refresh") return json(200, session("new-access", "refresh-2"));
      return request.headers.get("Authorization") === "Bearer new-access" ? json(200, { items: [] }) : unauthorized();
    };
    const results = await Promise.all([call(workspaces.GET("/v1/workspaces")), call(workspaces.GET("/v1/workspace-applications"))]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(seen.filter((s) => s.path === "/v1/sessions/refresh")).toHaveLength(1);
  });

  it("retries a request with a body with the same body", async () => {
    respond = (request, body) => {
      if (new URL(request.url).pathname === "/v1/sessions/refresh") return json(200, session("new-access", "refresh-2"));
      if (request.headers.get("Authorization") !== "Bearer new-access") return unauthorized();
      return json(201, { echoed: JSON.parse(body) });
    };
    await call(workspaces.POST("/v1/workspaces/{id}/members", { params: { path: { id: "w1" } }, body: { email: "bo@example.com", role: "developer" } }));
    const retried = seen.at(-1);
    expect(JSON.parse(retried?.body ?? "{}")).toEqual({ email: "bo@example.com", role: "developer" });
  });

  it("ends the session when the refresh is refused, and the 401 stands", async () => {
    respond = () => unauthorized();
    const result = await call(workspaces.GET("/v1/workspaces"));
    expect(result.ok).toBe(false);
    expect(getSession().status).toBe("anonymous");
    expect(seen).toHaveLength(2);
  });

  it("does not refresh when a login itself is refused", async () => {
    respond = () => json(401, { type: "https://errors.mpp.example/invalid-credentials", title: "Invalid credentials", status: 401, detail: "Invalid email or password" });
    const result = await call(accounts.POST("/v1/sessions", { body: { email: "ada@example.com", password: "wrong password" } }));
    expect(result.ok ? null : result.problem.detail).toBe("Invalid email or password");
    expect(seen).toHaveLength(1);
  });

  it("refreshes a 401 of the sessions list (an ordinary call), not of the second login step", async () => {
    respond = (request) => {
      if (new URL(request.url).pathname === "/v1/sessions/refresh") return json(200, session("new-access", "refresh-2"));
      return request.headers.get("Authorization") === "Bearer new-access" ? json(200, { items: [] }) : unauthorized();
    };
    const listed = await call(accounts.GET("/v1/sessions"));
    expect(listed.ok).toBe(true);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(["GET /v1/sessions", "POST /v1/sessions/refresh", "GET /v1/sessions"]);

    seen.length = 0;
    respond = () => json(401, { type: "https://errors.mpp.example/mfa-token-invalid", title: "Invalid MFA token", status: 401 });
    const second = await call(accounts.POST("/v1/sessions/mfa", { body: { mfa_token: "t", code: "123456" } }));
    expect(second.ok).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it("turns a network failure into a problem instead of throwing", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("fetch failed");
    });
    const result = await call(workspaces.GET("/v1/workspaces"));
    expect(result.ok ? null : result.problem.status).toBe(0);
  });
});
