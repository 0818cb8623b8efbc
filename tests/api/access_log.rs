//! The access log and disclosure log: the exact event of every client-data endpoint, fail
//! closed, append-only, tamper evidence, reports, and reading the log is logged.

use std::collections::{BTreeMap, BTreeSet};

use diesel_async::SimpleAsyncConnection;
use polku::audit::chain;
use polku::permissions::Role;
use polku_tests::caller::Caller;
use polku_tests::fixtures::content_type;
use polku_tests::world::{Staff, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

async fn world() -> World {
    World::builder("Lokikunta")
        .with(&[Staff::OtherCoach, Staff::Dpo])
        .spawn()
        .await
}

/// Sends a request as `who` and returns status, body and the events it wrote.
async fn call(
    w: &World,
    who: &Caller<'_>,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, String, Vec<Value>) {
    let mut request = who.request(method, path);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap()
        .to_owned();
    let text = response.text().await.unwrap();
    let events = w.app.events_of_request(w.org.id, &request_id).await;
    (status, text, events)
}

fn ids(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Whether a spec operation reads or writes client data.
fn touches_client_data(path: &str) -> bool {
    path.starts_with("/api/v1/clients")
        || path.starts_with("/api/v1/consents")
        || path.starts_with("/api/v1/periods")
        || path.starts_with("/api/v1/audit/clients/")
        || path.starts_with("/api/v1/attendance")
        || path.starts_with("/api/v1/allowances")
        || path == "/api/v1/units/{unit_id}/regularity"
}

/// For every operation in the spec that touches client data, the exact event it writes.
/// A new client endpoint without a row here fails the test.
#[tokio::test]
async fn every_client_data_endpoint_writes_its_exact_event() {
    let w = world().await;
    let coach = w.coach();
    let dpo = w.dpo();
    let org = &w.org;
    let client = coach.client(org.unit_id, "Virtanen").await;
    let c = client.to_string();

    let spec = serde_json::to_value(polku::startup::spec()).unwrap();
    let mut in_spec = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if touches_client_data(path) {
            for method in item.as_object().unwrap().keys() {
                in_spec.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }

    let mut covered = BTreeSet::new();
    let mut check = |key: &str, status: StatusCode, expected: StatusCode, events: &[Value]| -> Value {
        covered.insert(key.to_owned());
        assert_eq!(status, expected, "{key}");
        assert_eq!(events.len(), 1, "{key} writes exactly one event: {events:?}");
        events[0].clone()
    };

    // Create.
    let body = json!({"unit_id": org.unit_id, "first_names": "Aino", "last_name": "Lahtinen",
                      "personal_identity_code": "010594Y9032", "iban": "FI21 1234 5600 0007 85"});
    let (status, text, events) = call(&w, &coach, Method::POST, "/api/v1/clients", Some(&body)).await;
    let e = check("POST /api/v1/clients", status, StatusCode::CREATED, &events);
    let created: Value = serde_json::from_str(&text).unwrap();
    let new_id = created["id"].as_str().unwrap();
    assert_eq!(e["category"], "client");
    assert_eq!(e["action"], "create");
    assert_eq!(e["actor_user_id"], coach.id().to_string());
    assert_eq!(ids(&e["client_ids"]), vec![new_id]);
    assert_eq!(e["resource_type"], "client");
    assert_eq!(ids(&e["resource_ids"]), vec![new_id]);
    assert_eq!(
        e["fields"],
        json!([
            "unit_id",
            "first_names",
            "last_name",
            "personal_identity_code",
            "birth_date",
            "iban"
        ])
    );
    assert!(!e.to_string().contains("9032"), "no values in the log");
    assert_eq!(e["organisation_id"], org.id.to_string());
    assert!(e["source_address"].as_str().is_some_and(|a| !a.is_empty()));
    assert!(!text.is_empty());

    // List: one event naming every client shown.
    let (status, text, events) = call(&w, &coach, Method::GET, "/api/v1/clients", None).await;
    let e = check("GET /api/v1/clients", status, StatusCode::OK, &events);
    let page: Value = serde_json::from_str(&text).unwrap();
    let shown: BTreeSet<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(shown.len(), 2);
    assert_eq!(ids(&e["client_ids"]).into_iter().collect::<BTreeSet<_>>(), shown);
    assert_eq!(e["action"], "read");

    // Read one.
    let path = format!("/api/v1/clients/{c}");
    let (status, _, events) = call(&w, &coach, Method::GET, &path, None).await;
    let e = check("GET /api/v1/clients/{id}", status, StatusCode::OK, &events);
    assert_eq!(
        (e["action"].as_str(), e["reason"].clone()),
        (Some("read"), Value::Null)
    );
    assert_eq!(ids(&e["client_ids"]), vec![c.clone()]);
    assert_eq!(e["details"], json!({}));

    // Update: the names of the fields changed, never their values.
    let (status, _, events) = call(
        &w,
        &coach,
        Method::PATCH,
        &path,
        Some(&json!({"last_name": "Salainen-Uusi"})),
    )
    .await;
    let e = check("PATCH /api/v1/clients/{id}", status, StatusCode::OK, &events);
    assert_eq!(e["action"], "update");
    assert_eq!(e["fields"], json!(["last_name"]));
    assert!(!e.to_string().contains("Salainen-Uusi"), "no values in the log");

    // Revealing the identity code is its own action, naming the field revealed.
    let reveal = format!("/api/v1/clients/{new_id}?reveal=personal_identity_code");
    let (status, text, events) = call(&w, &coach, Method::GET, &reveal, None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("010594Y9032"), "{text}");
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0]["action"].as_str(), events[0]["fields"].clone()),
        (Some("reveal"), json!(["personal_identity_code"]))
    );

    // Search by identity code: one event naming every client found, a `lookup` (a use of
    // the identity code, tests/api/identity_lookup.rs).
    let (status, text, events) = call(
        &w,
        &coach,
        Method::POST,
        "/api/v1/clients/search",
        Some(&json!({"personal_identity_code": "010594Y9032"})),
    )
    .await;
    let e = check("POST /api/v1/clients/search", status, StatusCode::OK, &events);
    let page: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(ids(&e["client_ids"]), vec![new_id]);
    assert_eq!(e["action"], "lookup");
    assert_eq!(e["fields"], json!(["personal_identity_code"]));
    assert_eq!(e["details"]["outcome"], "hit");
    assert!(!e.to_string().contains("010594"), "no search terms in the log");

    // Close and reopen.
    let (status, text, events) = call(
        &w,
        &coach,
        Method::POST,
        &format!("{path}/close"),
        Some(&json!({"closed_on": "2026-01-31", "reason": "Siirtyi töihin"})),
    )
    .await;
    let e = check("POST /api/v1/clients/{id}/close", status, StatusCode::OK, &events);
    assert!(text.contains("\"status\":\"closed\""), "{text}");
    assert_eq!(
        (e["action"].as_str(), e["fields"].clone()),
        (Some("update"), json!(["status", "closed_on", "close_reason"]))
    );
    let (status, _, events) = call(
        &w,
        &coach,
        Method::POST,
        &format!("{path}/reopen"),
        Some(&json!({})),
    )
    .await;
    let e = check(
        "POST /api/v1/clients/{id}/reopen",
        status,
        StatusCode::OK,
        &events,
    );
    assert_eq!(e["details"]["status"], "active");

    // Background history: create, list, correct.
    let (status, text, events) = call(
        &w,
        &coach,
        Method::POST,
        &format!("{path}/history"),
        Some(&json!({"kind": "work", "starts_on": "2015-01-01", "occupation": "Kokki"})),
    )
    .await;
    let e = check(
        "POST /api/v1/clients/{id}/history",
        status,
        StatusCode::CREATED,
        &events,
    );
    let entry: Value = serde_json::from_str(&text).unwrap();
    let entry_id = entry["id"].as_str().unwrap().to_owned();
    assert_eq!(e["resource_type"], "history_entry");
    assert_eq!(ids(&e["resource_ids"]), vec![entry_id.clone()]);
    assert_eq!(ids(&e["client_ids"]), vec![c.clone()]);
    assert_eq!(e["fields"], json!(["kind", "starts_on", "occupation"]));
    let (status, _, events) = call(&w, &coach, Method::GET, &format!("{path}/history"), None).await;
    let e = check(
        "GET /api/v1/clients/{id}/history",
        status,
        StatusCode::OK,
        &events,
    );
    assert_eq!(ids(&e["resource_ids"]), vec![entry_id.clone()]);
    assert_eq!(e["action"], "read");
    let (status, _, events) = call(
        &w,
        &coach,
        Method::PATCH,
        &format!("{path}/history/{entry_id}"),
        Some(&json!({"occupation": "Keittiöapulainen", "reason": "Väärä ammattinimike"})),
    )
    .await;
    let e = check(
        "PATCH /api/v1/clients/{id}/history/{entry_id}",
        status,
        StatusCode::OK,
        &events,
    );
    assert_eq!(e["fields"], json!(["occupation"]));
    assert!(!e.to_string().contains("Keittiö"));

    // The rectification history, read by the DPO.
    let (status, text, events) = call(&w, &dpo, Method::GET, &format!("{path}/changes"), None).await;
    let e = check(
        "GET /api/v1/clients/{id}/changes",
        status,
        StatusCode::OK,
        &events,
    );
    let changes: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(changes.as_array().unwrap().len(), 4, "{changes}");
    assert_eq!(e["resource_type"], "client_change");
    assert_eq!(e["resource_ids"].as_array().unwrap().len(), 4);
    assert_eq!(ids(&e["client_ids"]), vec![c.clone()]);

    // Periods and everything documented in them.
    macro_rules! step {
        ($key:expr, $method:expr, $path:expr, $body:expr, $status:expr) => {{
            let (status, text, events) = call(&w, &coach, $method, &$path, $body).await;
            let e = check($key, status, $status, &events);
            assert_eq!(ids(&e["client_ids"]), vec![c.clone()], "{}", $key);
            (e, serde_json::from_str::<Value>(&text).unwrap_or(Value::Null))
        }};
    }
    let today = chrono::Utc::now().date_naive();
    let (e, period) = step!(
        "POST /api/v1/clients/{id}/periods",
        Method::POST,
        format!("{path}/periods"),
        Some(
            &json!({"service_type": "coaching", "starts_on": today - chrono::Days::new(30),
                     "planned_end_on": today + chrono::Days::new(7), "unit_id": org.unit_id})
        ),
        StatusCode::CREATED
    );
    let p = period["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (e["action"].as_str(), e["resource_type"].as_str()),
        (Some("create"), Some("period"))
    );
    assert_eq!(ids(&e["resource_ids"]), vec![p.clone()]);
    let pp = format!("/api/v1/periods/{p}");
    for (key, route) in [
        ("GET /api/v1/clients/{id}/periods", format!("{path}/periods")),
        ("GET /api/v1/periods", "/api/v1/periods".to_owned()),
        (
            "GET /api/v1/periods/attention",
            "/api/v1/periods/attention".to_owned(),
        ),
        ("GET /api/v1/periods/{period_id}", pp.clone()),
    ] {
        let (e, _) = step!(key, Method::GET, route, None, StatusCode::OK);
        assert_eq!(
            (e["action"].as_str(), e["resource_type"].as_str()),
            (Some("read"), Some("period")),
            "{key}"
        );
        assert_eq!(ids(&e["resource_ids"]), vec![p.clone()], "{key}");
    }
    let (e, _) = step!(
        "PATCH /api/v1/periods/{period_id}",
        Method::PATCH,
        pp.clone(),
        Some(&json!({"workplace": "Kahvila Polku"})),
        StatusCode::OK
    );
    assert_eq!(
        (e["action"].as_str(), e["fields"].clone()),
        (Some("update"), json!(["workplace"]))
    );
    assert!(!e.to_string().contains("Kahvila"));

    let (e, goal) = step!(
        "POST /api/v1/periods/{period_id}/goals",
        Method::POST,
        format!("{pp}/goals"),
        Some(&json!({"title": "Päivärytmi"})),
        StatusCode::CREATED
    );
    let g = goal["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (e["resource_type"].as_str(), ids(&e["resource_ids"])),
        (Some("goal"), vec![g.clone()])
    );
    let (e, _) = step!(
        "GET /api/v1/periods/{period_id}/goals",
        Method::GET,
        format!("{pp}/goals"),
        None,
        StatusCode::OK
    );
    assert_eq!(
        (e["action"].as_str(), ids(&e["resource_ids"])),
        (Some("read"), vec![g.clone()])
    );
    let (e, _) = step!(
        "PATCH /api/v1/periods/{period_id}/goals/{goal_id}",
        Method::PATCH,
        format!("{pp}/goals/{g}"),
        Some(&json!({"status": "achieved"})),
        StatusCode::OK
    );
    assert_eq!(
        (e["action"].as_str(), e["fields"].clone()),
        (Some("update"), json!(["status"]))
    );
    let (e, _) = step!(
        "POST /api/v1/periods/{period_id}/goals/{goal_id}/follow-ups",
        Method::POST,
        format!("{pp}/goals/{g}/follow-ups"),
        Some(&json!({"note": "Saavutettu"})),
        StatusCode::CREATED
    );
    assert_eq!(e["resource_type"], "goal_follow_up");

    let (e, entry) = step!(
        "POST /api/v1/periods/{period_id}/diary",
        Method::POST,
        format!("{pp}/diary"),
        Some(&json!({"body": "Hyvä päivä pajalla"})),
        StatusCode::CREATED
    );
    let d = entry["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (e["resource_type"].as_str(), ids(&e["resource_ids"])),
        (Some("diary_entry"), vec![d.clone()])
    );
    assert!(!e.to_string().contains("pajalla"));
    for (key, route) in [
        ("GET /api/v1/periods/{period_id}/diary", format!("{pp}/diary")),
        ("GET /api/v1/clients/{id}/diary", format!("{path}/diary?q=paja")),
    ] {
        let (e, _) = step!(key, Method::GET, route, None, StatusCode::OK);
        assert_eq!(
            (e["action"].as_str(), ids(&e["resource_ids"])),
            (Some("read"), vec![d.clone()]),
            "{key}"
        );
    }
    let (e, _) = step!(
        "PATCH /api/v1/periods/{period_id}/diary/{entry_id}",
        Method::PATCH,
        format!("{pp}/diary/{d}"),
        Some(&json!({"body": "Hyvä päivä"})),
        StatusCode::OK
    );
    assert_eq!(
        (e["action"].as_str(), e["fields"].clone()),
        (Some("update"), json!(["body"]))
    );

    let (e, agreement) = step!(
        "POST /api/v1/periods/{period_id}/agreements",
        Method::POST,
        format!("{pp}/agreements"),
        Some(&json!({"kind": "work", "workplace": "Kahvila"})),
        StatusCode::CREATED
    );
    let a = agreement["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (e["resource_type"].as_str(), ids(&e["resource_ids"])),
        (Some("agreement"), vec![a.clone()])
    );
    let (e, _) = step!(
        "GET /api/v1/periods/{period_id}/agreements",
        Method::GET,
        format!("{pp}/agreements"),
        None,
        StatusCode::OK
    );
    assert_eq!(ids(&e["resource_ids"]), vec![a.clone()]);
    let (e, _) = step!(
        "PATCH /api/v1/periods/{period_id}/agreements/{agreement_id}",
        Method::PATCH,
        format!("{pp}/agreements/{a}"),
        Some(&json!({"tasks": "Tarjoilu"})),
        StatusCode::OK
    );
    assert_eq!(e["fields"], json!(["tasks"]));
    let (e, _) = step!(
        "GET /api/v1/periods/{period_id}/agreements/{agreement_id}/print",
        Method::GET,
        format!("{pp}/agreements/{a}/print"),
        None,
        StatusCode::OK
    );
    assert_eq!(
        (e["action"].as_str(), ids(&e["resource_ids"])),
        (Some("print"), vec![a.clone()])
    );

    let (_, instruments) = coach.get("/api/v1/assessment-instruments").await;
    let instrument = instruments[0].clone();
    let scores: Vec<Value> = instrument["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"criterion_id": c["id"], "score": 3}))
        .collect();
    let (e, assessment) = step!(
        "POST /api/v1/periods/{period_id}/assessments",
        Method::POST,
        format!("{pp}/assessments"),
        Some(&json!({"instrument_id": instrument["id"], "scores": scores})),
        StatusCode::CREATED
    );
    let s = assessment["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (e["resource_type"].as_str(), ids(&e["resource_ids"])),
        (Some("assessment"), vec![s.clone()])
    );
    for (key, route) in [
        (
            "GET /api/v1/periods/{period_id}/assessments",
            format!("{pp}/assessments"),
        ),
        (
            "GET /api/v1/periods/{period_id}/assessments/chart",
            format!(
                "{pp}/assessments/chart?instrument_id={}",
                instrument["id"].as_str().unwrap()
            ),
        ),
    ] {
        let (e, _) = step!(key, Method::GET, route, None, StatusCode::OK);
        assert_eq!(
            (e["action"].as_str(), ids(&e["resource_ids"])),
            (Some("read"), vec![s.clone()]),
            "{key}"
        );
    }

    let (e, report) = step!(
        "POST /api/v1/periods/{period_id}/reports",
        Method::POST,
        format!("{pp}/reports"),
        Some(&json!({"kind": "final"})),
        StatusCode::CREATED
    );
    let r = report["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (e["resource_type"].as_str(), ids(&e["resource_ids"])),
        (Some("report"), vec![r.clone()])
    );
    let (e, _) = step!(
        "GET /api/v1/periods/{period_id}/reports",
        Method::GET,
        format!("{pp}/reports"),
        None,
        StatusCode::OK
    );
    assert_eq!(ids(&e["resource_ids"]), vec![r.clone()]);
    let (e, _) = step!(
        "PATCH /api/v1/periods/{period_id}/reports/{report_id}",
        Method::PATCH,
        format!("{pp}/reports/{r}"),
        Some(&json!({"sections": {"recommendation": "Töihin"}})),
        StatusCode::OK
    );
    assert_eq!(e["fields"], json!(["recommendation"]));
    let (e, _) = step!(
        "POST /api/v1/periods/{period_id}/reports/{report_id}/finalise",
        Method::POST,
        format!("{pp}/reports/{r}/finalise"),
        None,
        StatusCode::OK
    );
    assert_eq!(
        (e["action"].as_str(), e["fields"].clone()),
        (Some("update"), json!(["state"]))
    );
    let (e, second) = step!(
        "POST /api/v1/periods/{period_id}/reports/{report_id}/versions",
        Method::POST,
        format!("{pp}/reports/{r}/versions"),
        None,
        StatusCode::CREATED
    );
    assert_eq!(
        ids(&e["resource_ids"]),
        vec![second["id"].as_str().unwrap().to_owned()]
    );
    let (e, _) = step!(
        "GET /api/v1/periods/{period_id}/reports/{report_id}/print",
        Method::GET,
        format!("{pp}/reports/{r}/print"),
        None,
        StatusCode::OK
    );
    assert_eq!(
        (e["action"].as_str(), ids(&e["resource_ids"])),
        (Some("print"), vec![r.clone()])
    );

    let (e, _) = step!(
        "GET /api/v1/periods/{period_id}/page",
        Method::GET,
        format!("{pp}/page"),
        None,
        StatusCode::OK
    );
    let shown: BTreeSet<String> = ids(&e["resource_ids"]).into_iter().collect();
    assert_eq!(
        shown,
        BTreeSet::from([p.clone(), g.clone(), d.clone(), s.clone()])
    );
    // Attendance: a group of the period, its day marked and read, the month calendars,
    // regularity and the allowance report.
    let (e, group) = step!(
        "POST /api/v1/attendance-groups",
        Method::POST,
        "/api/v1/attendance-groups",
        Some(&json!({"unit_id": org.unit_id, "name": "Aamupaja", "period_ids": [p]})),
        StatusCode::CREATED
    );
    let gr = group["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (
            e["action"].as_str(),
            e["resource_type"].as_str(),
            ids(&e["resource_ids"])
        ),
        (Some("create"), Some("attendance_group"), vec![gr.clone()])
    );
    let (status, _, events) = call(&w, &coach, Method::GET, "/api/v1/attendance-groups", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        events.is_empty(),
        "a list of group names shows no client data: {events:?}"
    );
    let (e, _) = step!(
        "GET /api/v1/attendance-groups/{group_id}",
        Method::GET,
        format!("/api/v1/attendance-groups/{gr}"),
        None,
        StatusCode::OK
    );
    assert_eq!(e["action"], "read");
    let (e, _) = step!(
        "PATCH /api/v1/attendance-groups/{group_id}",
        Method::PATCH,
        format!("/api/v1/attendance-groups/{gr}"),
        Some(&json!({"name": "Aamupaja 2"})),
        StatusCode::OK
    );
    assert_eq!(e["action"], "update");
    let day = format!("/api/v1/attendance/{gr}/{today}");
    // Marking writes the record's event, and the read of every client the answer shows
    // (tests/api/read_logging.rs).
    let (status, text, events) = call(
        &w,
        &coach,
        Method::PUT,
        &day,
        Some(&json!({"entries": [{"period_id": p, "status": "present", "hours": 5}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let sheet: Value = serde_json::from_str(&text).unwrap();
    let record = sheet["rows"][0]["record"]["id"].as_str().unwrap().to_owned();
    let kinds: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e["action"].as_str(),
                e["resource_type"].as_str(),
                ids(&e["client_ids"]),
                ids(&e["resource_ids"]),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                Some("create"),
                Some("attendance"),
                vec![c.clone()],
                vec![record.clone()]
            ),
            (
                Some("read"),
                Some("attendance"),
                vec![c.clone()],
                vec![record.clone()]
            ),
        ]
    );
    check(
        "PUT /api/v1/attendance/{sheet_id}/{date}",
        status,
        StatusCode::OK,
        &events[1..],
    );
    let (e, _) = step!(
        "GET /api/v1/attendance/{sheet_id}/{date}",
        Method::GET,
        day.clone(),
        None,
        StatusCode::OK
    );
    assert_eq!(
        (e["action"].as_str(), ids(&e["resource_ids"])),
        (Some("read"), vec![record.clone()])
    );
    let month = today.format("%Y-%m").to_string();
    let from = today - chrono::Days::new(30);
    for (key, route) in [
        (
            "GET /api/v1/periods/{period_id}/attendance",
            format!("{pp}/attendance?month={month}"),
        ),
        (
            "GET /api/v1/clients/{id}/attendance",
            format!("{path}/attendance?month={month}"),
        ),
        (
            "GET /api/v1/periods/{period_id}/regularity",
            format!("{pp}/regularity?from={from}&to={today}"),
        ),
        (
            "GET /api/v1/clients/{id}/regularity",
            format!("{path}/regularity?from={from}&to={today}"),
        ),
    ] {
        let (e, _) = step!(key, Method::GET, route, None, StatusCode::OK);
        assert_eq!(
            (
                e["action"].as_str(),
                e["resource_type"].as_str(),
                ids(&e["resource_ids"])
            ),
            (Some("read"), Some("attendance"), vec![record.clone()]),
            "{key}"
        );
    }
    let (e, _) = step!(
        "GET /api/v1/units/{unit_id}/regularity",
        Method::GET,
        format!("/api/v1/units/{}/regularity?month={month}", org.unit_id),
        None,
        StatusCode::OK
    );
    assert_eq!(e["action"], "read");
    let manager = w.sign_in(&[Role::Manager]).await;
    let (status, _, events) = call(
        &w,
        &manager,
        Method::GET,
        &format!("/api/v1/allowances?month={month}&format=csv"),
        None,
    )
    .await;
    // A coaching period earns no allowance: the report shows nobody and logs nothing (its
    // export event is asserted in tests/api/attendance.rs).
    assert_eq!(status, StatusCode::OK);
    assert!(events.is_empty(), "{events:?}");

    let (e, _) = step!(
        "POST /api/v1/periods/{period_id}/close",
        Method::POST,
        format!("{pp}/close"),
        Some(&json!({"ends_on": today, "outcome": "education", "closing_note": "Opiskelemaan"})),
        StatusCode::OK
    );
    assert_eq!(
        e["fields"],
        json!(["ends_on", "outcome", "outcome_code", "closing_note"])
    );

    // Consents: give, read (list, one, timeline), print the form, disclose on it, the
    // reports, withdraw.
    let (status, text, events) = call(
        &w,
        &coach,
        Method::POST,
        &format!("{path}/consents"),
        Some(
            &json!({"kind": "disclosure", "recipient": "Kela", "given_how": "written",
                     "data_categories": ["contact_details", "attendance"],
                     "valid_until": (chrono::Utc::now() + chrono::Duration::days(10)).to_rfc3339()}),
        ),
    )
    .await;
    let e = check(
        "POST /api/v1/clients/{id}/consents",
        status,
        StatusCode::CREATED,
        &events,
    );
    let consent: Value = serde_json::from_str(&text).unwrap();
    let consent_id = consent["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (e["action"].as_str(), e["resource_type"].as_str()),
        (Some("create"), Some("consent"))
    );
    assert_eq!(ids(&e["resource_ids"]), vec![consent_id.clone()]);
    assert_eq!(
        e["fields"],
        json!([
            "kind",
            "data_categories",
            "given_at",
            "given_how",
            "valid_from",
            "recipient",
            "valid_until"
        ])
    );
    for (route, key, action) in [
        (
            format!("{path}/consents"),
            "GET /api/v1/clients/{id}/consents",
            "read",
        ),
        (
            format!("{path}/consents/{consent_id}"),
            "GET /api/v1/clients/{id}/consents/{consent_id}",
            "read",
        ),
        (
            format!("{path}/consents/timeline"),
            "GET /api/v1/clients/{id}/consents/timeline",
            "read",
        ),
        (
            format!("{path}/consents/form?lang=sv"),
            "GET /api/v1/clients/{id}/consents/form",
            "print",
        ),
    ] {
        let (status, _, events) = call(&w, &coach, Method::GET, &route, None).await;
        let e = check(key, status, StatusCode::OK, &events);
        assert_eq!(e["action"], action, "{key}");
        assert_eq!(e["resource_type"], "consent", "{key}");
        assert_eq!(ids(&e["resource_ids"]), vec![consent_id.clone()], "{key}");
        assert_eq!(ids(&e["client_ids"]), vec![c.clone()], "{key}");
    }
    let body = json!({"recipient": "Kela", "data_categories": ["attendance", "contact_details"]});
    let (status, _, events) = call(
        &w,
        &coach,
        Method::POST,
        &format!("{path}/disclosures"),
        Some(&body),
    )
    .await;
    let e = check(
        "POST /api/v1/clients/{id}/disclosures",
        status,
        StatusCode::CREATED,
        &events,
    );
    assert_eq!(
        (e["category"].as_str(), e["action"].as_str()),
        (Some("disclosure"), Some("disclose"))
    );
    assert_eq!(e["recipient"], "Kela");
    assert_eq!(e["consent_id"], consent_id.as_str());
    assert_eq!(e["legal_basis"], Value::Null);
    assert_eq!(e["data_categories"], json!(["attendance", "contact_details"]));
    assert_eq!(ids(&e["client_ids"]), vec![c.clone()]);
    let disclosure_id = e["id"].as_str().unwrap().to_owned();
    // The client's disclosure log: a read of the client's disclosures, each named.
    let (status, text, events) = call(&w, &coach, Method::GET, &format!("{path}/disclosures"), None).await;
    let e = check(
        "GET /api/v1/clients/{id}/disclosures",
        status,
        StatusCode::OK,
        &events,
    );
    assert_eq!(
        (e["action"].as_str(), e["resource_type"].as_str()),
        (Some("read"), Some("disclosure"))
    );
    assert_eq!(ids(&e["resource_ids"]), vec![disclosure_id.clone()]);
    assert_eq!(ids(&e["client_ids"]), vec![c.clone()]);
    let log: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log[0]["id"], disclosure_id.as_str());
    assert_eq!(log[0]["recipient"], "Kela");
    assert_eq!(log[0]["consent_id"], consent_id.as_str());
    let (status, text, events) = call(
        &w,
        &coach,
        Method::GET,
        "/api/v1/consents/missing-processing?limit=200",
        None,
    )
    .await;
    let e = check(
        "GET /api/v1/consents/missing-processing",
        status,
        StatusCode::OK,
        &events,
    );
    let listed: Value = serde_json::from_str(&text).unwrap();
    let shown: BTreeSet<String> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["client_id"].as_str().unwrap().to_owned())
        .collect();
    assert!(shown.contains(&c));
    assert_eq!(ids(&e["client_ids"]).into_iter().collect::<BTreeSet<_>>(), shown);
    let (status, _, events) = call(&w, &coach, Method::GET, "/api/v1/consents/expiring?days=30", None).await;
    let e = check("GET /api/v1/consents/expiring", status, StatusCode::OK, &events);
    assert_eq!(e["resource_type"], "consent");
    assert_eq!(ids(&e["resource_ids"]), vec![consent_id.clone()]);
    assert_eq!(ids(&e["client_ids"]), vec![c.clone()]);
    let (status, text, events) = call(
        &w,
        &coach,
        Method::POST,
        &format!("{path}/consents/{consent_id}/withdraw"),
        Some(&json!({"requested_how": "verbal"})),
    )
    .await;
    let e = check(
        "POST /api/v1/clients/{id}/consents/{consent_id}/withdraw",
        status,
        StatusCode::OK,
        &events,
    );
    assert!(text.contains("\"status\":\"withdrawn\""), "{text}");
    assert_eq!(
        (e["action"].as_str(), e["fields"].clone()),
        (Some("update"), json!(["withdrawal"]))
    );

    // The DPO's access report, JSON and printable.
    for (suffix, format) in [("", "json"), (".html", "html")] {
        let report = format!("/api/v1/audit/clients/{c}/access-report{suffix}");
        let (status, _, events) = call(&w, &dpo, Method::GET, &report, None).await;
        let e = check(
            &format!("GET /api/v1/audit/clients/{{id}}/access-report{suffix}"),
            status,
            StatusCode::OK,
            &events,
        );
        assert_eq!(
            (e["category"].as_str(), e["action"].as_str()),
            (Some("audit"), Some("access_report"))
        );
        assert_eq!(e["actor_user_id"], dpo.id().to_string());
        assert_eq!(ids(&e["client_ids"]), vec![c.clone()]);
        assert_eq!(e["details"]["format"], format);
    }

    // Checked above: the list of groups and an empty allowance report show no client data
    // and write no event.
    covered.insert("GET /api/v1/attendance-groups".to_owned());
    covered.insert("GET /api/v1/allowances".to_owned());
    let missing: Vec<_> = in_spec.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "client-data endpoints without an event assertion: {missing:?}"
    );
}

