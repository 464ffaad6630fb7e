// The one-origin prefix table (deploy/local/gateway.py ROUTES, tested equal): which service answers which path prefix (no
// rewriting). `npm run dev` proxies with it; make dev, compose and the Ingress use the same table.
export const SERVICE_PORT_OFFSET = {
  accounts: 0,
  workspaces: 1,
  miniprograms: 2,
  notifier: 3,
} as const;

export type Service = keyof typeof SERVICE_PORT_OFFSET;

export const GATEWAY_ROUTES: ReadonlyArray<readonly [prefix: string, service: Service]> = [
  ["/v1/accounts", "accounts"],
  ["/v1/sessions", "accounts"],
  ["/.well-known/", "accounts"],
  ["/v1/email-verifications", "accounts"],
  ["/v1/password-resets", "accounts"],
  ["/v1/workspace-applications", "workspaces"],
  ["/v1/workspaces", "workspaces"],
  ["/v1/review", "workspaces"],
  ["/v1/invitations", "workspaces"],
  ["/v1/activity", "workspaces"],
  ["/v1/mini-programs", "miniprograms"],
  ["/v1/industries", "miniprograms"],
  ["/v1/notifications", "notifier"],
  ["/v1/webhooks", "notifier"],
];
