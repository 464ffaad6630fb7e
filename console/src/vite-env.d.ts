/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional: the gateway's origin when the console is not served by it (default: same origin). */
  readonly VITE_API_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
