ALTER TABLE client_changes DROP CONSTRAINT client_changes_record_type_check;
ALTER TABLE client_changes ADD CONSTRAINT client_changes_record_type_check CHECK (
    record_type IN ('client', 'history_entry'));
DROP TABLE period_reports;
DROP FUNCTION polku_report_locked();
DROP TABLE assessment_scores;
DROP TABLE assessments;
DROP TABLE period_agreements;
DROP TABLE diary_entries;
DROP TABLE goal_follow_ups;
DROP TABLE period_goals;
DROP TABLE periods;
ALTER TABLE organisations DROP COLUMN diary_edit_window_hours;
DROP TRIGGER organisations_catalogue ON organisations;
DROP FUNCTION polku_organisation_catalogue();
DROP FUNCTION polku_seed_catalogue(uuid);
DROP TABLE assessment_criteria;
DROP TABLE assessment_instruments;
DROP TABLE code_values;
