# Interchange: a production image (docs/operations.md "Container image").
# Build:  docker build -t interchange .
# Run:    docker run -e DATABASE_URL=postgres://… -e INTERCHANGE_SECRET_KEY=… -p 3000:3000 interchange

# --- build: compile TypeScript with the dev dependencies
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- production dependencies only
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# --- runtime: non-root, compiled code, migrations, production dependencies
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    INTERCHANGE_DATA_DIR=/var/lib/interchange \
    INTERCHANGE_LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
# The AdCP 3.1 request schemas the agents publish (src/agents/hosting/tool-schemas/spec-files.ts).
COPY schemas ./schemas
RUN mkdir -p /var/lib/interchange && chown node:node /var/lib/interchange
USER node
EXPOSE 3000
VOLUME ["/var/lib/interchange"]
# /ready answers 200 only while the database answers (no key needed, never rate-limited).
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains in-flight requests and jobs before exit (docs/operations.md).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/main.js"]
CMD ["serve"]
