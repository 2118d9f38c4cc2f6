# syntax=docker/dockerfile:1
# Build stage: compile TypeScript to dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

# Runtime stage: production dependencies, compiled code, content and migrations; runs as the non-root node user.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PGLITE_DIR=/data/pglite
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY data ./data
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# V8 memory settings (bench/README.md, memory), the same as `npm run start:prod`: a 4 MB young-generation
# semi-space instead of 16 MB (~25 MB less resident; 2 MB saved 3-6 MB more but halved the click rate the bot
# held in the latency step-up) and an old generation that grows by 25% between full
# collections instead of up to 4x (~20-90 MB less after busy minutes, no measured latency cost). Node does not
# accept the second one in NODE_OPTIONS, so both are on the command line.
# The same image runs the other entry points with another command: dist/src/sharded.js (npm run start:sharded) and
# dist/src/rest-proxy.js (npm run rest-proxy, the REST proxy of docker-compose.yml's scale profile).
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=25", "dist/src/index.js"]
