//! The demo organisation of `polku serve --demo`: a working day's clients and records in
//! two units — every period state, consents expiring and withdrawn, six weeks of
//! attendance — encrypted with the instance's keys, and the same every time.

use chrono::{Datelike, Days, NaiveDate};
use polku::clients::fields::Sealer;
use polku::config::Settings;
use polku::seed::working_day::Summary;
use polku_tests::TestApp;
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::Value;

/// Seeds the demo into `app`'s database as `serve --demo` does, for `today`; returns the
/// logins text and what was made.
async fn seed_demo(app: &TestApp, today: NaiveDate) -> (String, Summary) {
    // The app's own keys: its encryption key, and its lookup key in its data directory.
    let settings = Settings {
        encryption_key: Some(SecretString::from(app.encryption_key.clone())),
        data_dir: app.frontend_dir.join("data"),
        ..Settings::default()
    };
    let cipher = polku::keys::cipher(&settings).expect("cipher");
    let lookup = polku::keys::lookup_key(&settings).expect("lookup key");
    let sealer = Sealer {
        cipher: &cipher,
        lookup: &lookup,
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut conn = app.runtime_role().await;
    polku::seed::demo(&mut conn, &dir.path().join("logins.txt"), sealer, today)
        .await
        .expect("demo")
}

fn password_of<'a>(logins: &'a str, login: &str) -> &'a str {
    logins
        .lines()
        .find(|line| line.split_whitespace().next() == Some(login))
        .and_then(|line| line.split_whitespace().nth(1))
        .expect("login in the text")
}

async fn token(app: &TestApp, logins: &str, login: &str) -> String {
    let response = app.login(login, password_of(logins, login)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    body["access_token"].as_str().expect("token").to_owned()
}

fn helsinki_today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Helsinki)
        .date_naive()
}

