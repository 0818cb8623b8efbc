-- Service periods (jaksot) with their goals, diary, agreements, assessments and reports,
-- and the organisation's configurable code lists and assessment instruments, seeded with
-- the national ones for every organisation.

-- Configurable code lists: service types, referrers of a period, outcome sub-codes.
CREATE TABLE code_values (
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    list text NOT NULL CHECK (list IN ('service_type', 'referrer', 'outcome')),
    code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
    -- Outcome sub-codes belong to one of the fixed outcome classes.
    parent_code text CHECK (parent_code IN ('education', 'work', 'other_activity', 'negative', 'unknown')),
    name_fi text NOT NULL CHECK (length(name_fi) BETWEEN 1 AND 200),
    name_sv text NOT NULL CHECK (length(name_sv) BETWEEN 1 AND 200),
    name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    -- Service types under the rules of the Act on rehabilitative work activity (189/2001).
    ktt_rules boolean NOT NULL DEFAULT false,
    national boolean NOT NULL DEFAULT false,
    active boolean NOT NULL DEFAULT true,
    position integer NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, list, code),
    CHECK ((list = 'outcome') = (parent_code IS NOT NULL))
);
ALTER TABLE code_values ENABLE ROW LEVEL SECURITY;
ALTER TABLE code_values FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON code_values USING (organisation_id = polku_current_organisation());
GRANT SELECT, INSERT, UPDATE ON code_values TO polku_app;

CREATE TABLE assessment_instruments (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
    name_fi text NOT NULL CHECK (length(name_fi) BETWEEN 1 AND 200),
    name_sv text NOT NULL CHECK (length(name_sv) BETWEEN 1 AND 200),
    name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, code),
    UNIQUE (organisation_id, id)
);
CREATE TABLE assessment_criteria (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL,
    instrument_id uuid NOT NULL,
    position integer NOT NULL,
    name_fi text NOT NULL CHECK (length(name_fi) BETWEEN 1 AND 200),
    name_sv text NOT NULL CHECK (length(name_sv) BETWEEN 1 AND 200),
    name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    scale_min smallint NOT NULL CHECK (scale_min BETWEEN -1000 AND 1000),
    scale_max smallint NOT NULL CHECK (scale_max BETWEEN -1000 AND 1000),
    -- One label per step: [{"value": 1, "fi": "...", "sv": "...", "en": "..."}, ...].
    steps jsonb NOT NULL DEFAULT '[]',
    FOREIGN KEY (organisation_id, instrument_id) REFERENCES assessment_instruments (organisation_id, id),
    UNIQUE (organisation_id, id),
    UNIQUE (instrument_id, position),
    CHECK (scale_min < scale_max AND scale_max::integer - scale_min::integer <= 100)
);
ALTER TABLE assessment_instruments ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment_instruments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON assessment_instruments USING (organisation_id = polku_current_organisation());
ALTER TABLE assessment_criteria ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment_criteria FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON assessment_criteria USING (organisation_id = polku_current_organisation());
GRANT SELECT, INSERT, UPDATE ON assessment_instruments, assessment_criteria TO polku_app;

-- The national lists and the four assessment instruments, for one organisation (run in
-- its tenant: by the trigger on a new organisation, and below for existing ones).
CREATE FUNCTION polku_seed_catalogue(org uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    instrument record;
    instrument_id uuid;
    criterion record;
    steps jsonb := '[
        {"value": 1, "fi": "Ei vielä", "sv": "Inte ännu", "en": "Not yet"},
        {"value": 2, "fi": "Alkuvaiheessa", "sv": "I början", "en": "Beginning"},
        {"value": 3, "fi": "Kehittyy", "sv": "Utvecklas", "en": "Developing"},
        {"value": 4, "fi": "Hyvä", "sv": "Bra", "en": "Good"},
        {"value": 5, "fi": "Erinomainen", "sv": "Utmärkt", "en": "Excellent"}]';
