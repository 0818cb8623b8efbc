-- Attendance (läsnä- ja poissaolot): one record per client per period per day, marked a
-- whole group at a time; named groups of periods; the organisation's allowance rate.

-- KTT expense allowance (kulukorvaus) per participation day, in cents.
ALTER TABLE organisations ADD COLUMN allowance_rate_cents integer NOT NULL DEFAULT 900
    CHECK (allowance_rate_cents BETWEEN 0 AND 100000);

-- A coach's named group of periods of one unit ("Puutyöpaja aamu").
CREATE TABLE attendance_groups (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    unit_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id),
    UNIQUE (organisation_id, id)
);
CREATE UNIQUE INDEX attendance_groups_name ON attendance_groups (organisation_id, unit_id, lower(name))
    WHERE archived_at IS NULL;

CREATE TABLE attendance_group_members (
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    group_id uuid NOT NULL,
    period_id uuid NOT NULL,
    added_by uuid,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, period_id),
    FOREIGN KEY (organisation_id, group_id) REFERENCES attendance_groups (organisation_id, id),
    FOREIGN KEY (organisation_id, period_id) REFERENCES periods (organisation_id, id)
);
CREATE INDEX attendance_group_members_period ON attendance_group_members (organisation_id, period_id);

CREATE TABLE attendance (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    period_id uuid NOT NULL,
    on_date date NOT NULL,
    status text NOT NULL CHECK (status IN ('present', 'absent')),
    hours double precision CHECK (hours > 0 AND hours <= 24),
    starts_at time,
    ends_at time,
    absence_reason text CHECK (absence_reason IN ('sick', 'authorised', 'unauthorised', 'holiday', 'other')),
    note text CHECK (length(note) <= 1000),
    recorded_by_user_id uuid,
    recorded_by_api_client_id uuid,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    updated_by_user_id uuid,
    updated_by_api_client_id uuid,
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    CHECK (ends_at > starts_at),
    CHECK ((status = 'present' AND absence_reason IS NULL)
        OR (status = 'absent' AND absence_reason IS NOT NULL AND hours IS NULL
            AND starts_at IS NULL AND ends_at IS NULL)),
    CHECK (absence_reason IS DISTINCT FROM 'other' OR note IS NOT NULL),
    FOREIGN KEY (organisation_id, period_id) REFERENCES periods (organisation_id, id),
    FOREIGN KEY (organisation_id, client_id) REFERENCES clients (organisation_id, id),
    UNIQUE (organisation_id, period_id, on_date)
);
CREATE INDEX attendance_client ON attendance (organisation_id, client_id, on_date);
-- The monthly allowance report and the unit's regularity read a month of every period.
CREATE INDEX attendance_month ON attendance (organisation_id, on_date) INCLUDE (period_id, client_id, status, hours);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['attendance_groups', 'attendance_group_members', 'attendance']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant ON %I USING (organisation_id = polku_current_organisation())', t);
    END LOOP;
END;
$$;
CREATE TRIGGER attendance_groups_touch BEFORE UPDATE ON attendance_groups
    FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
GRANT SELECT, INSERT, UPDATE ON attendance_groups TO polku_app;
GRANT SELECT, INSERT, DELETE ON attendance_group_members TO polku_app;
-- A record is corrected (the previous values go to the rectification history) or, when it
-- was marked by mistake, removed (its values kept in the history too).
GRANT SELECT, INSERT, UPDATE, DELETE ON attendance TO polku_app;

ALTER TABLE client_changes DROP CONSTRAINT client_changes_record_type_check;
ALTER TABLE client_changes ADD CONSTRAINT client_changes_record_type_check CHECK (
    record_type IN ('client', 'history_entry', 'period', 'goal', 'diary_entry', 'agreement', 'report',
                    'attendance'));
