# One image for every Driftline process; SERVICE (build arg) or the compose `command` picks which.
FROM node:20-bookworm-slim

WORKDIR /app
ENV CI=true \
    npm_config_update_notifier=false \
    npm_config_fund=false

# Dependencies first so source edits reuse this layer (cli/ is an npm workspace).
COPY package.json package-lock.json .npmrc ./
COPY cli/package.json cli/package.json
# The lock was made where the registry serves only linux-x64 builds of optional native packages
# (@swc/core, ...); an npm that then rejects it in `npm ci` installs from it with `npm install`.
RUN npm ci || npm install --no-audit --no-fund

COPY . .
RUN npm run build && npm prune --omit=dev && npm cache clean --force

# Declared after the build so the four service images share every layer above.
ARG SERVICE=api
ENV NODE_ENV=production \
    DRIFTLINE_SERVICE=${SERVICE}

USER node
# --no-memory-reducer: see infra/node/service-node-flags.ts
CMD ["sh", "-c", "exec node --no-memory-reducer dist/services/${DRIFTLINE_SERVICE}/src/main.js"]