BEGIN
    INSERT INTO code_values (organisation_id, list, code, parent_code, name_fi, name_sv, name_en,
                             ktt_rules, national, position)
    VALUES
        (org, 'service_type', 'ktt', NULL, 'Kuntouttava työtoiminta', 'Arbetsverksamhet i rehabiliteringssyfte', 'Rehabilitative work activity', true, true, 1),
        (org, 'service_type', 'work_trial', NULL, 'Työkokeilu', 'Arbetsprövning', 'Work trial', false, true, 2),
        (org, 'service_type', 'wage_subsidy', NULL, 'Palkkatuettu työ', 'Lönesubventionerat arbete', 'Wage-subsidised work', false, true, 3),
        (org, 'service_type', 'coaching', NULL, 'Valmennus', 'Coachning', 'Coaching', false, true, 4),
        (org, 'service_type', 'workshop', NULL, 'Työpaja', 'Verkstad', 'Workshop', false, true, 5),
        (org, 'service_type', 'integration_training', NULL, 'Kotoutumiskoulutus', 'Integrationsutbildning', 'Integration training', false, true, 6),
        (org, 'service_type', 'kela_rehabilitation', NULL, 'Kelan ammatillinen kuntoutus', 'FPA:s yrkesinriktade rehabilitering', 'Kela vocational rehabilitation', false, true, 7),
        (org, 'referrer', 'employment_services', NULL, 'Työllisyyspalvelut', 'Sysselsättningstjänster', 'Employment services', false, true, 1),
        (org, 'referrer', 'social_services', NULL, 'Sosiaalipalvelut', 'Socialtjänster', 'Social services', false, true, 2),
        (org, 'referrer', 'health_services', NULL, 'Terveyspalvelut', 'Hälsotjänster', 'Health services', false, true, 3),
        (org, 'referrer', 'kela', NULL, 'Kela', 'FPA', 'Kela', false, true, 4),
        (org, 'referrer', 'education', NULL, 'Oppilaitos', 'Läroanstalt', 'Educational institution', false, true, 5),
        (org, 'referrer', 'self', NULL, 'Oma-aloitteinen', 'På eget initiativ', 'Self-referred', false, true, 6),
        (org, 'referrer', 'other', NULL, 'Muu', 'Annan', 'Other', false, true, 7),
        (org, 'referrer', 'unknown', NULL, 'Ei tietoa', 'Uppgift saknas', 'Unknown', false, true, 8),
        (org, 'outcome', 'vocational_education', 'education', 'Ammatillinen koulutus', 'Yrkesutbildning', 'Vocational education', false, true, 1),
        (org, 'outcome', 'general_education', 'education', 'Yleissivistävä koulutus', 'Allmänbildande utbildning', 'General education', false, true, 2),
        (org, 'outcome', 'higher_education', 'education', 'Korkea-asteen koulutus', 'Högskoleutbildning', 'Higher education', false, true, 3),
        (org, 'outcome', 'open_labour_market', 'work', 'Avoimet työmarkkinat', 'Öppna arbetsmarknaden', 'Open labour market', false, true, 4),
        (org, 'outcome', 'subsidised_work', 'work', 'Tuettu työ', 'Stött arbete', 'Subsidised work', false, true, 5),
        (org, 'outcome', 'entrepreneur', 'work', 'Yrittäjyys', 'Företagande', 'Self-employment', false, true, 6),
        (org, 'outcome', 'other_service', 'other_activity', 'Muu ohjattu toiminta', 'Annan handledd verksamhet', 'Other guided activity', false, true, 7),
        (org, 'outcome', 'rehabilitation', 'other_activity', 'Kuntoutus', 'Rehabilitering', 'Rehabilitation', false, true, 8),
        (org, 'outcome', 'interrupted', 'negative', 'Keskeytynyt', 'Avbruten', 'Interrupted', false, true, 9),
        (org, 'outcome', 'no_placement', 'negative', 'Ei jatkosijoittumista', 'Ingen fortsatt placering', 'No placement', false, true, 10),
        (org, 'outcome', 'not_known', 'unknown', 'Ei tietoa', 'Uppgift saknas', 'Not known', false, true, 11);
    FOR instrument IN
        SELECT * FROM (VALUES
            ('learning_at_work', 'Työssä oppiminen', 'Lärande i arbetet', 'Learning through work'),
            ('effectiveness', 'Vaikuttavuus', 'Effekt', 'Effectiveness'),
            ('coping_at_work', 'Työssä selviytyminen', 'Att klara sig i arbetet', 'Coping at work'),
            ('integration', 'Kotoutuminen', 'Integration', 'Integration')) AS i (code, fi, sv, en)
    LOOP
        instrument_id := gen_random_uuid();
        INSERT INTO assessment_instruments (id, organisation_id, code, name_fi, name_sv, name_en)
        VALUES (instrument_id, org, instrument.code, instrument.fi, instrument.sv, instrument.en);
        FOR criterion IN
            SELECT * FROM (VALUES
                ('learning_at_work', 1, 'Työtehtävien oppiminen', 'Inlärning av arbetsuppgifter', 'Learning the tasks'),
                ('learning_at_work', 2, 'Työturvallisuus', 'Arbetssäkerhet', 'Safety at work'),
                ('learning_at_work', 3, 'Yhteistyö ja vuorovaikutus', 'Samarbete och kommunikation', 'Cooperation and communication'),
                ('effectiveness', 1, 'Elämänhallinta', 'Livskompetens', 'Managing everyday life'),
                ('effectiveness', 2, 'Toimintakyky', 'Funktionsförmåga', 'Functional capacity'),
                ('effectiveness', 3, 'Jatkosuunnitelman selkeys', 'Tydlig fortsatt plan', 'A clear plan for what next'),
                ('coping_at_work', 1, 'Säännöllisyys ja täsmällisyys', 'Regelbundenhet och punktlighet', 'Regularity and punctuality'),
                ('coping_at_work', 2, 'Työn laatu', 'Arbetets kvalitet', 'Quality of work'),
                ('coping_at_work', 3, 'Itsenäisyys', 'Självständighet', 'Independence'),
                ('coping_at_work', 4, 'Jaksaminen', 'Ork', 'Stamina'),
                ('integration', 1, 'Suomen tai ruotsin kielen taito', 'Kunskaper i finska eller svenska', 'Finnish or Swedish language skills'),
                ('integration', 2, 'Yhteiskunnan ja palvelujen tuntemus', 'Kännedom om samhället och tjänsterna', 'Knowing society and its services'),
                ('integration', 3, 'Työelämätaidot', 'Arbetslivsfärdigheter', 'Working-life skills')) AS c (instrument, position, fi, sv, en)
            WHERE c.instrument = instrument.code
        LOOP
            INSERT INTO assessment_criteria (id, organisation_id, instrument_id, position, name_fi, name_sv,
                                             name_en, scale_min, scale_max, steps)
            VALUES (gen_random_uuid(), org, instrument_id, criterion.position, criterion.fi, criterion.sv,
                    criterion.en, 1, 5, steps);
        END LOOP;
    END LOOP;
