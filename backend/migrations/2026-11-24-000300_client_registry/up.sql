-- Client registry: the fields of DESIGN §2, identity codes and bank accounts encrypted with
-- a keyed hash for exact lookup, background history, rectification history and name
-- search that forgives case, accents and typing errors.

-- These extensions are trusted: the owner role installs them without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- Folding for search: lower case without accents ('Mäkinen' -> 'makinen'). unaccent()
-- is only STABLE because its dictionary could change; naming the dictionary makes the
-- result fixed, which is what an index needs.
CREATE FUNCTION polku_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));

ALTER TABLE clients
    ADD UNIQUE (organisation_id, id),
    -- Identity code: ciphertext, keyed hash (HMAC-SHA256) and the visible part
    -- ('131052-'), which tells no more than the date of birth already does.
    ADD COLUMN identity_code_encrypted bytea,
    ADD COLUMN identity_code_hash bytea CHECK (octet_length(identity_code_hash) = 32),
    ADD COLUMN identity_code_prefix text CHECK (identity_code_prefix ~ '^[0-9]{6}[-+A-FU-Y]$'),
    ADD COLUMN identity_code_temporary boolean,
    ADD COLUMN birth_date date,
    ADD COLUMN gender text NOT NULL DEFAULT 'unknown'
        CHECK (gender IN ('male', 'female', 'other', 'unknown')),
    ADD COLUMN street_address text CHECK (length(street_address) <= 200),
    ADD COLUMN postal_code text CHECK (length(postal_code) <= 20),
    ADD COLUMN post_office text CHECK (length(post_office) <= 100),
    ADD COLUMN home_municipality text CHECK (length(home_municipality) <= 100),
    ADD COLUMN phone text CHECK (length(phone) <= 40),
    ADD COLUMN email text CHECK (length(email) <= 254),
    ADD COLUMN iban_encrypted bytea,
    ADD COLUMN iban_masked text CHECK (length(iban_masked) <= 50),
    ADD COLUMN mother_tongue text NOT NULL DEFAULT 'unknown'
        CHECK (mother_tongue = 'unknown' OR mother_tongue ~ '^[a-z]{2,3}$'),
    ADD COLUMN nationality text NOT NULL DEFAULT 'unknown'
        CHECK (nationality = 'unknown' OR nationality ~ '^[A-Z]{2}$'),
    ADD COLUMN profession text CHECK (length(profession) <= 200),
    -- Trade union membership is special-category data (GDPR art. 9): encrypted, shown
    -- only with the sensitive grant.
    ADD COLUMN trade_union_encrypted bytea,
    ADD COLUMN education_level text NOT NULL DEFAULT 'unknown'
        CHECK (education_level IN ('none', 'basic', 'upper_secondary', 'vocational',
                                   'higher', 'unknown')),
    ADD COLUMN referrer text NOT NULL DEFAULT 'unknown'
        CHECK (referrer IN ('employment_services', 'social_services', 'health_services',
                            'kela', 'education', 'self', 'other', 'unknown')),
    ADD COLUMN responsible_coach_id uuid,
    ADD COLUMN status text NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'closed', 'archived')),
    ADD COLUMN closed_on date,
    ADD COLUMN close_reason text CHECK (length(close_reason) <= 500),
    ADD COLUMN search_name text GENERATED ALWAYS AS
        (polku_fold(last_name || ' ' || first_names)) STORED,
    ADD CONSTRAINT clients_coach FOREIGN KEY (organisation_id, responsible_coach_id)
        REFERENCES users (organisation_id, id),
    ADD CONSTRAINT clients_identity_code_whole CHECK (
        (identity_code_encrypted IS NULL) = (identity_code_hash IS NULL)
        AND (identity_code_hash IS NULL) = (identity_code_prefix IS NULL)
        AND (identity_code_hash IS NULL) = (identity_code_temporary IS NULL)),
    ADD CONSTRAINT clients_iban_whole CHECK ((iban_encrypted IS NULL) = (iban_masked IS NULL)),
    ADD CONSTRAINT clients_closed CHECK ((status = 'active') = (closed_on IS NULL));

-- One client per identity code in an organisation (the hash is keyed, so equal codes
-- have equal hashes and nothing else does).
CREATE UNIQUE INDEX clients_identity_code ON clients (organisation_id, identity_code_hash)
    WHERE identity_code_hash IS NOT NULL;
-- Name search: the prefix through a b-tree, typing errors through trigrams.
DROP INDEX clients_org_name;
CREATE INDEX clients_org_search_name ON clients (organisation_id, search_name text_pattern_ops, id);
CREATE INDEX clients_search_name_trgm ON clients USING gin (organisation_id, search_name gin_trgm_ops);
CREATE INDEX clients_org_phone ON clients (organisation_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX clients_org_email ON clients (organisation_id, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX clients_org_coach ON clients (organisation_id, responsible_coach_id)
    WHERE responsible_coach_id IS NOT NULL;

-- Background history: education, work, health and substance use. Health and
-- substance-use text is only ever stored encrypted.
CREATE TABLE client_history_entries (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('education', 'work', 'health', 'substance_use')),
    starts_on date,
    ends_on date CHECK (ends_on >= starts_on),
    description text CHECK (length(description) <= 10000),
    description_encrypted bytea,
    education_level text CHECK (education_level IN ('none', 'basic', 'upper_secondary',
                                                    'vocational', 'higher', 'unknown')),
    occupation text CHECK (length(occupation) <= 200),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, client_id) REFERENCES clients (organisation_id, id),
    CONSTRAINT history_sensitive_encrypted CHECK (
        kind IN ('education', 'work') OR description IS NULL),
    CONSTRAINT history_plain_not_encrypted CHECK (
        kind IN ('health', 'substance_use') OR description_encrypted IS NULL)
);
CREATE INDEX client_history_client ON client_history_entries (organisation_id, client_id, starts_on, id);
ALTER TABLE client_history_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_history_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON client_history_entries USING (organisation_id = polku_current_organisation());
CREATE TRIGGER client_history_touch BEFORE UPDATE ON client_history_entries
    FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
GRANT SELECT, INSERT, UPDATE ON client_history_entries TO polku_app;

-- Rectification history: every change keeps who changed what and when, with the previous
-- values. Values of encrypted fields (and of sensitive history) are kept encrypted.
CREATE TABLE client_changes (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    record_type text NOT NULL CHECK (record_type IN ('client', 'history_entry')),
    record_id uuid NOT NULL,
    sensitive boolean NOT NULL DEFAULT false,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by_user_id uuid,
    changed_by_api_client_id uuid,
    fields text[] NOT NULL CHECK (cardinality(fields) > 0),
    previous jsonb NOT NULL DEFAULT '{}',
    previous_encrypted bytea,
    reason text CHECK (length(reason) <= 500),
    FOREIGN KEY (organisation_id, client_id) REFERENCES clients (organisation_id, id)
);
CREATE INDEX client_changes_client ON client_changes (organisation_id, client_id, changed_at, id);
ALTER TABLE client_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON client_changes USING (organisation_id = polku_current_organisation());
-- History of changes is itself never changed.
GRANT SELECT, INSERT ON client_changes TO polku_app;