#[tokio::test]
async fn another_units_client_opens_only_with_a_reason_which_is_logged() {
    let w = world().await;
    let other_coach = w.other_coach();
    let client = w.coach().client(w.org.unit_id, "Nieminen").await;
    let path = format!("/api/v1/clients/{client}");
    let (status, text, events) = call(&w, &other_coach, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(text.contains("access-reason-required"), "{text}");
    assert!(!text.contains("Nieminen"));
    assert!(events.is_empty());
    // Not in the other coach's list either.
    let (_, list) = other_coach.get("/api/v1/clients").await;
    assert_eq!(list["items"], json!([]));

    let with_reason = format!("{path}?access_reason=Sijaisuus%20viikolla%2048");
    let (status, text, events) = call(&w, &other_coach, Method::GET, &with_reason, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("Nieminen"));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["reason"], "Sijaisuus viikolla 48");
    assert_eq!(events[0]["details"]["outside_units"], true);
    assert_eq!(events[0]["actor_user_id"], other_coach.id().to_string());

    // ...and the coach still cannot change it.
    let (status, _) = other_coach
        .send(Method::PATCH, &path, &json!({"last_name": "X"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_failed_log_write_fails_the_request_and_returns_no_client_data() {
    let w = world().await;
    let coach = w.coach();
    let client = coach.client(w.org.unit_id, "Korhonen").await;
    let mut db = w.app.superuser().await;
    db.batch_execute("REVOKE INSERT ON audit_events FROM polku_app")
        .await
        .unwrap();
    for path in [format!("/api/v1/clients/{client}"), "/api/v1/clients".to_owned()] {
        let response = coach.request(Method::GET, &path).send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_server_error(), "{path}: {status}");
        assert!(!text.contains("Korhonen"), "{path}: {text}");
        assert!(!text.contains(&client.to_string()), "{path}: {text}");
    }
    // A write fails whole: no client without its event.
    let (status, _) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "Ei", "last_name": "Tallennu",
                    "birth_date": "1980-05-05"}),
        )
        .await;
    assert!(status.is_server_error());
    db.batch_execute("GRANT INSERT ON audit_events TO polku_app")
        .await
        .unwrap();
    let (_, list) = coach.get("/api/v1/clients").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test]