END;
$$;

CREATE FUNCTION polku_organisation_catalogue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM polku_seed_catalogue(NEW.id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER organisations_catalogue AFTER INSERT ON organisations
    FOR EACH ROW EXECUTE FUNCTION polku_organisation_catalogue();

DO $$
DECLARE
    org uuid;
BEGIN
    PERFORM set_config('polku.maintenance', 'on', true);
    FOR org IN SELECT id FROM organisations LOOP
        PERFORM set_config('polku.organisation_id', org::text, true);
        PERFORM polku_seed_catalogue(org);
    END LOOP;
    PERFORM set_config('polku.maintenance', '', true);
    PERFORM set_config('polku.organisation_id', '', true);
END;
$$;

-- How long the author may still edit a diary entry freely; after it, only corrections
-- with a reason (the old text kept in the rectification history).
ALTER TABLE organisations ADD COLUMN diary_edit_window_hours integer NOT NULL DEFAULT 24
    CHECK (diary_edit_window_hours BETWEEN 0 AND 720);

CREATE TABLE periods (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    service_type text NOT NULL,
    notified_on date,
    starts_on date NOT NULL,
    planned_end_on date CHECK (planned_end_on >= starts_on),
    ends_on date CHECK (ends_on >= starts_on),
    referrer text,
    unit_id uuid NOT NULL,
    workplace text CHECK (length(workplace) <= 200),
    coach_id uuid,
    mode text NOT NULL DEFAULT 'individual' CHECK (mode IN ('individual', 'group')),
    days_per_week smallint CHECK (days_per_week BETWEEN 1 AND 7),
    hours_per_day double precision CHECK (hours_per_day > 0 AND hours_per_day <= 24),
    -- ISO weekdays of the planned schedule (1 = Monday).
    weekdays smallint[] NOT NULL DEFAULT '{}' CHECK (weekdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]),
    outcome text CHECK (outcome IN ('education', 'work', 'other_activity', 'negative', 'unknown')),
    outcome_code text,
    closing_note text CHECK (length(closing_note) <= 4000),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, client_id) REFERENCES clients (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id),
    FOREIGN KEY (organisation_id, coach_id) REFERENCES users (organisation_id, id),
    UNIQUE (organisation_id, id),
    CHECK (ends_on IS NULL OR outcome IS NOT NULL)
);
CREATE INDEX periods_client ON periods (organisation_id, client_id, starts_on, id);
CREATE INDEX periods_unit_open ON periods (organisation_id, unit_id, id) WHERE ends_on IS NULL;
CREATE INDEX periods_coach_open ON periods (organisation_id, coach_id, id) WHERE ends_on IS NULL;
CREATE INDEX periods_service_type ON periods (organisation_id, service_type, client_id);

