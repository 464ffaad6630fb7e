# syntax=docker/dockerfile:1
# The console (console/, TypeScript + React + Vite): its static build, served by unprivileged
# nginx on port 8080. Any path that names no file answers index.html: the console routes in
# the browser. The API is not here: a gateway in front (compose's, the Ingress) sends the API
# prefixes to the services and everything else to this.
#   docker build -f deploy/console.Dockerfile -t mpp/console:local .
FROM node:22-bookworm-slim AS node

# `npm run build` first dumps each service's OpenAPI document from its pydantic models
# (console/scripts/dump-openapi.py, with ../.venv/bin/python), then type-checks the console
# against the types generated from them: the build needs the services' Python code as well.
FROM python:3.13-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
ENV UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY shared shared
COPY services services
RUN uv sync --locked --no-dev --all-packages
# The console's type check (tsc -b) covers its tests, which read this table shared with the
# server's tests.
COPY tests/fixtures tests/fixtures
COPY console console
WORKDIR /app/console
# A node_modules, dist or generated types from the host (should .dockerignore not keep them
# out) are dropped: npm ci installs exactly the lock file, for this platform.
RUN --mount=type=cache,target=/root/.npm \
    rm -rf node_modules dist src/api/generated && npm ci && npm run build

FROM nginxinc/nginx-unprivileged:1.28-alpine
COPY <<'EOF' /etc/nginx/conf.d/default.conf
server {
    listen 8080;
    server_name _;
    root /usr/share/nginx/html;
    server_tokens off;

    location / {
        try_files $uri /index.html;
        # index.html names the current assets: always revalidated.
        add_header Cache-Control "no-cache" always;
        add_header X-Content-Type-Options "nosniff" always;
    }
    # Vite names what it builds into assets/ by content: a name never changes its content.
    location /assets/ {
        try_files $uri /index.html;
        add_header Cache-Control "public, max-age=31536000, immutable" always;
        add_header X-Content-Type-Options "nosniff" always;
    }
}
EOF
COPY --from=build /app/console/dist /usr/share/nginx/html
# The image's user (uid 101, nginx); numeric, so Kubernetes can check runAsNonRoot.
USER 101
EXPOSE 8080
