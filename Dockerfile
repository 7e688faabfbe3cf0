# The app as one container: compiled JavaScript (npm run build) on Node 20, production dependencies only, run by an
# unprivileged user. Configuration comes from the environment (README → "Running it for real"); set DATABASE_URL
# to share one PostgreSQL between replicas (README → "Running several instances").

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-assets.mjs scripts/build-assets.mjs
COPY src src
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
# SQLite (when DATABASE_URL is unset) writes to DATABASE_PATH=./data/app.db: a volume at /app/data keeps it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# package.json's "start" without its "prestart" build (already done above): node dist/src/main.js
CMD ["node", "dist/src/main.js"]