CREATE TABLE period_goals (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    period_id uuid NOT NULL,
    position integer NOT NULL,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description text CHECK (length(description) <= 4000),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'achieved', 'dropped')),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, period_id) REFERENCES periods (organisation_id, id),
    UNIQUE (organisation_id, id)
);
CREATE INDEX period_goals_period ON period_goals (organisation_id, period_id, position);
CREATE TABLE goal_follow_ups (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    goal_id uuid NOT NULL,
    noted_on date NOT NULL,
    note text NOT NULL CHECK (length(note) BETWEEN 1 AND 4000),
    author_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (organisation_id, goal_id) REFERENCES period_goals (organisation_id, id)
);
CREATE INDEX goal_follow_ups_goal ON goal_follow_ups (organisation_id, goal_id, noted_on);

CREATE TABLE diary_entries (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    period_id uuid NOT NULL,
    entry_date date NOT NULL,
    body text CHECK (length(body) <= 20000),
    -- Special-category entries: the text only ever encrypted.
    body_encrypted bytea,
    sensitive boolean NOT NULL DEFAULT false,
    author_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, period_id) REFERENCES periods (organisation_id, id),
    CHECK (sensitive = (body IS NULL)),
    CHECK (sensitive OR body_encrypted IS NULL)
);
CREATE INDEX diary_entries_period ON diary_entries (organisation_id, period_id, entry_date DESC, id DESC);
CREATE INDEX diary_entries_client ON diary_entries (organisation_id, client_id, entry_date DESC, id DESC);

CREATE TABLE period_agreements (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    period_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('work', 'activity')),
    organisation_contact text CHECK (length(organisation_contact) <= 200),
    workplace text CHECK (length(workplace) <= 200),
    workplace_contact text CHECK (length(workplace_contact) <= 200),
    tasks text CHECK (length(tasks) <= 4000),
    schedule text CHECK (length(schedule) <= 1000),
    place text CHECK (length(place) <= 300),
    insurance_note text CHECK (length(insurance_note) <= 1000),
    starts_on date,
    ends_on date CHECK (ends_on >= starts_on),
    signed_on date,
    state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'signed', 'ended')),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, period_id) REFERENCES periods (organisation_id, id),
    CHECK (state = 'draft' OR signed_on IS NOT NULL)
);
CREATE INDEX period_agreements_period ON period_agreements (organisation_id, period_id, id);

