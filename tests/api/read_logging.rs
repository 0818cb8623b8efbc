//! Every response that carries a client's data writes an access-log row naming the
//! client: the day sheet's PUT logs a read of every client it returns (whatever it
//! changed), a writer without read permission gets ids and statuses only, empty sheets
//! answer 200, and every operation of the spec whose response shows a client's name is
//! called and its log row asserted.

use std::collections::BTreeSet;

use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use polku_tests::caller::Caller;
use polku_tests::world::{Staff, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const DAY: &str = "2026-11-02"; // a Monday
const MONTH: &str = "2026-11";

/// A KTT period (Monday to Friday) for `client`, made in SQL; returns its id.
async fn ktt_period(w: &World, client: &str) -> String {
    let mut conn = w.app.superuser().await;
    let (org, unit) = (w.org.id, w.org.unit_id);
    conn.batch_execute(&format!(
        "INSERT INTO periods (id, organisation_id, client_id, service_type, starts_on, unit_id,
                              days_per_week, hours_per_day, weekdays)
         VALUES (gen_random_uuid(), '{org}', '{client}', 'ktt', '2026-01-05', '{unit}', 5, 6, '{{1,2,3,4,5}}')"
    ))
    .await
    .unwrap();
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let row: Id = diesel::sql_query(format!(
        "SELECT id::text AS id FROM periods WHERE client_id = '{client}'"
    ))
    .get_result(&mut conn)
    .await
    .unwrap();
    row.id
}

/// Sends a request and returns status, body and the request's events.
async fn call(
    w: &World,
    who: &Caller<'_>,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value, Vec<Value>) {
    let mut request = who.request(method, path);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body = response.json().await.unwrap_or(Value::Null);
    let events = w.app.events_of_request(w.org.id, &request_id).await;
    (status, body, events)
}

fn client_ids_of(events: &[Value], action: Option<&str>) -> BTreeSet<String> {
    events
        .iter()
        .filter(|e| action.is_none_or(|a| e["action"] == a))
        .flat_map(|e| e["client_ids"].as_array().unwrap().clone())
        .map(|id| id.as_str().unwrap().to_owned())
        .collect()
}