#[tokio::test]
async fn the_demo_shows_a_working_day_in_every_list() {
    let app = TestApp::spawn().await;
    let today = helsinki_today();
    let (logins, made) = seed_demo(&app, today).await;
    for login in [
        "admin@demo.polku.fi",
        "coach@demo.polku.fi",
        "kotoutus@demo.polku.fi",
        "manager@demo.polku.fi",
        "dpo@demo.polku.fi",
    ] {
        assert!(logins.contains(login), "{login} in {logins}");
    }
    let demo = "(SELECT id FROM organisations WHERE is_demo)";

    // Sixty clients in the two units, identity codes only temporary, a few bank accounts.
    assert_eq!(made.clients, 60);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM clients WHERE organisation_id IN {demo}"
        ))
        .await,
        60
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(DISTINCT u.name) AS n FROM clients c JOIN units u ON u.id = c.unit_id \
             WHERE c.organisation_id IN {demo} AND u.name IN ('Työllisyyspalvelut', 'Kotoutumispalvelut')"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM clients WHERE organisation_id IN {demo} \
             AND identity_code_hash IS NOT NULL AND identity_code_temporary IS NOT TRUE"
        ))
        .await,
        0,
        "only temporary identity codes"
    );
    let ibans = app
        .count(&format!(
            "SELECT count(*) AS n FROM clients WHERE organisation_id IN {demo} AND iban_encrypted IS NOT NULL"
        ))
        .await;
    assert!((3..60).contains(&ibans), "{ibans} bank accounts");
    let newcomers = app
        .count(&format!(
            "SELECT count(*) AS n FROM clients WHERE organisation_id IN {demo} AND mother_tongue NOT IN ('fi', 'sv')"
        ))
        .await;
    let swedish = app
        .count(&format!(
            "SELECT count(*) AS n FROM clients WHERE organisation_id IN {demo} AND mother_tongue = 'sv'"
        ))
        .await;
    assert!(
        newcomers >= 20 && swedish >= 3,
        "{newcomers} newcomers, {swedish} Swedish-speaking"
    );

    // KTT, work trial, coaching and workshop periods, each in every state.
    let states = app
        .count(&format!(
            "SELECT count(DISTINCT (service_type, CASE \
                 WHEN ends_on IS NOT NULL THEN 'closed' \
                 WHEN starts_on > DATE '{today}' THEN 'upcoming' \
                 WHEN planned_end_on < DATE '{today}' THEN 'overdue' \
                 WHEN planned_end_on <= DATE '{today}' + 14 THEN 'ending_soon' \
                 ELSE 'ongoing' END)) AS n \
             FROM periods WHERE organisation_id IN {demo} \
             AND service_type IN ('ktt', 'work_trial', 'coaching', 'workshop')"
        ))
        .await;
    assert_eq!(states, 20, "4 service types × 5 states");
    assert_eq!(
        app.count(&format!(
            "SELECT count(DISTINCT outcome) AS n FROM periods WHERE organisation_id IN {demo} AND ends_on IS NOT NULL"
        ))
        .await,
        5,
        "every outcome class"
    );

    // What is documented in them.
    let count_of = |table: &str| format!("SELECT count(*) AS n FROM {table} WHERE organisation_id IN {demo}");
    assert_eq!(
        app.count(&format!(
            "SELECT count(DISTINCT status) AS n FROM period_goals WHERE organisation_id IN {demo}"
        ))
        .await,
        4
    );
    assert!(app.count(&count_of("goal_follow_ups")).await > 20);
    let month_of_diary = app
        .count(&format!(
            "SELECT count(DISTINCT entry_date) AS n FROM diary_entries WHERE organisation_id IN {demo} \
             AND entry_date >= DATE '{today}' - 30"
        ))
        .await;
    assert!(
        month_of_diary >= 18,
        "diary on {month_of_diary} days of the last month"
    );
    assert!(
        app.count(&format!(
            "SELECT count(*) AS n FROM diary_entries WHERE organisation_id IN {demo} \
             AND sensitive AND body IS NULL AND body_encrypted IS NOT NULL"
        ))
        .await
            >= 1,
        "sensitive entries are encrypted"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(DISTINCT state) AS n FROM period_agreements WHERE organisation_id IN {demo}"
        ))
        .await,
        3,
        "draft, signed and ended agreements"
    );
    assert!(
        app.count(&format!(
            "SELECT count(*) AS n FROM (SELECT period_id FROM assessments WHERE organisation_id IN {demo} \
             GROUP BY period_id HAVING count(*) >= 3) lines"
        ))
        .await
            >= 10,
        "assessments over time (charts with lines)"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(DISTINCT (kind, state)) AS n FROM period_reports WHERE organisation_id IN {demo}"
        ))
        .await,
        4,
        "interim and final reports, draft and final"
    );
    assert_eq!(
        app.count(&count_of("consent_withdrawals")).await,
        1,
        "one withdrawn consent"
    );
    assert_eq!(app.count(&count_of("attendance_groups")).await, 3);

    // Six weeks of attendance, up to yesterday (today is the coach's to mark).
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM attendance WHERE organisation_id IN {demo} AND on_date >= DATE '{today}'"
        ))
        .await,
        0
    );
    let weeks = app
        .count(&format!(
            "SELECT count(DISTINCT date_trunc('week', on_date)) AS n FROM attendance \
             WHERE organisation_id IN {demo} AND on_date >= DATE '{today}' - 42"
        ))
        .await;
    assert!(weeks >= 6, "{weeks} weeks marked");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM attendance a WHERE organisation_id IN {demo} AND NOT EXISTS \
             (SELECT 1 FROM attendance_group_members m WHERE m.period_id = a.period_id)"
        ))
        .await,
        0,
        "marks are of the groups' members"
    );

    // What was created is in the access log, as the API would have logged it.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_events WHERE organisation_id IN {demo} \
             AND category = 'client' AND action = 'create' AND resource_type = 'client'"
        ))
        .await,
        60
    );
    assert!(
        app.count(&format!(
            "SELECT count(DISTINCT resource_type) AS n FROM audit_events WHERE organisation_id IN {demo} \
             AND category = 'client' AND action = 'create'"
        ))
        .await
            >= 10
    );

    // The lists the home page, the consents and the allowance report show have content.
    let manager = token(&app, &logins, "manager@demo.polku.fi").await;
    let (status, attention) = app.get_as(&manager, "/api/v1/periods/attention").await;
    assert_eq!(status, StatusCode::OK, "{attention}");
    let mut reasons: Vec<&str> = attention
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["reason"].as_str())
        .collect();
    reasons.sort_unstable();
    reasons.dedup();
    assert_eq!(
        reasons,
        ["activation_plan_review", "ending_soon", "final_statement_missing"]
    );
    let (status, expiring) = app.get_as(&manager, "/api/v1/consents/expiring").await;
    assert_eq!(status, StatusCode::OK, "{expiring}");
    assert!(
        expiring["items"].as_array().expect("items").len() >= 3,
        "{expiring}"
    );
    let (status, missing) = app.get_as(&manager, "/api/v1/consents/missing-processing").await;
    assert_eq!(status, StatusCode::OK, "{missing}");
    assert!(
        !missing["items"].as_array().expect("items").is_empty(),
        "{missing}"
    );
    let last_month = today
        .with_day(1)
        .and_then(|first| first.checked_sub_days(Days::new(1)))
        .expect("last month");
    let (status, report) = app
        .get_as(
            &manager,
            &format!("/api/v1/allowances?month={}", last_month.format("%Y-%m")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report["rows"].as_array().expect("rows").len() >= 5, "{report}");
    assert!(report["payable_days"].as_i64().expect("days") > 50, "{report}");

    // The coach's own periods, and a revealed identity code that is valid and temporary.
    let coach = token(&app, &logins, "coach@demo.polku.fi").await;
    let (status, mine) = app.get_as(&coach, "/api/v1/periods?mine=true&limit=100").await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert!(mine["items"].as_array().expect("items").len() >= 30, "{mine}");
    let (status, clients) = app.get_as(&coach, "/api/v1/clients?limit=100").await;
    assert_eq!(status, StatusCode::OK, "{clients}");
    let items = clients["items"].as_array().expect("items");
    assert_eq!(items.len(), 40, "the coach sees the employment services' clients");
    let with_iban = items
        .iter()
        .find(|client| !client["iban"].is_null())
        .expect("a client with a bank account");
    let (status, revealed) = app
        .get_as(
            &coach,
            &format!(
                "/api/v1/clients/{}?reveal=personal_identity_code,iban",
                with_iban["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{revealed}");
    let code: polku::domain::identity_code::PersonalIdentityCode = revealed["personal_identity_code"]
        .as_str()
        .expect("code")
        .parse()
        .expect("a valid identity code");
    assert!(code.is_temporary());
    assert!(
        revealed["iban"]
            .as_str()
            .expect("iban")
            .replace(' ', "")
            .parse::<polku::domain::iban::Iban>()
            .is_ok()
    );
}

/// The content of the demo, without ids, keys and timestamps.
async fn fingerprint(app: &TestApp) -> Vec<String> {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    let queries = [
        "SELECT concat_ws('|', c.first_names, c.last_name, c.identity_code_prefix, c.birth_date, c.gender, \
             c.street_address, c.postal_code, c.home_municipality, c.phone, c.email, c.iban_masked, \
             c.mother_tongue, c.nationality, c.education_level, c.referrer, u.name) AS line \
         FROM clients c JOIN units u ON u.id = c.unit_id",
        "SELECT concat_ws('|', c.last_name, c.first_names, p.service_type, p.notified_on, p.starts_on, \
             p.planned_end_on, p.ends_on, p.outcome, p.outcome_code, p.mode, p.days_per_week, p.hours_per_day, \
             p.weekdays::text, p.workplace) AS line FROM periods p JOIN clients c ON c.id = p.client_id",
        "SELECT concat_ws('|', c.last_name, g.title, g.status, g.position) AS line \
         FROM period_goals g JOIN clients c ON c.id = g.client_id",
        "SELECT concat_ws('|', c.last_name, d.entry_date, d.body, d.sensitive) AS line \
         FROM diary_entries d JOIN clients c ON c.id = d.client_id",
        "SELECT concat_ws('|', c.last_name, a.assessed_on, a.assessor, \
             (SELECT string_agg(s.score::text, ',' ORDER BY k.position) FROM assessment_scores s \
              JOIN assessment_criteria k ON k.id = s.criterion_id WHERE s.assessment_id = a.id)) AS line \
         FROM assessments a JOIN clients c ON c.id = a.client_id",
        "SELECT concat_ws('|', c.last_name, r.kind, r.state, r.recommendation) AS line \
         FROM period_reports r JOIN clients c ON c.id = r.client_id",
        "SELECT concat_ws('|', c.last_name, k.kind, k.recipient, k.given_how, k.given_at, k.valid_until, \
             w.requested_at IS NOT NULL) AS line \
         FROM consents k JOIN clients c ON c.id = k.client_id LEFT JOIN consent_withdrawals w ON w.consent_id = k.id",
        "SELECT concat_ws('|', c.last_name, a.on_date, a.status, a.hours, a.absence_reason, g.name) AS line \
         FROM attendance a JOIN clients c ON c.id = a.client_id \
         JOIN attendance_group_members m ON m.period_id = a.period_id \
         JOIN attendance_groups g ON g.id = m.group_id",
    ];
    let mut conn = app.superuser().await;
    let mut lines = Vec::new();
    for query in queries {
        let mut rows: Vec<Line> = diesel::sql_query(query)
            .load(&mut conn)
            .await
            .expect("fingerprint");
        let mut part: Vec<String> = rows.drain(..).map(|row| row.line).collect();
        part.sort();
        lines.extend(part);
    }
    lines
}

#[tokio::test]
async fn the_demo_is_the_same_every_time() {
    // Any day will do: dates follow it.
    let today = NaiveDate::from_ymd_opt(2026, 3, 18).expect("date");
    let first = TestApp::spawn().await;
    let second = TestApp::spawn().await;
    let (_, made_first) = seed_demo(&first, today).await;
    let (_, made_second) = seed_demo(&second, today).await;
    assert_eq!(made_first, made_second);
    let (a, b) = (fingerprint(&first).await, fingerprint(&second).await);
    assert!(a.len() > 1000, "{} lines", a.len());
    assert_eq!(a, b);

    // A day later, the same people with their dates a day later.
    let third = TestApp::spawn().await;
    let (_, made_third) = seed_demo(&third, today.succ_opt().expect("date")).await;
    assert_eq!(made_third.clients, made_first.clients);
    assert_eq!(fingerprint(&third).await[..60], a[..60], "the same clients");
}
