# One image for every Nexo service; docker-compose.yml picks the service with `command`.
# Node 20 with Python, make and g++ (better-sqlite3 compiles from source on install).
FROM node:20-bookworm

WORKDIR /app
ENV CI=true \
    HOST=0.0.0.0 \
    NEXO_DATA_DIR=/app/data

# The workspace as a whole: pnpm's frozen lockfile install needs every package.json it names.
COPY . .
RUN npx -y pnpm@9.15.9 install --frozen-lockfile \
 && mkdir -p /app/data \
 && chown -R node:node /app/data

# Set after the install: with NODE_ENV=production pnpm would skip tsx, which runs the services.
ENV NODE_ENV=production
USER node
EXPOSE 8080
# Overridden per service in docker-compose.yml; by default the all-in-one hub.
CMD ["./node_modules/.bin/tsx", "services/hub/src/main.ts"]
