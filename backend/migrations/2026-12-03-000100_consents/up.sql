-- Consents (suostumukset): given and withdrawn, never edited. A consent row is written
-- once; withdrawing it writes a withdrawal row. The runtime role may insert and read
-- both tables and nothing else, so a consent can be neither changed, deleted nor
-- re-activated (a withdrawal cannot be removed), whatever the application does.

CREATE TABLE consents (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    -- processing: for the service itself; disclosure: to a named recipient;
    -- data_request: asking a named party for data (the multi-agency network);
    -- other: an organisation's own purpose, named in `purpose`.
    kind text NOT NULL CHECK (kind IN ('processing', 'disclosure', 'data_request', 'other')),
    purpose text CHECK (length(purpose) BETWEEN 1 AND 300),
    recipient text CHECK (length(recipient) BETWEEN 1 AND 300),
    -- A category of recipients (e.g. educational institutions) rather than a named one.
    recipient_is_category boolean NOT NULL DEFAULT false,
    -- Folded recipient for matching a disclosure to its consent.
    recipient_key text GENERATED ALWAYS AS (polku_fold(btrim(recipient))) STORED,
    data_categories text[] NOT NULL CHECK (
        data_categories <@ ARRAY['contact_details', 'identity', 'background', 'health',
                                 'substance_use', 'periods', 'attendance', 'statements',
                                 'documents']),
    given_at timestamptz NOT NULL DEFAULT now(),
    given_how text NOT NULL CHECK (given_how IN ('written', 'electronic', 'verbal')),
    witness text CHECK (length(witness) BETWEEN 1 AND 200),
    document_id uuid,
    -- Defaults to the moment it was given.
    valid_from timestamptz NOT NULL,
    valid_until timestamptz,
    note text CHECK (length(note) <= 2000),
    -- The withdrawn consent of the same client this one takes the place of.
    replaces_id uuid,
    recorded_by_user_id uuid,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (organisation_id, client_id) REFERENCES clients (organisation_id, id),
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, replaces_id) REFERENCES consents (organisation_id, id),
    CHECK (valid_until IS NULL OR valid_until > valid_from),
    CHECK (kind NOT IN ('disclosure', 'data_request') OR recipient IS NOT NULL),
    CHECK (kind NOT IN ('disclosure', 'data_request') OR cardinality(data_categories) > 0),
    CHECK (kind <> 'other' OR purpose IS NOT NULL),
    CHECK (given_how <> 'verbal' OR witness IS NOT NULL)
);
CREATE INDEX consents_client ON consents (organisation_id, client_id, given_at, id);
CREATE INDEX consents_expiry ON consents (organisation_id, valid_until) WHERE valid_until IS NOT NULL;
-- The same giving cannot be recorded twice (nor copied into a second row), and a
-- withdrawn consent is replaced at most once.
CREATE UNIQUE INDEX consents_once ON consents
    (organisation_id, client_id, kind, given_at, coalesce(recipient_key, ''), coalesce(purpose, ''),
     data_categories);
CREATE UNIQUE INDEX consents_replaced_once ON consents (organisation_id, replaces_id)
    WHERE replaces_id IS NOT NULL;

-- A consent is recorded as it is given: the row's recording time is the transaction's, so a
-- row cannot be copied in with an earlier recording time, and a consent cannot replace one
-- that has not been withdrawn.
CREATE FUNCTION polku_consent_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.valid_from := coalesce(NEW.valid_from, NEW.given_at);
    IF NEW.recorded_at <> now() THEN
        RAISE EXCEPTION 'a consent is recorded at the time it is written'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.replaces_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM consents c JOIN consent_withdrawals w ON w.consent_id = c.id
        WHERE c.id = NEW.replaces_id AND c.client_id = NEW.client_id) THEN
        RAISE EXCEPTION 'only a withdrawn consent of the same client can be replaced'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TABLE consent_withdrawals (
    consent_id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    -- Effective from this moment for every later disclosure.
    withdrawn_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- How and when the client asked.
    requested_how text NOT NULL CHECK (requested_how IN ('written', 'electronic', 'verbal')),
    requested_at timestamptz NOT NULL DEFAULT now(),
    note text CHECK (length(note) <= 2000),
    recorded_by_user_id uuid,
    FOREIGN KEY (organisation_id, consent_id) REFERENCES consents (organisation_id, id)
);

CREATE TRIGGER consents_recorded BEFORE INSERT ON consents
    FOR EACH ROW EXECUTE FUNCTION polku_consent_recorded();
CREATE FUNCTION polku_consent_withdrawn() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- The moment it is written (after the client's consent lock is held), whatever the
    -- row says: a disclosure decided on the consent before it is earlier than this.
    NEW.withdrawn_at := clock_timestamp();
    RETURN NEW;
END;
$$;
CREATE TRIGGER consent_withdrawals_recorded BEFORE INSERT ON consent_withdrawals
    FOR EACH ROW EXECUTE FUNCTION polku_consent_withdrawn();

ALTER TABLE consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE consents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON consents USING (organisation_id = polku_current_organisation());
ALTER TABLE consent_withdrawals ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_withdrawals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON consent_withdrawals USING (organisation_id = polku_current_organisation());
-- Written once, read many times; never changed.
GRANT SELECT, INSERT ON consents, consent_withdrawals TO polku_app;
