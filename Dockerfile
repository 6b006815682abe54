# One image for every app of the fleet; the container's command picks the app:
#   docker run freemarket node dist/apps/gateway/src/main.js
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/package.json ./package.json
# The image's unprivileged user (uid 1000), as k8s runAsUser expects.
USER node
EXPOSE 8000 8001 8002
CMD ["node", "--enable-source-maps", "dist/apps/gateway/src/main.js"]
