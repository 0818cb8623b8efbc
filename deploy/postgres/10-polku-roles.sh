#!/usr/bin/env bash
# Creates Polku's database roles on first start of the postgres container.
# The same statements set up any external PostgreSQL (see README, "Database roles").
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$POLKU_OWNER_PASSWORD" -v app_password="$POLKU_APP_PASSWORD" <<'SQL'
CREATE ROLE polku_owner LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE ROLE polku_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
CREATE ROLE polku_directory NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
GRANT polku_directory TO polku_owner;
CREATE ROLE polku_sealer NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
GRANT polku_sealer TO polku_owner;
ALTER DATABASE polku OWNER TO polku_owner;
REVOKE ALL ON DATABASE polku FROM PUBLIC;
GRANT CONNECT ON DATABASE polku TO polku_app;
SQL
