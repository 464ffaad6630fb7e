import react from "@vitejs/plugin-react";
import type { ProxyOptions } from "vite";
import { defineConfig } from "vitest/config";
import { GATEWAY_ROUTES, SERVICE_PORT_OFFSET } from "./gateway-routes.ts";

// `npm run dev` serves the console and proxies the API prefixes to the services of `make dev`
// (ports 8001..8004, or from DEV_PORT_BASE like make dev), so the browser sees one origin, as
// behind the gateway in production: relative API URLs, a SameSite=Strict refresh cookie, no CORS.
const portBase = Number(process.env.DEV_PORT_BASE ?? 8001);
const apiHost = process.env.DEV_API_HOST ?? "127.0.0.1";

// A prefix matches itself and what lies below it, not a longer name (/v1/accountsx), as in the
// gateway (deploy/local/gateway.py `service_for`): keys starting with ^ are regular expressions.
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  GATEWAY_ROUTES.map(([prefix, service]) => [
    `^${escape(prefix.replace(/\/$/, ""))}(?=[/?]|$)`,
    { target: `http://${apiHost}:${portBase + SERVICE_PORT_OFFSET[service]}`, xfwd: true },
  ]),
);

export default defineConfig({
  plugins: [react()],
  server: { port: Number(process.env.CONSOLE_PORT ?? 5173), strictPort: true, proxy },
  preview: { proxy },
  build: { sourcemap: true },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
    // Node's fetch needs absolute URLs: the tests' API lives on a made-up origin.
    env: { VITE_API_BASE_URL: "http://console.test" },
  },
});
