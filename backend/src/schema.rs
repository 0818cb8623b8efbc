// @generated automatically by Diesel CLI.

diesel::table! {
    assessment_criteria (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        instrument_id -> Uuid,
        position -> Int4,
        name_fi -> Text,
        name_sv -> Text,
        name_en -> Text,
        scale_min -> Int2,
        scale_max -> Int2,
        steps -> Jsonb,
    }
}

diesel::table! {
    assessment_instruments (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        code -> Text,
        name_fi -> Text,
        name_sv -> Text,
        name_en -> Text,
        active -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    assessment_scores (assessment_id, criterion_id) {
        organisation_id -> Uuid,
        assessment_id -> Uuid,
        criterion_id -> Uuid,
        score -> Int2,
    }
}

diesel::table! {
    assessments (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        period_id -> Uuid,
        instrument_id -> Uuid,
        assessed_on -> Date,
        assessor -> Text,
        notes -> Nullable<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    code_values (organisation_id, list, code) {
        organisation_id -> Uuid,
        list -> Text,
        code -> Text,
        parent_code -> Nullable<Text>,
        name_fi -> Text,
        name_sv -> Text,
        name_en -> Text,
        ktt_rules -> Bool,
        national -> Bool,
        active -> Bool,
        position -> Int4,
    }
}

diesel::table! {
    diary_entries (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        period_id -> Uuid,
        entry_date -> Date,
        body -> Nullable<Text>,
        body_encrypted -> Nullable<Bytea>,
        sensitive -> Bool,
        author_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    goal_follow_ups (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        goal_id -> Uuid,
        noted_on -> Date,
        note -> Text,
        author_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    period_agreements (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        period_id -> Uuid,
        kind -> Text,
        organisation_contact -> Nullable<Text>,
        workplace -> Nullable<Text>,
        workplace_contact -> Nullable<Text>,
        tasks -> Nullable<Text>,
        schedule -> Nullable<Text>,
        place -> Nullable<Text>,
        insurance_note -> Nullable<Text>,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        signed_on -> Nullable<Date>,
        state -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        ended_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
    }
}

diesel::table! {
    period_goals (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        period_id -> Uuid,
        position -> Int4,
        title -> Text,
        description -> Nullable<Text>,
        status -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    period_reports (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        period_id -> Uuid,
        kind -> Text,
        series_id -> Uuid,
        version_no -> Int4,
        previous_id -> Nullable<Uuid>,
        state -> Text,
        situation_at_start -> Nullable<Text>,
        goals_summary -> Nullable<Text>,
        attendance_summary -> Nullable<Text>,
        assessment_summary -> Nullable<Text>,
        recommendation -> Nullable<Text>,
        outcome_summary -> Nullable<Text>,
        finalised_at -> Nullable<Timestamptz>,
        finalised_by -> Nullable<Uuid>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    periods (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        service_type -> Text,
        notified_on -> Nullable<Date>,
        starts_on -> Date,
        planned_end_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        referrer -> Nullable<Text>,
        unit_id -> Uuid,
        workplace -> Nullable<Text>,
        coach_id -> Nullable<Uuid>,
        mode -> Text,
        days_per_week -> Nullable<Int2>,
        hours_per_day -> Nullable<Float8>,
        weekdays -> Array<Int2>,
        outcome -> Nullable<Text>,
        outcome_code -> Nullable<Text>,
        closing_note -> Nullable<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        name -> Text,
        client_id -> Text,
        secret_hash -> Text,
        scopes -> Array<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        secret_rotated_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        version -> Int4,
    }
}

diesel::table! {
    audit_events (id, occurred_at) {
        id -> Uuid,
        organisation_id -> Nullable<Uuid>,
        occurred_at -> Timestamptz,
        txid -> Int8,
        category -> Text,
        action -> Text,
        actor_user_id -> Nullable<Uuid>,
        actor_api_client_id -> Nullable<Uuid>,
        subject_user_id -> Nullable<Uuid>,
        subject_id -> Nullable<Uuid>,
        client_ids -> Array<Uuid>,
        resource_type -> Nullable<Text>,
        resource_ids -> Array<Uuid>,
        fields -> Array<Text>,
        reason -> Nullable<Text>,
        recipient -> Nullable<Text>,
        legal_basis -> Nullable<Text>,
        consent_id -> Nullable<Uuid>,
        data_categories -> Array<Text>,
        details -> Jsonb,
        request_id -> Nullable<Text>,
        source_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    audit_seals (organisation_id, seq, period) {
        organisation_id -> Uuid,
        seq -> Int8,
        period -> Date,
        sealed_at -> Timestamptz,
        prev_hash -> Bytea,
        event_ids -> Array<Uuid>,
        event_hashes -> Array<Bytea>,
        cursor_txid -> Int8,
        cursor_id -> Uuid,
        keyed -> Bool,
    }
}

diesel::table! {
    audit_retention_seals (organisation_id, seq) {
        organisation_id -> Uuid,
        seq -> Int8,
        last_hash -> Bytea,
        cursor_txid -> Int8,
        cursor_id -> Uuid,
        dropped_before -> Date,
        recorded_at -> Timestamptz,
        mac -> Bytea,
    }
}

diesel::table! {
    clients (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        unit_id -> Uuid,
        first_names -> Text,
        last_name -> Text,
        language -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        identity_code_encrypted -> Nullable<Bytea>,
        identity_code_hash -> Nullable<Bytea>,
        identity_code_prefix -> Nullable<Text>,
        identity_code_temporary -> Nullable<Bool>,
        birth_date -> Nullable<Date>,
        gender -> Text,
        street_address -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        post_office -> Nullable<Text>,
        home_municipality -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        iban_encrypted -> Nullable<Bytea>,
        iban_masked -> Nullable<Text>,
        mother_tongue -> Text,
        nationality -> Text,
        profession -> Nullable<Text>,
        trade_union_encrypted -> Nullable<Bytea>,
        education_level -> Text,
        referrer -> Text,
        responsible_coach_id -> Nullable<Uuid>,
        status -> Text,
        closed_on -> Nullable<Date>,
        close_reason -> Nullable<Text>,
        search_name -> Nullable<Text>,
        search_first -> Nullable<Text>,
    }
}

diesel::table! {
    client_changes (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        record_type -> Text,
        record_id -> Uuid,
        sensitive -> Bool,
        changed_at -> Timestamptz,
        changed_by_user_id -> Nullable<Uuid>,
        changed_by_api_client_id -> Nullable<Uuid>,
        fields -> Array<Text>,
        previous -> Jsonb,
        previous_encrypted -> Nullable<Bytea>,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    client_name_words (organisation_id, word) {
        organisation_id -> Uuid,
        word -> Text,
    }
}

diesel::table! {
    client_history_entries (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        kind -> Text,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        description -> Nullable<Text>,
        description_encrypted -> Nullable<Bytea>,
        education_level -> Nullable<Text>,
        occupation -> Nullable<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    consent_withdrawals (consent_id) {
        consent_id -> Uuid,
        organisation_id -> Uuid,
        withdrawn_at -> Timestamptz,
        requested_how -> Text,
        requested_at -> Timestamptz,
        note -> Nullable<Text>,
        recorded_by_user_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    consents (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        kind -> Text,
        purpose -> Nullable<Text>,
        recipient -> Nullable<Text>,
        recipient_is_category -> Bool,
        recipient_key -> Nullable<Text>,
        data_categories -> Array<Text>,
        given_at -> Timestamptz,
        given_how -> Text,
        witness -> Nullable<Text>,
        document_id -> Nullable<Uuid>,
        valid_from -> Timestamptz,
        valid_until -> Nullable<Timestamptz>,
        note -> Nullable<Text>,
        replaces_id -> Nullable<Uuid>,
        recorded_by_user_id -> Nullable<Uuid>,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    login_directory (login) {
        login -> Text,
        organisation_id -> Uuid,
        user_id -> Nullable<Uuid>,
        api_client_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Int4,
        window_started_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    organisations (id) {
        id -> Uuid,
        name -> Text,
        require_mfa -> Bool,
        access_token_ttl_secs -> Int4,
        session_idle_timeout_secs -> Int4,
        session_max_lifetime_secs -> Int4,
        lockout_threshold -> Int4,
        lockout_duration_secs -> Int4,
        is_demo -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        unusual_access_daily_clients -> Int4,
        diary_edit_window_hours -> Int4,
        allowance_rate_cents -> Int4,
        electronic_consent_is_written -> Bool,
    }
}

diesel::table! {
    password_tokens (token_hash) {
        token_hash -> Bytea,
        organisation_id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        user_id -> Uuid,
        code_hash -> Bytea,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Bytea,
        organisation_id -> Uuid,
        session_id -> Uuid,
        created_at -> Timestamptz,
        spent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        last_refreshed_at -> Timestamptz,
        idle_expires_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Text>,
        source_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    units (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        name -> Text,
        closed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    user_units (user_id, unit_id) {
        organisation_id -> Uuid,
        user_id -> Uuid,
        unit_id -> Uuid,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        email -> Text,
        display_name -> Text,
        language -> Text,
        roles -> Array<Text>,
        password_hash -> Nullable<Text>,
        password_changed_at -> Nullable<Timestamptz>,
        mfa_secret -> Nullable<Bytea>,
        mfa_enabled_at -> Nullable<Timestamptz>,
        mfa_last_step -> Nullable<Int8>,
        deactivated_at -> Nullable<Timestamptz>,
        deactivated_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    attendance (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        client_id -> Uuid,
        period_id -> Uuid,
        on_date -> Date,
        status -> Text,
        hours -> Nullable<Float8>,
        starts_at -> Nullable<Time>,
        ends_at -> Nullable<Time>,
        absence_reason -> Nullable<Text>,
        note -> Nullable<Text>,
        recorded_by_user_id -> Nullable<Uuid>,
        recorded_by_api_client_id -> Nullable<Uuid>,
        recorded_at -> Timestamptz,
        updated_by_user_id -> Nullable<Uuid>,
        updated_by_api_client_id -> Nullable<Uuid>,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    attendance_group_members (group_id, period_id) {
        organisation_id -> Uuid,
        group_id -> Uuid,
        period_id -> Uuid,
        added_by -> Nullable<Uuid>,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    attendance_groups (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        unit_id -> Uuid,
        name -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        archived_at -> Nullable<Timestamptz>,
        version -> Int4,
    }
}

diesel::joinable!(api_clients -> organisations (organisation_id));
diesel::joinable!(attendance -> periods (period_id));
diesel::joinable!(attendance_group_members -> attendance_groups (group_id));
diesel::joinable!(attendance_group_members -> periods (period_id));
diesel::joinable!(client_changes -> clients (client_id));
diesel::joinable!(client_history_entries -> clients (client_id));
diesel::joinable!(clients -> organisations (organisation_id));
diesel::joinable!(consent_withdrawals -> consents (consent_id));
diesel::joinable!(consents -> clients (client_id));
diesel::joinable!(periods -> clients (client_id));
diesel::joinable!(period_goals -> periods (period_id));
diesel::joinable!(goal_follow_ups -> period_goals (goal_id));
diesel::joinable!(diary_entries -> periods (period_id));
diesel::joinable!(assessment_scores -> assessments (assessment_id));
diesel::joinable!(login_directory -> organisations (organisation_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(units -> organisations (organisation_id));
diesel::joinable!(users -> organisations (organisation_id));

diesel::allow_tables_to_appear_in_same_query!(
    attendance,
    attendance_group_members,
    attendance_groups,
    assessment_criteria,
    assessment_instruments,
    assessment_scores,
    assessments,
    code_values,
    diary_entries,
    goal_follow_ups,
    period_agreements,
    period_goals,
    period_reports,
    periods,
    api_clients,
    audit_events,
    audit_retention_seals,
    audit_seals,
    client_changes,
    client_history_entries,
    client_name_words,
    clients,
    consent_withdrawals,
    consents,
    login_directory,
    login_throttle,
    organisations,
    password_tokens,
    recovery_codes,
    refresh_tokens,
    sessions,
    units,
    user_units,
    users,
);