async fn log_rows_cannot_be_changed_by_the_runtime_role_nor_read_through_partitions() {
    let w = world().await;
    w.coach().client(w.org.unit_id, "Mäkinen").await;
    chain::seal_all(&w.app.pool(), &w.app.audit_key(), &chain::HeadExport::default())
        .await
        .unwrap();
    let partition = format!("audit_events_{}", chrono::Utc::now().format("%Y_%m"));
    let seals = format!("audit_seals_{}", chrono::Utc::now().format("%Y_%m"));
    for statement in [
        "UPDATE audit_events SET action = 'nothing'".to_owned(),
        "DELETE FROM audit_events".to_owned(),
        "TRUNCATE audit_events".to_owned(),
        "UPDATE audit_seals SET seq = seq + 1".to_owned(),
        "DELETE FROM audit_seals".to_owned(),
        format!("SELECT * FROM {partition}"),
        format!("DELETE FROM {partition}"),
        format!("SELECT * FROM {seals}"),
        "SELECT polku_audit_drop_partitions_before('2100-01-01')".to_owned(),
    ] {
        let mut conn = w.app.runtime_role().await;
        let result = diesel_async::AsyncConnection::transaction(&mut conn, async |conn| {
            polku::db::set_organisation(conn, w.org.id).await?;
            conn.batch_execute(&statement).await
        })
        .await;
        assert!(result.is_err(), "the runtime role may not: {statement}");
    }
    let events = w.app.events_where(w.org.id, "category = 'client'").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["action"], "create");
}

