# One image for the worker and the API; temporal-docker-compose.yml picks the command:
#   node --max-old-space-size=384 --import tsx worker.ts   |   npx tsx api/main.ts (the default)
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./

# The processes run the TypeScript sources with tsx, which is a devDependency, so `npm ci --omit=dev`
# would give an image that cannot start. Compiling to JavaScript instead is not possible as the code
# stands (tsconfig has noEmit, and imports have no file extensions, which Node's ESM loader needs).
# So install the whole lockfile; --include=dev keeps that true even if NODE_ENV=production is set at
# build time. The cost is the dev tools in the image (vitest, eslint, typescript). Moving tsx to
# "dependencies" would allow `npm ci --omit=dev` and a smaller image.
RUN npm ci --include=dev --no-audit --no-fund && npm cache clean --force

# Owned by root, so the application user cannot modify its own code.
COPY . .

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# The unprivileged user of the node images.
USER node

EXPOSE 3000
CMD ["npx", "tsx", "api/main.ts"]
