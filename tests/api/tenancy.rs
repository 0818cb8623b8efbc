//! Row-level security and cross-tenant isolation.

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
use polku::permissions::Role;
use polku_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

const TENANT_TABLES: [&str; 32] = [
    "organisations",
    "units",
    "users",
    "user_units",
    "sessions",
    "refresh_tokens",
    "password_tokens",
    "recovery_codes",
    "api_clients",
    "audit_events",
    "audit_seals",
    "audit_retention_seals",
    "clients",
    "client_history_entries",
    "client_changes",
    "client_name_words",
    "consents",
    "consent_withdrawals",
    "code_values",
    "assessment_instruments",
    "assessment_criteria",
    "periods",
    "period_goals",
    "goal_follow_ups",
    "diary_entries",
    "period_agreements",
    "assessments",
    "assessment_scores",
    "period_reports",
    "attendance_groups",
    "attendance_group_members",
    "attendance",
];

#[derive(QueryableByName)]
struct Table {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    rls: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    forced: bool,
}

/// Every table with an `organisation_id` (partitions aside: the runtime role reaches them
/// only through their parent) is a tenant table with row-level security forced.
#[tokio::test]
async fn every_table_with_an_organisation_has_forced_row_level_security() {
    let app = TestApp::spawn().await;
    let mut db = app.superuser().await;
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT c.relname::text AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid
                       AND a.attname = 'organisation_id' AND NOT a.attisdropped)
         ORDER BY 1",
    )
    .load(&mut db)
    .await
    .unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    for table in &tables {
        if table.name == "login_directory" || table.name == "login_throttle" {
            continue; // looked up before anyone is authenticated; no client data
        }
        assert!(
            TENANT_TABLES.contains(&table.name.as_str()),
            "{} is not in TENANT_TABLES",
            table.name
        );
        assert!(
            table.rls && table.forced,
            "{}: row-level security not forced",
            table.name
        );
    }
    assert!(names.contains(&"clients") && names.contains(&"audit_events"));
}

#[tokio::test]
async fn the_runtime_role_sees_no_rows_without_a_tenant_and_only_its_own_with_one() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    for org in [&a, &b] {
        let user = app.user(org, &[Role::Admin, Role::Coach]).await;
        let session = app.session(&user).await;
        client_records(&app, &session.access_token, org).await;
    }
    let mut conn = app.runtime_role().await;
    for table in TENANT_TABLES {
        let all: Count = diesel::sql_query(format!("SELECT count(*) AS count FROM {table}"))
            .get_result(&mut conn)
            .await
            .unwrap();
        assert_eq!(all.count, 0, "{table} without a tenant");
    }
    for (mine, theirs) in [(&a, &b), (&b, &a)] {
        let counts = conn
            .transaction(async |conn| {
                polku::db::set_organisation(conn, mine.id).await?;
                let mut out = Vec::new();
                for table in TENANT_TABLES {
                    let column = if table == "organisations" {
                        "id"
                    } else {
                        "organisation_id"
                    };
                    let foreign: Count = diesel::sql_query(format!(
                        "SELECT count(*) AS count FROM {table} WHERE {column} IS DISTINCT FROM '{}'",
                        mine.id
                    ))
                    .get_result(conn)
                    .await?;
                    let own: Count = diesel::sql_query(format!("SELECT count(*) AS count FROM {table}"))
                        .get_result(conn)
                        .await?;
                    out.push((table, foreign.count, own.count));
                }
                diesel::QueryResult::Ok(out)
            })
            .await
            .unwrap();
        for (table, foreign, own) in counts {
            assert_eq!(foreign, 0, "{table}: {} sees {}'s rows", mine.id, theirs.id);
            if ![
                "password_tokens",
                "recovery_codes",
                "api_clients",
                "audit_seals",
                "audit_retention_seals",
            ]
            .contains(&table)
            {
                assert!(own > 0, "{table}: own rows visible");
            }
        }
    }
    // The setting is transaction-local: nothing leaks to the connection's next user.
    let after: Count = diesel::sql_query("SELECT count(*) AS count FROM users")
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(after.count, 0);
}

#[tokio::test]
async fn the_runtime_role_cannot_write_into_another_tenant_or_bypass_the_policy() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    let mut conn = app.runtime_role().await;
    let result = conn
        .transaction(async |conn| {
            polku::db::set_organisation(conn, a.id).await?;
            conn.batch_execute(&format!(
                "INSERT INTO units (id, organisation_id, name) VALUES (gen_random_uuid(), '{}', 'Soluttautuja')",
                b.id
            ))
            .await
        })
        .await;
    assert!(
        result.is_err(),
        "an insert into another tenant violates the policy"
    );
    let mut conn = app.runtime_role().await;
    assert!(
        conn.batch_execute("SET row_security = off; SELECT * FROM users")
            .await
            .is_err()
    );
    let mut conn = app.runtime_role().await;
    assert!(
        conn.batch_execute("ALTER TABLE users DISABLE ROW LEVEL SECURITY")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn audit_events_are_append_only_for_the_runtime_role() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    app.session(&app.user(&org, &[Role::Coach]).await).await;
    for statement in [
        "UPDATE audit_events SET action = 'nothing'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let mut conn = app.runtime_role().await;
        let result = conn
            .transaction(async |conn| {
                polku::db::set_organisation(conn, org.id).await?;
                conn.batch_execute(statement).await
            })
            .await;
        assert!(result.is_err(), "{statement}");
    }
    // Even the owner's trigger refuses changes.
    let mut db = app.superuser().await;
    assert!(
        db.batch_execute("UPDATE audit_events SET action = 'nothing'")
            .await
            .is_err()
    );
}

