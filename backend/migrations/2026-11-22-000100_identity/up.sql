-- Identity and access: organisations (tenants), units, users, sessions, API clients,
-- throttling, and the audit log's first events (authentication and administration).
--
-- Tenancy: every tenant table carries organisation_id and a row-level security policy
-- that reads the transaction-local setting polku.organisation_id. FORCE makes the policy
-- hold for the owner too; polku_app has no BYPASSRLS.

CREATE FUNCTION polku_current_organisation() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('polku.organisation_id', true), '')::uuid
$$;

CREATE TABLE organisations (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    require_mfa boolean NOT NULL DEFAULT false,
    access_token_ttl_secs integer NOT NULL DEFAULT 900 CHECK (access_token_ttl_secs BETWEEN 60 AND 900),
    session_idle_timeout_secs integer NOT NULL DEFAULT 28800
        CHECK (session_idle_timeout_secs BETWEEN 300 AND 86400),
    session_max_lifetime_secs integer NOT NULL DEFAULT 43200
        CHECK (session_max_lifetime_secs BETWEEN 3600 AND 604800),
    lockout_threshold integer NOT NULL DEFAULT 5 CHECK (lockout_threshold BETWEEN 3 AND 50),
    lockout_duration_secs integer NOT NULL DEFAULT 900 CHECK (lockout_duration_secs BETWEEN 60 AND 86400),
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);

CREATE TABLE units (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    closed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id)
);
CREATE UNIQUE INDEX units_open_name ON units (organisation_id, lower(name)) WHERE closed_at IS NULL;

CREATE TABLE users (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
    language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    roles text[] NOT NULL DEFAULT '{}'
        CHECK (roles <@ ARRAY['admin', 'coach', 'manager', 'dpo', 'sensitive']::text[])
        CHECK (array_position(roles, NULL) IS NULL),
    password_hash text,
    password_changed_at timestamptz,
    mfa_secret bytea,
    mfa_enabled_at timestamptz,
    mfa_last_step bigint,
    deactivated_at timestamptz,
    deactivated_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id)
);
-- A login name belongs to one active account; deactivation releases it.
CREATE UNIQUE INDEX users_active_email ON users (email) WHERE deactivated_at IS NULL;

CREATE TABLE user_units (
    organisation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    PRIMARY KEY (user_id, unit_id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);

-- Which organisation a login name (a user's email or an API client's id) belongs to, so
-- that login can set the tenant before it reads anything. No personal data beyond the
-- login name itself; readable by the runtime role without a tenant.
CREATE TABLE login_directory (
    login text PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    user_id uuid,
    api_client_id uuid,
    CHECK ((user_id IS NULL) <> (api_client_id IS NULL))
);

CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_refreshed_at timestamptz NOT NULL DEFAULT now(),
    idle_expires_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_reason text,
    source_address text,
    user_agent text,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens rotate: each use spends the token and issues the next. Presenting a
-- spent one means it was stolen (or replayed) and revokes the whole session.
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    organisation_id uuid NOT NULL,
    session_id uuid NOT NULL REFERENCES sessions (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    spent_at timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- One-time tokens: invitation (first password) and password reset by an admin.
CREATE TABLE password_tokens (
    token_hash bytea PRIMARY KEY,
    organisation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);

CREATE TABLE recovery_codes (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    code_hash bytea NOT NULL,
    used_at timestamptz,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id) WHERE used_at IS NULL;

CREATE TABLE api_clients (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    client_id text NOT NULL UNIQUE,
    secret_hash text NOT NULL,
    scopes text[] NOT NULL CHECK (array_position(scopes, NULL) IS NULL),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    secret_rotated_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

-- Failed-login counters per account and per source address (global: an unknown login
-- name is throttled exactly like a known one).
CREATE TABLE login_throttle (
    key text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0,
    window_started_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
);

-- The audit log. This migration starts it with authentication and administration
-- events; the access-log issue extends it (client data, hash chain, partitions).
CREATE TABLE audit_events (
    id uuid PRIMARY KEY,
    organisation_id uuid,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    category text NOT NULL CHECK (category IN ('auth', 'admin')),
    action text NOT NULL,
    actor_user_id uuid,
    actor_api_client_id uuid,
    subject_user_id uuid,
    subject_id uuid,
    details jsonb NOT NULL DEFAULT '{}',
    request_id text,
    source_address text,
    user_agent text
);
CREATE INDEX audit_events_org_time ON audit_events (organisation_id, occurred_at);

CREATE FUNCTION polku_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION polku_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION polku_refuse_change();

-- Row-level security on every tenant table.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['units', 'users', 'user_units', 'sessions', 'refresh_tokens',
                             'password_tokens', 'recovery_codes', 'api_clients', 'audit_events']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant ON %I USING (organisation_id = polku_current_organisation())', t);
    END LOOP;
END $$;
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON organisations USING (id = polku_current_organisation());
-- Failed logins of unknown names have no organisation; they are written without one.
CREATE POLICY anonymous_auth_insert ON audit_events FOR INSERT
    WITH CHECK (organisation_id IS NULL AND category = 'auth');

CREATE TRIGGER organisations_touch BEFORE UPDATE ON organisations
    FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
CREATE TRIGGER units_touch BEFORE UPDATE ON units
    FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
CREATE TRIGGER users_touch BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();

-- What the runtime role may do: nothing it does not need.
GRANT SELECT, INSERT, UPDATE ON organisations, units, users, sessions, api_clients TO polku_app;
GRANT SELECT, INSERT, DELETE ON user_units TO polku_app;
GRANT SELECT, INSERT, UPDATE ON refresh_tokens, password_tokens, recovery_codes TO polku_app;
GRANT DELETE ON recovery_codes TO polku_app;
GRANT SELECT, INSERT, DELETE ON login_directory TO polku_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO polku_app;
GRANT SELECT, INSERT ON audit_events TO polku_app;