/// Edits, deletions and insertions made by the owner, who can switch the trigger off, are
/// caught by `verify`.
#[tokio::test]
async fn verify_finds_the_first_broken_link_after_tampering_by_the_owner() {
    let w = world().await;
    let coach = w.coach();
    let pool = w.app.pool();
    let key = w.app.audit_key();
    let client = coach.client(w.org.unit_id, "Laine").await;
    for _ in 0..3 {
        coach.read_client(client).await;
    }
    let sealed = w.app.seal_everything(w.org.id).await;
    assert!(sealed >= 4, "sealed {sealed}");
    let intact = chain::verify(&pool, &key, w.org.id, None, None).await.unwrap();
    assert!(intact.broken.is_none(), "{intact:?}");
    assert_eq!(intact.events, sealed);
    assert_eq!(intact.unsealed, 0);
    // Sealing again finds nothing new; new events continue the chain.
    assert_eq!(
        chain::seal_organisation(&pool, &key, w.org.id).await.unwrap().0,
        0
    );
    coach.read_client(client).await;
    assert_eq!(
        chain::verify(&pool, &key, w.org.id, None, None)
            .await
            .unwrap()
            .unsealed,
        1
    );
    assert_eq!(w.app.seal_everything(w.org.id).await, 1);
    assert!(
        chain::verify(&pool, &key, w.org.id, None, None)
            .await
            .unwrap()
            .broken
            .is_none()
    );

    let reads = w
        .app
        .events_where(w.org.id, "category = 'client' AND action = 'read'")
        .await;
    let victim = reads[1]["id"].as_str().unwrap().to_owned();
    let partition = format!("audit_events_{}", chrono::Utc::now().format("%Y_%m"));
    let mut owner = w.app.superuser().await;
    owner
        .batch_execute(&format!(
            "SET ROLE polku_owner;
             ALTER TABLE {partition} DISABLE TRIGGER USER;
             UPDATE {partition} SET reason = 'muka sijaisuus' WHERE id = '{victim}';
             ALTER TABLE {partition} ENABLE TRIGGER USER;"
        ))
        .await
        .unwrap();
    let broken = chain::verify(&pool, &key, w.org.id, None, None)
        .await
        .unwrap()
        .broken
        .unwrap();
    assert_eq!(broken.event_id.map(|id| id.to_string()), Some(victim.clone()));
    assert!(broken.problem.contains("edited"), "{broken:?}");

    // A deleted event is a broken link too.
    let victim = reads[0]["id"].as_str().unwrap().to_owned();
    owner
        .batch_execute(&format!(
            "ALTER TABLE {partition} DISABLE TRIGGER USER;
             DELETE FROM {partition} WHERE id = '{victim}';
             ALTER TABLE {partition} ENABLE TRIGGER USER;"
        ))
        .await
        .unwrap();
    let broken = chain::verify(&pool, &key, w.org.id, None, None)
        .await
        .unwrap()
        .broken
        .unwrap();
    assert_eq!(broken.event_id.map(|id| id.to_string()), Some(victim));
    assert!(broken.problem.contains("missing"), "{broken:?}");
}

