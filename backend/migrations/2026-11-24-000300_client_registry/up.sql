-- Client registry: the fields of DESIGN §2, identity codes and bank accounts encrypted with
-- a keyed hash for exact lookup, background history, rectification history and name
-- search that forgives case, accents and typing errors.

-- These extensions are trusted: the owner role installs them without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

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
    -- Folded names for search and ordering, byte-ordered (collation "C") so that a prefix
    -- is a range of the index whatever the database's collation.
    ADD COLUMN search_name text COLLATE "C" GENERATED ALWAYS AS
        (polku_fold(last_name || ' ' || first_names)) STORED,
    ADD COLUMN search_first text COLLATE "C" GENERATED ALWAYS AS
        (polku_fold(first_names || ' ' || last_name)) STORED,
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
-- Name search. Row-level security lets an index serve only leakproof conditions, which
-- LIKE and the trigram operators are not; comparisons of text are. So every name search
-- becomes ranges of these indexes: the query's prefix, and the whole words of the
-- organisation's name dictionary that are like the query (typing errors).
DROP INDEX clients_org_name;
CREATE INDEX clients_org_search_name ON clients (organisation_id, search_name, id)
    INCLUDE (unit_id, status);
CREATE INDEX clients_org_search_first ON clients (organisation_id, search_first)
    INCLUDE (search_name, id, unit_id, status);

-- The words of the organisation's client names (folded), for typo-tolerant search: small
-- enough to compare with the query one by one.
CREATE TABLE client_name_words (
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    word text COLLATE "C" NOT NULL CHECK (length(word) BETWEEN 1 AND 200),
    PRIMARY KEY (organisation_id, word)
);
ALTER TABLE client_name_words ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_name_words FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON client_name_words USING (organisation_id = polku_current_organisation());
GRANT SELECT, INSERT ON client_name_words TO polku_app;

CREATE FUNCTION polku_client_name_words() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
    INSERT INTO client_name_words (organisation_id, word)
    SELECT DISTINCT c.organisation_id, w.word
    FROM new_rows c, unnest(string_to_array(c.search_name, ' ')) AS w (word)
    WHERE w.word <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER clients_name_words_insert AFTER INSERT ON clients
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION polku_client_name_words();
CREATE TRIGGER clients_name_words_update AFTER UPDATE ON clients
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION polku_client_name_words();
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