CREATE TABLE assessments (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    period_id uuid NOT NULL,
    instrument_id uuid NOT NULL,
    assessed_on date NOT NULL,
    assessor text NOT NULL CHECK (assessor IN ('coach', 'client')),
    notes text CHECK (length(notes) <= 4000),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (organisation_id, period_id) REFERENCES periods (organisation_id, id),
    FOREIGN KEY (organisation_id, instrument_id) REFERENCES assessment_instruments (organisation_id, id),
    UNIQUE (organisation_id, id)
);
CREATE INDEX assessments_period ON assessments (organisation_id, period_id, assessed_on, id);
CREATE TABLE assessment_scores (
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    assessment_id uuid NOT NULL,
    criterion_id uuid NOT NULL,
    score smallint NOT NULL,
    PRIMARY KEY (assessment_id, criterion_id),
    FOREIGN KEY (organisation_id, assessment_id) REFERENCES assessments (organisation_id, id),
    FOREIGN KEY (organisation_id, criterion_id) REFERENCES assessment_criteria (organisation_id, id)
);

CREATE TABLE period_reports (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    client_id uuid NOT NULL,
    period_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('interim', 'final')),
    -- Versions of one report share its first version's id as `series_id`.
    series_id uuid NOT NULL,
    version_no integer NOT NULL DEFAULT 1 CHECK (version_no >= 1),
    previous_id uuid,
    state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'final')),
    situation_at_start text CHECK (length(situation_at_start) <= 10000),
    goals_summary text CHECK (length(goals_summary) <= 10000),
    attendance_summary text CHECK (length(attendance_summary) <= 10000),
    assessment_summary text CHECK (length(assessment_summary) <= 10000),
    recommendation text CHECK (length(recommendation) <= 10000),
    outcome_summary text CHECK (length(outcome_summary) <= 10000),
    finalised_at timestamptz,
    finalised_by uuid,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, period_id) REFERENCES periods (organisation_id, id),
    UNIQUE (organisation_id, id),
    UNIQUE (series_id, version_no),
    CHECK ((state = 'final') = (finalised_at IS NOT NULL))
);
CREATE INDEX period_reports_period ON period_reports (organisation_id, period_id, series_id, version_no);

-- A final report is locked, for the application and for anyone else.
CREATE FUNCTION polku_report_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'final' THEN
        RAISE EXCEPTION 'a final report is locked; make a new version' USING ERRCODE = 'check_violation';
    END IF;
    RETURN coalesce(NEW, OLD);
END;
$$;
CREATE TRIGGER period_reports_locked BEFORE UPDATE OR DELETE ON period_reports
    FOR EACH ROW EXECUTE FUNCTION polku_report_locked();

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['periods', 'period_goals', 'goal_follow_ups', 'diary_entries',
                             'period_agreements', 'assessments', 'assessment_scores', 'period_reports']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant ON %I USING (organisation_id = polku_current_organisation())', t);
    END LOOP;
END;
$$;
CREATE TRIGGER periods_touch BEFORE UPDATE ON periods FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
CREATE TRIGGER period_goals_touch BEFORE UPDATE ON period_goals FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
CREATE TRIGGER diary_entries_touch BEFORE UPDATE ON diary_entries FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
CREATE TRIGGER period_agreements_touch BEFORE UPDATE ON period_agreements FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
CREATE TRIGGER period_reports_touch BEFORE UPDATE ON period_reports FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
GRANT SELECT, INSERT, UPDATE ON periods, period_goals, diary_entries, period_agreements, period_reports TO polku_app;
-- Follow-up notes and assessments are dated records, added and never changed.
GRANT SELECT, INSERT ON goal_follow_ups, assessments, assessment_scores TO polku_app;

-- The rectification history covers the records of periods too.
ALTER TABLE client_changes DROP CONSTRAINT client_changes_record_type_check;
ALTER TABLE client_changes ADD CONSTRAINT client_changes_record_type_check CHECK (
    record_type IN ('client', 'history_entry', 'period', 'goal', 'diary_entry', 'agreement', 'report'));
