DELETE FROM client_changes WHERE record_type = 'attendance';
ALTER TABLE client_changes DROP CONSTRAINT client_changes_record_type_check;
ALTER TABLE client_changes ADD CONSTRAINT client_changes_record_type_check CHECK (
    record_type IN ('client', 'history_entry', 'period', 'goal', 'diary_entry', 'agreement', 'report'));
DROP TABLE attendance;
DROP TABLE attendance_group_members;
DROP TABLE attendance_groups;
ALTER TABLE organisations DROP COLUMN allowance_rate_cents;