/// The clients whose names a response shows: every object with `first_names` or
/// `last_name`, by its `client_id` (or its `id`, for a client itself).
fn named_clients(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if map.contains_key("first_names") || map.contains_key("last_name") {
                let named = !map.get("first_names").is_none_or(Value::is_null)
                    || !map.get("last_name").is_none_or(Value::is_null);
                if named {
                    let id = map.get("client_id").or_else(|| map.get("id"));
                    out.insert(id.and_then(Value::as_str).unwrap_or("?").to_owned());
                }
            }
            map.values().for_each(|v| named_clients(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| named_clients(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn marking_a_day_logs_a_read_of_every_client_returned() {
    let w = World::builder("Merkintäkunta").spawn().await;
    let coach = w.coach();
    let (a, b) = (
        coach.client(w.org.unit_id, "Ensimmäinen").await.to_string(),
        coach.client(w.org.unit_id, "Toinen").await.to_string(),
    );
    let (pa, pb) = (ktt_period(&w, &a).await, ktt_period(&w, &b).await);
    let marks = json!({"entries": [
        {"period_id": pa, "status": "present", "hours": 5},
        {"period_id": pb, "status": "absent", "absence_reason": "sick"},
    ]});
    let path = format!("/api/v1/attendance/{}/{DAY}", w.org.unit_id);
    let (status, sheet, events) = call(&w, &coach, Method::PUT, &path, Some(&marks)).await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    assert_eq!(sheet["rows"][0]["last_name"], "Ensimmäinen");
    let both = BTreeSet::from([a.clone(), b.clone()]);
    assert_eq!(client_ids_of(&events, Some("read")), both, "{events:?}");
    // The same day again changes nothing, and still shows both: both reads are logged.
    let (status, sheet, events) = call(&w, &coach, Method::PUT, &path, Some(&marks)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sheet["changed"], 0);
    assert_eq!(sheet["rows"].as_array().unwrap().len(), 2);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(client_ids_of(&events, Some("read")), both);
    assert_eq!(events[0]["resource_type"], "attendance");

    // A time clock with `attendance:write` only marks the day and gets ids and statuses,
    // never names; it read nothing, so no read is logged (its change is).
    let clock = w.integrator(&["attendance:write"]).await;
    let marks = json!({"entries": [{"period_id": pa, "status": "present", "hours": 4}]});
    let (status, sheet, events) = call(&w, &clock, Method::PUT, &path, Some(&marks)).await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    let row = &sheet["rows"][0];
    assert_eq!(row["client_id"], a.as_str());
    assert_eq!(row["record"]["status"], "present");
    assert!(!sheet.to_string().contains("Ensimmäinen"), "{sheet}");
    assert!(
        row["first_names"].is_null() && row["last_name"].is_null(),
        "{row}"
    );
    assert_eq!(
        client_ids_of(&events, Some("update")),
        BTreeSet::from([a.clone()])
    );
    assert!(client_ids_of(&events, Some("read")).is_empty(), "{events:?}");
}

#[tokio::test]
async fn an_empty_day_sheet_and_an_empty_units_regularity_answer_200() {
    let w = World::builder("Tyhjäkunta").spawn().await;
    let coach = w.coach();
    let (status, sheet) = coach.sheet(w.org.unit_id, DAY).await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    assert_eq!(sheet["rows"], json!([]));
    let (status, report) = coach
        .get(&format!(
            "/api/v1/units/{}/regularity?month={MONTH}",
            w.org.unit_id
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["periods"], json!([]));
    let (status, group) = coach
        .create_group(&json!({"unit_id": w.org.unit_id, "name": "Tyhjä"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let (status, sheet) = coach.sheet(group["id"].as_str().unwrap(), DAY).await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    assert_eq!(sheet["rows"], json!([]));
    let (status, _) = coach
        .get(&format!(
            "/api/v1/attendance-groups/{}",
            group["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// Whether a schema (resolving `$ref`s) has a client's name among its properties.
fn shows_names(schema: &Value, components: &Value, seen: &mut BTreeSet<String>) -> bool {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let name = reference.rsplit('/').next().unwrap().to_owned();
                return seen.insert(name.clone())
                    && shows_names(&components[name.as_str()], components, seen);
            }
            if map
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| p.contains_key("first_names") || p.contains_key("last_name"))
            {
                return true;
            }
            map.values().any(|v| shows_names(v, components, seen))
        }
        Value::Array(items) => items.iter().any(|v| shows_names(v, components, seen)),
        _ => false,
    }
}

/// Every operation whose success response shows a client's name, from the spec.
fn operations_showing_names() -> BTreeSet<String> {
    let spec = serde_json::to_value(polku::startup::spec()).unwrap();
    let components = &spec["components"]["schemas"];
    let mut found = BTreeSet::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            let shows = operation["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(code, _)| code.starts_with('2'))
                .any(|(_, response)| shows_names(&response["content"], components, &mut BTreeSet::new()));
            if shows {
                found.insert(operation["operationId"].as_str().unwrap().to_owned());
            }
        }
    }
    found
}

/// How the table calls an operation: its id, who calls, how, and the status it answers.
type Row<'w, 'c> = (
    &'static str,
    &'c Caller<'w>,
    Method,
    String,
    Option<Value>,
    StatusCode,
);

/// Calls every operation of the spec whose response shows a client's name and asserts
/// that the call logged every client it showed. An operation in the spec without a row in
/// this table fails the test, so a new endpoint cannot skip its log.
#[tokio::test]
async fn every_operation_that_shows_client_names_logs_every_client_shown() {
    let w = World::builder("Nimikunta").with(&[Staff::Manager]).spawn().await;
    let coach = w.coach();
    let manager = w.manager();
    let unit = w.org.unit_id;
    let client = coach.client(unit, "Nimellinen").await.to_string();
    let period = ktt_period(&w, &client).await;
    let mark = json!({"entries": [{"period_id": period, "status": "present", "hours": 5}]});
    let day = format!("/api/v1/attendance/{unit}/{DAY}");
    let (status, body) = coach.send(Method::PUT, &day, &mark).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, group) = coach
        .create_group(&json!({"unit_id": unit, "name": "Aamu", "period_ids": [period]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let group = group["id"].as_str().unwrap().to_owned();
    let c = format!("/api/v1/clients/{client}");

    // Operation id → who calls it, how, and the status it answers.
    let table: Vec<Row<'_, '_>> = vec![
        (
            "list_clients",
            &coach,
            Method::GET,
            "/api/v1/clients".into(),
            None,
            StatusCode::OK,
        ),
        (
            "search_clients",
            &coach,
            Method::POST,
            "/api/v1/clients/search".into(),
            Some(json!({"q": "Nimellinen"})),
            StatusCode::OK,
        ),
        ("get_client", &coach, Method::GET, c.clone(), None, StatusCode::OK),
        (
            "create_client",
            &coach,
            Method::POST,
            "/api/v1/clients".into(),
            Some(
                json!({"unit_id": unit, "first_names": "Uusi", "last_name": "Asiakas",
                         "birth_date": "1990-01-01"}),
            ),
            StatusCode::CREATED,
        ),
        (
            "update_client",
            &coach,
            Method::PATCH,
            c.clone(),
            Some(json!({"phone": "040 123 4567"})),
            StatusCode::OK,
        ),
        (
            "close_client",
            &coach,
            Method::POST,
            format!("{c}/close"),
            Some(json!({"closed_on": "2026-11-30", "reason": "Päättyi"})),
            StatusCode::OK,
        ),
        (
            "reopen_client",
            &coach,
            Method::POST,
            format!("{c}/reopen"),
            Some(json!({})),
            StatusCode::OK,
        ),
        // The same marks again: nothing changes, the names are still shown.
        (
            "put_day",
            &coach,
            Method::PUT,
            day.clone(),
            Some(mark.clone()),
            StatusCode::OK,
        ),
        ("get_day", &coach, Method::GET, day.clone(), None, StatusCode::OK),
        (
            "create_group",
            &coach,
            Method::POST,
            "/api/v1/attendance-groups".into(),
            Some(json!({"unit_id": unit, "name": "Ilta", "period_ids": [period]})),
            StatusCode::CREATED,
        ),
        (
            "get_group",
            &coach,
            Method::GET,
            format!("/api/v1/attendance-groups/{group}"),
            None,
            StatusCode::OK,
        ),
        (
            "update_group",
            &coach,
            Method::PATCH,
            format!("/api/v1/attendance-groups/{group}"),
            Some(json!({"name": "Aamu 2"})),
            StatusCode::OK,
        ),
        (
            "client_regularity",
            &coach,
            Method::GET,
            format!("{c}/regularity?from=2026-11-01&to=2026-11-30"),
            None,
            StatusCode::OK,
        ),
        (
            "period_regularity",
            &coach,
            Method::GET,
            format!("/api/v1/periods/{period}/regularity?from=2026-11-01&to=2026-11-30"),
            None,
            StatusCode::OK,
        ),
        (
            "unit_regularity",
            &coach,
            Method::GET,
            format!("/api/v1/units/{unit}/regularity?month={MONTH}"),
            None,
            StatusCode::OK,
        ),
        (
            "allowance_report",
            &manager,
            Method::GET,
            format!("/api/v1/allowances?month={MONTH}"),
            None,
            StatusCode::OK,
        ),
    ];

    let in_spec = operations_showing_names();
    let in_table: BTreeSet<String> = table.iter().map(|row| row.0.to_owned()).collect();
    let untested: Vec<_> = in_spec.difference(&in_table).collect();
    assert!(
        untested.is_empty(),
        "operations that show client names without a row here: {untested:?}"
    );
    let stale: Vec<_> = in_table.difference(&in_spec).collect();
    assert!(stale.is_empty(), "rows for operations not in the spec: {stale:?}");

    for (operation, who, method, path, body, expected) in table {
        let (status, response, events) = call(&w, who, method, &path, body.as_ref()).await;
        assert_eq!(status, expected, "{operation}: {response}");
        let mut shown = BTreeSet::new();
        named_clients(&response, &mut shown);
        assert!(!shown.is_empty(), "{operation} showed no client: {response}");
        let logged = client_ids_of(&events, None);
        assert!(
            shown.is_subset(&logged),
            "{operation} showed {shown:?} but logged {logged:?}: {events:?}"
        );
    }
}
