# syntax=docker/dockerfile:1
# The console (console/, TypeScript + React + Vite): its static build, served by unprivileged
# nginx on port 8080. Any path that names no file answers index.html: the console routes in
# the browser. The API is not here: a gateway in front (compose's, the Ingress) sends the API
# prefixes to the services and everything else to this.
#   docker build -f deploy/console.Dockerfile -t mpp/console:local .
FROM node:22-alpine AS build
WORKDIR /console
COPY console/ ./
# A node_modules or dist from the host (the build context has no .dockerignore) is dropped:
# npm ci installs exactly the lock file, for this image's platform.
RUN --mount=type=cache,target=/root/.npm \
    rm -rf node_modules dist && npm ci && npm run build

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
COPY --from=build /console/dist /usr/share/nginx/html
# The image's user (uid 101, nginx); numeric, so Kubernetes can check runAsNonRoot.
USER 101
EXPOSE 8080