/// Every endpoint that takes an id, asked by organisation B's admin about organisation A's
/// object, answers 404 exactly like a missing id — and A's object is unchanged.
#[tokio::test]
async fn another_organisations_objects_are_404_and_never_listed() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    let a_admin = app.sign_in(&a, &[Role::Admin]).await;
    let a_user = app.user(&a, &[Role::Coach]).await;
    let a_session = app.session(&a_user).await;
    let b_admin = app.sign_in(&b, &[Role::Admin]).await;

    let user = a_user.id;
    let unit = a.unit_id;
    let missing = uuid::Uuid::now_v7();
    let probes: Vec<(Method, String, Value)> = vec![
        (Method::GET, format!("/api/v1/admin/users/{user}"), json!(null)),
        (
            Method::PATCH,
            format!("/api/v1/admin/users/{user}"),
            json!({"display_name": "Kaapattu"}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{user}/deactivate"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{user}/end-sessions"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{user}/password-link"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{user}/reset-mfa"),
            json!({}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/units/{unit}"),
            json!({"name": "Kaapattu"}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/units/{unit}/close"),
            json!({}),
        ),
    ];
    for (method, path, body) in &probes {
        let foreign = b_admin.send(method.clone(), path, body).await;
        let absent_path = path
            .replace(&user.to_string(), &missing.to_string())
            .replace(&unit.to_string(), &missing.to_string());
        let absent = b_admin.send(method.clone(), &absent_path, body).await;
        assert_eq!(foreign.0, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(
            foreign, absent,
            "{method} {path}: foreign and missing look the same"
        );
    }
    // B's admin cannot put A's unit on B's user either.
    let (status, _) = b_admin
        .post(
            "/api/v1/admin/users",
            &json!({"email": "b@b.test", "display_name": "B", "roles": ["coach"], "unit_ids": [unit]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Nothing of A's in B's lists.
    for path in [
        "/api/v1/admin/users?limit=200",
        "/api/v1/units?include_closed=true",
    ] {
        let (status, page) = b_admin.get(path).await;
        assert_eq!(status, StatusCode::OK);
        let text = page.to_string();
        assert!(
            !text.contains(&a_user.id.to_string()) && !text.contains(&a.unit_id.to_string()),
            "{path}: {text}"
        );
    }
    // A's things are untouched.
    assert_eq!(
        app.get_as(&a_session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );
    let (_, a_user_now) = a_admin.get(&format!("/api/v1/admin/users/{user}")).await;
    assert_eq!(a_user_now["display_name"], "Testi Käyttäjä");
    let (_, units) = a_admin.get("/api/v1/units").await;
    assert_eq!(units["items"].as_array().unwrap().len(), 2);
}

/// One record of every kind of client data, made through the API.
async fn client_records(app: &TestApp, token: &str, org: &polku_tests::fixtures::Org) {
    use reqwest::Method;
    let client = app.client(token, org.unit_id, "Vuokralainen").await;
    let post = |path: String, body: serde_json::Value| async move {
        let (status, body) = app.send_as(token, Method::POST, &path, &body).await;
        assert!(status.is_success(), "{path}: {body}");
        body["id"].as_str().map(str::to_owned).unwrap_or_default()
    };
    post(
        format!("/api/v1/clients/{client}/history"),
        serde_json::json!({"kind": "work", "occupation": "Kokki"}),
    )
    .await;
    let consent = post(
        format!("/api/v1/clients/{client}/consents"),
        serde_json::json!({"kind": "processing", "given_how": "written"}),
    )
    .await;
    post(
        format!("/api/v1/clients/{client}/consents/{consent}/withdraw"),
        serde_json::json!({"requested_how": "written"}),
    )
    .await;
    let period = post(
        format!("/api/v1/clients/{client}/periods"),
        serde_json::json!({"service_type": "ktt", "starts_on": "2026-01-05", "unit_id": org.unit_id}),
    )
    .await;
    let pp = format!("/api/v1/periods/{period}");
    let goal = post(format!("{pp}/goals"), serde_json::json!({"title": "Tavoite"})).await;
    post(
        format!("{pp}/goals/{goal}/follow-ups"),
        serde_json::json!({"note": "Hyvin"}),
    )
    .await;
    post(format!("{pp}/diary"), serde_json::json!({"body": "Päivä"})).await;
    post(
        format!("{pp}/agreements"),
        serde_json::json!({"kind": "activity"}),
    )
    .await;
    post(format!("{pp}/reports"), serde_json::json!({"kind": "interim"})).await;
    let group = post(
        "/api/v1/attendance-groups".to_owned(),
        serde_json::json!({"unit_id": org.unit_id, "name": "Aamuryhmä", "period_ids": [period]}),
    )
    .await;
    let (status, day) = app
        .send_as(
            token,
            Method::PUT,
            &format!("/api/v1/attendance/{group}/2026-01-05"),
            &serde_json::json!({"entries": [{"period_id": period, "status": "present", "hours": 5}]}),
        )
        .await;
    assert!(status.is_success(), "{day}");
    let (_, instruments) = app.get_as(token, "/api/v1/assessment-instruments").await;
    let scores: Vec<serde_json::Value> = instruments[0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::json!({"criterion_id": c["id"], "score": 3}))
        .collect();
    post(
        format!("{pp}/assessments"),
        serde_json::json!({"instrument_id": instruments[0]["id"], "scores": scores}),
    )
    .await;
    let (status, _) = app
        .send_as(
            token,
            Method::PATCH,
            &format!("/api/v1/clients/{client}"),
            &serde_json::json!({"profession": "Kokki"}),
        )
        .await;
    assert!(status.is_success());
}