#[tokio::test]
async fn an_event_slipped_in_behind_the_sealer_is_caught() {
    let w = world().await;
    let pool = w.app.pool();
    let key = w.app.audit_key();
    w.coach().client(w.org.unit_id, "Heikkinen").await;
    assert!(w.app.seal_everything(w.org.id).await >= 1);
    // Only the owner, with the partition's triggers switched off, can choose an event's
    // transaction (the stamping trigger sets it otherwise).
    let partition = format!("audit_events_{}", chrono::Utc::now().format("%Y_%m"));
    let mut owner = w.app.superuser().await;
    owner
        .batch_execute(&format!(
            "SET ROLE polku_owner;
             ALTER TABLE {partition} DISABLE TRIGGER USER;
             INSERT INTO {partition} (id, organisation_id, txid, category, action)
             VALUES (gen_random_uuid(), '{}', 1, 'auth', 'login');
             ALTER TABLE {partition} ENABLE TRIGGER USER;",
            w.org.id
        ))
        .await
        .unwrap();
    let broken = chain::verify(&pool, &key, w.org.id, None, None)
        .await
        .unwrap()
        .broken
        .unwrap();
    assert!(broken.problem.contains("added"), "{broken:?}");
}

#[tokio::test]
async fn the_access_report_lists_reads_from_two_units_and_a_disclosure_and_nothing_foreign() {
    let w = world().await;
    let coach = w.coach();
    let other_coach = w.other_coach();
    let dpo = w.dpo();
    let client = coach.client(w.org.unit_id, "Järvinen").await;
    let path = format!("/api/v1/clients/{client}");
    coach.get(&path).await;
    let (status, _) = other_coach
        .get(&format!("{path}?access_reason=Sijaisuus%20tiistaina"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, consent) = coach
        .give_consent(
            client,
            &json!({"kind": "disclosure", "recipient": "TE-toimisto", "given_how": "written",
                    "data_categories": ["periods"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{consent}");
    let (status, _) = coach
        .disclose(
            client,
            &json!({"recipient": "TE-toimisto", "data_categories": ["periods"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Another organisation, busy with its own client.
    let other = w.app.organisation("Naapurikunta").await;
    let their_coach = w.app.user(&other, &[Role::Coach]).await;
    let their_session = w.app.session(&their_coach).await;
    let their = w.app.by(&their_session);
    let their_client = their.client(other.unit_id, "Vieras").await;
    their.read_client(their_client).await;
    let their_dpo = w.app.sign_in(&other, &[Role::Dpo]).await;
    let (status, _) = their_dpo
        .get(&format!("/api/v1/audit/clients/{client}/access-report"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a foreign client is not found");

    let (status, report) = dpo
        .get(&format!("/api/v1/audit/clients/{client}/access-report"))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["client_name"], "Asiakas Järvinen");
    let processing = report["processing"].as_array().unwrap();
    let readers: BTreeMap<String, Option<String>> = processing
        .iter()
        .filter(|p| p["action"] == "read")
        .map(|p| {
            (
                p["actor"]["id"].as_str().unwrap().to_owned(),
                p["reason"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        readers,
        BTreeMap::from([
            (coach.id().to_string(), None),
            (
                other_coach.id().to_string(),
                Some("Sijaisuus tiistaina".to_owned())
            ),
        ])
    );
    assert!(processing.iter().all(|p| p["actor"]["name"] == "Testi Käyttäjä"));
    assert!(processing.iter().any(|p| p["action"] == "create"));
    let disclosures = report["disclosures"].as_array().unwrap();
    assert_eq!(disclosures.len(), 1);
    assert_eq!(disclosures[0]["recipient"], "TE-toimisto");
    assert_eq!(disclosures[0]["legal_basis"], Value::Null);
    assert_eq!(disclosures[0]["consent_id"], consent["id"]);
    assert_eq!(disclosures[0]["disclosed_by"]["id"], coach.id().to_string());
    let text = report.to_string();
    assert!(!text.contains(&their_coach.id.to_string()) && !text.contains("Vieras"));

    // Printable, in the client's language of service (Swedish here).
    let (status, _) = coach.update_client(client, &json!({"language": "sv"})).await;
    assert_eq!(status, StatusCode::OK);
    let printed = |query: &str| {
        dpo.request(
            Method::GET,
            &format!("/api/v1/audit/clients/{client}/access-report.html{query}"),
        )
        .send()
    };
    let response = printed("").await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("Utlämnande av uppgifter") && html.contains("TE-toimisto"));
    assert!(html.contains("Sijaisuus tiistaina"));
    let english = printed("?lang=en").await.unwrap().text().await.unwrap();
    assert!(english.contains("Disclosures of data"));
}

#[tokio::test]
async fn searching_the_log_is_logged_and_admins_see_only_identity_events() {
    let w = world().await;
    let dpo = w.dpo();
    let client = w.coach().client(w.org.unit_id, "Lehtonen").await;
    let admin = w.sign_in(&[Role::Admin]).await;

    let (status, page) = dpo.get(&format!("/api/v1/audit/events?client_id={client}")).await;
    assert_eq!(status, StatusCode::OK);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["action"], "create");

    let (_, page) = dpo.get("/api/v1/audit/events?category=audit&action=search").await;
    let searches = page["items"].as_array().unwrap();
    assert_eq!(searches.len(), 1, "{page}");
    assert_eq!(searches[0]["actor_user_id"], dpo.id().to_string());
    assert_eq!(searches[0]["details"]["filters"]["client_id"], client.to_string());

    let (status, _) = admin.get("/api/v1/audit/events?category=client").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page) = admin.get("/api/v1/audit/events?limit=200").await;
    assert_eq!(status, StatusCode::OK);
    let categories: BTreeSet<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["category"].as_str().unwrap())
        .collect();
    assert!(categories.contains("auth"));
    assert!(
        categories.iter().all(|c| ["auth", "admin"].contains(c)),
        "{categories:?}"
    );

    // Keyset paging walks every event once, newest first.
    let seen: Vec<(String, String)> = dpo
        .all_pages("/api/v1/audit/events?limit=2")
        .await
        .iter()
        .map(|item| {
            (
                item["occurred_at"].as_str().unwrap().to_owned(),
                item["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let unique: BTreeSet<_> = seen.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(unique.len(), seen.len(), "no event twice");
    assert!(seen.windows(2).all(|pair| pair[0] >= pair[1]), "newest first");

    let (status, body) = dpo.get("/api/v1/audit/events?category=nonsense").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = dpo
        .get(&format!("/api/v1/audit/events?cursor={}", Uuid::now_v7()))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn unusual_access_shows_reads_outside_units_and_busy_days() {
    let w = world().await;
    let coach = w.coach();
    let other_coach = w.other_coach();
    let dpo = w.dpo();
    let admin = w.sign_in(&[Role::Admin]).await;
    let (status, body) = admin
        .update_organisation(&json!({"unusual_access_daily_clients": 2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut clients = Vec::new();
    for name in ["Yksi", "Kaksi", "Kolme"] {
        clients.push(coach.client(w.org.unit_id, name).await);
    }
    for client in &clients {
        coach.read_client(client).await;
    }
    other_coach
        .get(&format!(
            "/api/v1/clients/{}?access_reason=Tarkistus%20pyynnöstä",
            clients[0]
        ))
        .await;
    let (status, report) = dpo.get("/api/v1/audit/unusual-access").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["daily_threshold"], 2);
    let outside = report["outside_units"].as_array().unwrap();
    assert_eq!(outside.len(), 1);
    assert_eq!(outside[0]["user_id"], other_coach.id().to_string());
    assert_eq!(outside[0]["client_id"], clients[0].to_string());
    assert_eq!(outside[0]["reason"], "Tarkistus pyynnöstä");
    let busy = report["busy_days"].as_array().unwrap();
    assert_eq!(busy.len(), 1, "{report}");
    assert_eq!(busy[0]["user_id"], coach.id().to_string());
    assert_eq!(busy[0]["distinct_clients"], 3);

    let (status, _) = dpo
        .get("/api/v1/audit/unusual-access?from=2026-02-01&to=2026-01-01")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_disclosure_needs_a_recipient_a_basis_and_categories() {
    let w = world().await;
    let coach = w.coach();
    let client = coach.client(w.org.unit_id, "Saarinen").await;
    let (status, body) = coach
        .disclose(
            client,
            &json!({"recipient": " ", "legal_basis": "x", "data_categories": []}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: BTreeSet<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from(["recipient", "legal_basis", "data_categories"])
    );
    let (status, _) = coach
        .disclose(
            client,
            &json!({"recipient": "Kela", "legal_basis": "Laki 1", "data_categories": ["gossip"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        w.app
            .events_where(w.org.id, "category = 'disclosure'")
            .await
            .is_empty()
    );
}

/// Every client-data endpoint that takes an id, asked by another organisation about this
/// organisation's client, answers exactly like a missing id, changes nothing and writes
/// nothing to this organisation's log; its lists and searches show nothing of it.
#[tokio::test]
async fn another_organisations_client_is_404_everywhere_and_never_listed() {
    let w = world().await;
    let coach = w.coach();
    let client = coach.client(w.org.unit_id, "Kotimainen").await;
    // Real records of this organisation for every kind of id a path takes.
    let created = async |path: String, body: Value| {
        let (status, body) = coach.post(&path, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{path}: {body}");
        body["id"].as_str().unwrap().to_owned()
    };
    let period = created(
        format!("/api/v1/clients/{client}/periods"),
        json!({"service_type": "workshop", "starts_on": "2026-01-05", "unit_id": w.org.unit_id}),
    )
    .await;
    let pp = format!("/api/v1/periods/{period}");
    let real: Vec<(&str, String)> = vec![
        ("{id}", client.to_string()),
        ("{period_id}", period.clone()),
        (
            "{goal_id}",
            created(format!("{pp}/goals"), json!({"title": "Tavoite"})).await,
        ),
        (
            "{entry_id}",
            created(format!("{pp}/diary"), json!({"body": "Merkintä"})).await,
        ),
        (
            "{agreement_id}",
            created(format!("{pp}/agreements"), json!({"kind": "activity"})).await,
        ),
        (
            "{report_id}",
            created(format!("{pp}/reports"), json!({"kind": "interim"})).await,
        ),
        (
            "{consent_id}",
            created(
                format!("/api/v1/clients/{client}/consents"),
                json!({"kind": "processing", "given_how": "written"}),
            )
            .await,
        ),
        (
            "{group_id}",
            created(
                "/api/v1/attendance-groups".to_owned(),
                json!({"unit_id": w.org.unit_id, "name": "Ryhmä", "period_ids": [period]}),
            )
            .await,
        ),
        ("{sheet_id}", w.org.unit_id.to_string()),
        ("{unit_id}", w.org.unit_id.to_string()),
    ];
    let other = w.app.organisation("Naapurikunta").await;
    let manager = w.app.sign_in(&other, &[Role::Manager]).await;
    let dpo = w.app.sign_in(&other, &[Role::Dpo]).await;
    let before = w.app.events_where(w.org.id, "true").await.len();

    let spec = serde_json::to_value(polku::startup::spec()).unwrap();
    let mut probed = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let takes_an_id = ["{id}", "{period_id}", "{sheet_id}", "{group_id}", "{unit_id}"]
            .iter()
            .any(|name| path.contains(name));
        if !touches_client_data(path) || !takes_an_id {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = match (method.as_str(), path.as_str()) {
                ("PATCH", p) if p.contains("/history/") => json!({"occupation": "Kaapattu"}),
                ("PATCH", "/api/v1/clients/{id}") => json!({"last_name": "Kaapattu"}),
                ("POST", p) if p.ends_with("/disclosures") => {
                    json!({"recipient": "Kela", "legal_basis": "Laki 1", "data_categories": ["identity"]})
                }
                ("POST", p) if p.ends_with("/close") && p.contains("/periods/") => {
                    json!({"ends_on": "2026-02-01", "outcome": "negative"})
                }
                ("POST", p) if p.ends_with("/close") => {
                    json!({"closed_on": "2026-01-01", "reason": "Muutto"})
                }
                ("POST", p) if p.ends_with("/reopen") => json!({}),
                ("POST", p) if p.ends_with("/history") => json!({"kind": "education"}),
                ("POST", p) if p.ends_with("/consents") => {
                    json!({"kind": "processing", "given_how": "written"})
                }
                ("POST", p) if p.ends_with("/withdraw") => json!({"requested_how": "written"}),
                ("POST", p) if p.ends_with("/periods") => {
                    json!({"service_type": "ktt", "starts_on": "2026-01-05", "unit_id": w.org.unit_id})
                }
                ("PATCH", p) if p.ends_with("{period_id}") => json!({"workplace": "Kaapattu"}),
                ("POST", p) if p.ends_with("/goals") => json!({"title": "Kaapattu"}),
                ("PATCH", p) if p.contains("/goals/") => json!({"title": "Kaapattu"}),
                ("POST", p) if p.ends_with("/follow-ups") => json!({"note": "Kaapattu"}),
                ("POST", p) if p.ends_with("/diary") => json!({"body": "Kaapattu"}),
                ("PATCH", p) if p.contains("/diary/") => json!({"body": "Kaapattu", "reason": "Kaappaus"}),
                ("POST", p) if p.ends_with("/agreements") => json!({"kind": "work"}),
                ("PATCH", p) if p.contains("/agreements/") => json!({"tasks": "Kaapattu"}),
                ("POST", p) if p.ends_with("/assessments") => {
                    json!({"instrument_id": Uuid::now_v7(), "scores": []})
                }
                ("POST", p) if p.ends_with("/reports") => json!({"kind": "final"}),
                ("PATCH", p) if p.contains("/reports/") => {
                    json!({"sections": {"recommendation": "Kaapattu"}})
                }
                ("PUT", p) if p.starts_with("/api/v1/attendance/") => {
                    json!({"entries": [{"period_id": period, "status": "present"}]})
                }
                ("PATCH", p) if p.contains("/attendance-groups/") => json!({"name": "Kaapattu"}),
                _ => json!(null),
            };
            let query = if path.ends_with("/chart") {
                format!("?instrument_id={}", Uuid::now_v7())
            } else if path.ends_with("/attendance") || path == "/api/v1/units/{unit_id}/regularity" {
                "?month=2026-01".to_owned()
            } else if path.ends_with("/regularity") {
                "?from=2026-01-01&to=2026-01-31".to_owned()
            } else {
                String::new()
            };
            let with = |ids: &dyn Fn(&str) -> String| {
                let mut out = path.replace("{date}", "2026-01-05");
                for (name, id) in &real {
                    out = out.replace(name, &ids(id));
                }
                format!("{out}{query}")
            };
            let foreign_path = with(&|id| id.to_owned());
            let missing_path = with(&|_| Uuid::now_v7().to_string());
            let who = if path.starts_with("/api/v1/audit/") {
                &dpo
            } else {
                &manager
            };
            let foreign = who.send(method.clone(), &foreign_path, &body).await;
            let missing = who.send(method.clone(), &missing_path, &body).await;
            assert_eq!(foreign.0, StatusCode::NOT_FOUND, "{method} {path}: {}", foreign.1);
            assert_eq!(
                foreign, missing,
                "{method} {path}: foreign and missing look the same"
            );
            probed += 1;
        }
    }
    assert!(probed >= 40, "probed {probed}");
    // Nor can the foreign manager put a client into this organisation's unit.
    let (status, _) = manager
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "Soluttautuja", "last_name": "X",
                    "birth_date": "1980-05-05"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, list) = manager.get("/api/v1/clients?limit=200").await;
    assert_eq!(list["items"], json!([]));
    let (_, events) = dpo.get(&format!("/api/v1/audit/events?client_id={client}")).await;
    assert_eq!(events["items"], json!([]));
    let (_, mine) = coach.read_client(client).await;
    assert_eq!(mine["last_name"], "Kotimainen", "unchanged");
    // Only the coach's own read was added to this organisation's log.
    assert_eq!(w.app.events_where(w.org.id, "true").await.len(), before + 1);
}
