# Polku: multi-stage build. The final image holds the `polku` binary and the built SPA.

FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY openapi/ /src/openapi/
COPY frontend/ ./
RUN npm run build

FROM rust:1.95-bookworm AS backend
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml clippy.toml ./
COPY backend/ backend/
COPY tests/ tests/
RUN cargo build --release --locked --bin polku

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/polku --create-home --uid 10001 polku
COPY --from=backend /src/target/release/polku /usr/local/bin/polku
COPY --from=frontend /src/frontend/dist /usr/share/polku/frontend
ENV POLKU_LISTEN=0.0.0.0:8080 \
    POLKU_DATA_DIR=/var/lib/polku \
    POLKU_FRONTEND_DIR=/usr/share/polku/frontend \
    POLKU_LOG_FORMAT=json
USER polku
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["polku"]
CMD ["serve"]
