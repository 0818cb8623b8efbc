//! Every `/api/v1` operation in the OpenAPI spec × every kind of caller, against one
//! table of expected statuses. An operation missing from the table fails the test, so a
//! new endpoint cannot ship without deciding who may call it.

use std::collections::BTreeSet;

use polku::permissions::Role;
use polku_tests::TestApp;
use polku_tests::fixtures::Session;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Admin,
    Coach,
    Manager,
    Dpo,
    /// Holds only the special-category grant.
    SensitiveOnly,
    /// An API client whose scopes do not cover the endpoint.
    ApiClientWithoutScope,
}

use Caller::*;

const USERS: [Caller; 5] = [Admin, Coach, Manager, Dpo, SensitiveOnly];

/// Who gets in, and with what status (given the probe body and a random id).
enum Rule {
    /// No authentication: called once, anonymously.
    Public(u16),
    /// Any signed-in user; API clients get 403; anonymous 401.
    AnyUser(u16),
    /// Only these callers (`status`); every other authenticated caller 403; anonymous 401.
    Only(&'static [Caller], u16),
}

struct Row {
    method: Method,
    path: &'static str,
    body: Value,
    rule: Rule,
}

fn row(method: Method, path: &'static str, body: Value, rule: Rule) -> Row {
    Row {
        method,
        path,
        body,
        rule,
    }
}

fn table() -> Vec<Row> {
    let admin: &'static [Caller] = &[Admin];
    // The manager gives what reaches client content (roles, client scopes of API clients),
    // so sees the staff and the integrations, and may rotate and revoke.
    let admin_or_manager: &'static [Caller] = &[Admin, Manager];
    let unit_readers: &'static [Caller] = &[Admin, Coach, Manager, Dpo];
    let client_staff: &'static [Caller] = &[Coach, Manager];
    let none = json!(null);
    vec![
        row(
            Method::POST,
            "/api/v1/auth/login",
            json!({"email": "nobody@matrix.test", "password": "x"}),
            Rule::Public(401),
        ),
        row(
            Method::POST,
            "/api/v1/auth/login/mfa",
            json!({"mfa_token": "x", "code": "123456"}),
            Rule::Public(401),
        ),
        row(
            Method::POST,
            "/api/v1/auth/login/mfa-setup",
            json!({"mfa_token": "x"}),
            Rule::Public(401),
        ),
        row(
            Method::POST,
            "/api/v1/auth/login/mfa-confirm",
            json!({"mfa_token": "x", "code": "123456"}),
            Rule::Public(401),
        ),
        row(
            Method::POST,
            "/api/v1/auth/refresh",
            none.clone(),
            Rule::Public(401),
        ),
        row(
            Method::POST,
            "/api/v1/auth/password/set",
            json!({"token": "x", "new_password": "y"}),
            Rule::Public(410),
        ),
        row(
            Method::POST,
            "/api/v1/oauth/token",
            none.clone(),
            Rule::Public(400),
        ),
        row(Method::GET, "/api/v1/auth/me", none.clone(), Rule::AnyUser(200)),
        row(
            Method::PATCH,
            "/api/v1/auth/me",
            json!({"language": "fi"}),
            Rule::AnyUser(200),
        ),
        row(
            Method::POST,
            "/api/v1/auth/password",
            json!({"current_password": "wrong", "new_password": "whatever"}),
            Rule::AnyUser(422),
        ),
        row(
            Method::POST,
            "/api/v1/auth/mfa/confirm",
            json!({"code": "000000"}),
            Rule::AnyUser(409),
        ),
        row(
            Method::POST,
            "/api/v1/auth/mfa/setup",
            none.clone(),
            Rule::AnyUser(200),
        ),
        row(
            Method::POST,
            "/api/v1/auth/logout",
            none.clone(),
            Rule::AnyUser(204),
        ),
        row(
            Method::POST,
            "/api/v1/auth/mfa/disable",
            json!({"current_password": "wrong"}),
            Rule::AnyUser(422),
        ),
        row(
            Method::GET,
            "/api/v1/auth/sessions",
            none.clone(),
            Rule::AnyUser(200),
        ),
        row(
            Method::POST,
            "/api/v1/auth/sessions/{id}/end",
            none.clone(),
            Rule::AnyUser(404),
        ),
        row(
            Method::GET,
            "/api/v1/units",
            none.clone(),
            Rule::Only(unit_readers, 200),
        ),
        row(
            Method::GET,
            "/api/v1/admin/users",
            none.clone(),
            Rule::Only(admin_or_manager, 200),
        ),
        row(
            Method::POST,
            "/api/v1/admin/users",
            json!({"email": "matrix@matrix.test", "display_name": "M", "roles": ["coach"]}),
            Rule::Only(admin, 201),
        ),
        row(
            Method::GET,
            "/api/v1/admin/users/{id}",
            none.clone(),
            Rule::Only(admin_or_manager, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/admin/users/{id}",
            json!({"display_name": "M"}),
            Rule::Only(admin, 404),
        ),
        row(
            Method::POST,
            "/api/v1/admin/users/{id}/deactivate",
            none.clone(),
            Rule::Only(admin, 404),
        ),
        row(
            Method::POST,
            "/api/v1/admin/users/{id}/end-sessions",
            none.clone(),
            Rule::Only(admin, 404),
        ),
        row(
            Method::POST,
            "/api/v1/admin/users/{id}/password-link",
            none.clone(),
            Rule::Only(admin, 404),
        ),
        row(
            Method::POST,
            "/api/v1/admin/users/{id}/reset-mfa",
            none.clone(),
            Rule::Only(admin, 404),
        ),
        row(
            Method::POST,
            "/api/v1/admin/units",
            json!({"name": "Matriisi"}),
            Rule::Only(admin, 201),
        ),
        row(
            Method::PATCH,
            "/api/v1/admin/units/{id}",
            json!({"name": "Matriisi 2"}),
            Rule::Only(admin, 404),
        ),
        row(
            Method::POST,
            "/api/v1/admin/units/{id}/close",
            none.clone(),
            Rule::Only(admin, 404),
        ),
        row(
            Method::GET,
            "/api/v1/admin/organisation",
            none.clone(),
            Rule::Only(admin, 200),
        ),
        row(
            Method::PATCH,
            "/api/v1/admin/organisation",
            json!({}),
            Rule::Only(admin, 200),
        ),
        row(
            Method::GET,
            "/api/v1/admin/api-clients",
            none.clone(),
            Rule::Only(admin_or_manager, 200),
        ),
        row(
            Method::POST,
            "/api/v1/admin/api-clients",
            json!({"name": "Matriisi", "scopes": ["units:read"]}),
            Rule::Only(admin, 201),
        ),
        row(
            Method::POST,
            "/api/v1/admin/api-clients/{id}/rotate-secret",
            none.clone(),
            Rule::Only(admin_or_manager, 404),
        ),
        row(
            Method::POST,
            "/api/v1/admin/api-clients/{id}/revoke",
            none.clone(),
            Rule::Only(admin_or_manager, 404),
        ),
        // A random unit: the manager may write any unit's clients, so gets as far as
        // finding no such unit; a coach may not write outside their units.
        row(
            Method::POST,
            "/api/v1/clients",
            json!({"unit_id": uuid::Uuid::now_v7(), "first_names": "M", "last_name": "M", "birth_date": "1990-01-01"}),
            Rule::Only(&[Manager], 422),
        ),
        row(
            Method::GET,
            "/api/v1/clients",
            none.clone(),
            Rule::Only(client_staff, 200),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/clients/{id}",
            json!({"last_name": "M"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/clients/search",
            json!({"q": "Virtanen"}),
            Rule::Only(client_staff, 200),
        ),
        row(
            Method::POST,
            "/api/v1/clients/{id}/close",
            json!({"closed_on": "2026-01-01", "reason": "Muutti pois"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/clients/{id}/reopen",
            json!({}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/changes",
            none.clone(),
            Rule::Only(&[Manager, Dpo], 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/history",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/clients/{id}/history",
            json!({"kind": "education", "description": "Peruskoulu"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/clients/{id}/history/{entry_id}",
            json!({"occupation": "Kokki"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/clients/{id}/disclosures",
            json!({"recipient": "Kela", "legal_basis": "Laki 189/2001", "data_categories": ["attendance"]}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/disclosures",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/consents",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/clients/{id}/consents",
            json!({"kind": "disclosure", "recipient": "Kela", "given_how": "written",
                   "data_categories": ["attendance"]}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/consents/timeline",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/consents/form",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/consents/{consent_id}",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/clients/{id}/consents/{consent_id}/withdraw",
            json!({"requested_how": "written"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/consents/expiring",
            none.clone(),
            Rule::Only(client_staff, 200),
        ),
        row(
            Method::GET,
            "/api/v1/consents/missing-processing",
            none.clone(),
            Rule::Only(client_staff, 200),
        ),
        row(
            Method::POST,
            "/api/v1/clients/{id}/periods",
            json!({"service_type": "ktt", "starts_on": "2026-01-05", "unit_id": uuid::Uuid::now_v7()}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/periods",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/diary",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods",
            none.clone(),
            Rule::Only(client_staff, 200),
        ),
        row(
            Method::GET,
            "/api/v1/periods/attention",
            none.clone(),
            Rule::Only(client_staff, 200),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/periods/{period_id}",
            json!({"workplace": "Kahvila"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/close",
            json!({"ends_on": "2026-01-05", "outcome": "work"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/page",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/goals",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/goals",
            json!({"title": "Tavoite"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/periods/{period_id}/goals/{goal_id}",
            json!({"status": "achieved"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/goals/{goal_id}/follow-ups",
            json!({"note": "Hyvin menee"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/diary",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/diary",
            json!({"body": "Päivä"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/periods/{period_id}/diary/{entry_id}",
            json!({"body": "Korjaus", "reason": "Virhe"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/agreements",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/agreements",
            json!({"kind": "activity"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/periods/{period_id}/agreements/{agreement_id}",
            json!({"tasks": "Siivous"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/agreements/{agreement_id}/print",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/assessments",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/assessments",
            json!({"instrument_id": uuid::Uuid::now_v7(), "scores": []}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/assessments/chart",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/reports",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/reports",
            json!({"kind": "interim"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/periods/{period_id}/reports/{report_id}",
            json!({"sections": {"recommendation": "Jatko"}}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/reports/{report_id}/finalise",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::POST,
            "/api/v1/periods/{period_id}/reports/{report_id}/versions",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/reports/{report_id}/print",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/code-lists/{list}",
            none.clone(),
            Rule::Only(unit_readers, 200),
        ),
        row(
            Method::POST,
            "/api/v1/code-lists/{list}",
            json!({"code": "matrix_type", "name_fi": "Matriisi", "name_sv": "Matris", "name_en": "Matrix"}),
            Rule::Only(admin, 201),
        ),
        row(
            Method::PATCH,
            "/api/v1/code-lists/{list}/{code}",
            json!({"position": 1}),
            Rule::Only(admin, 200),
        ),
        row(
            Method::GET,
            "/api/v1/assessment-instruments",
            none.clone(),
            Rule::Only(unit_readers, 200),
        ),
        row(
            Method::POST,
            "/api/v1/assessment-instruments",
            json!({"code": "matrix", "name_fi": "M", "name_sv": "M", "name_en": "M", "criteria": [{"name_fi": "K", "name_sv": "K", "name_en": "K", "scale_min": 1, "scale_max": 5}]}),
            Rule::Only(admin, 201),
        ),
        row(
            Method::GET,
            "/api/v1/attendance-groups",
            none.clone(),
            Rule::Only(client_staff, 200),
        ),
        row(
            Method::POST,
            "/api/v1/attendance-groups",
            json!({"unit_id": uuid::Uuid::now_v7(), "name": "Matriisiryhmä"}),
            Rule::Only(client_staff, 422),
        ),
        row(
            Method::GET,
            "/api/v1/attendance-groups/{group_id}",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PATCH,
            "/api/v1/attendance-groups/{group_id}",
            json!({"name": "Uusi nimi"}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/attendance/{sheet_id}/{date}",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::PUT,
            "/api/v1/attendance/{sheet_id}/{date}",
            json!({"entries": [{"period_id": uuid::Uuid::now_v7(), "status": "present"}]}),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/attendance",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/attendance",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/periods/{period_id}/regularity",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/clients/{id}/regularity",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/units/{unit_id}/regularity",
            none.clone(),
            Rule::Only(client_staff, 404),
        ),
        row(
            Method::GET,
            "/api/v1/allowances",
            none.clone(),
            Rule::Only(&[Manager], 200),
        ),
        row(
            Method::GET,
            "/api/v1/audit/events",
            none.clone(),
            Rule::Only(&[Admin, Dpo], 200),
        ),
        row(
            Method::GET,
            "/api/v1/audit/clients/{id}/access-report",
            none.clone(),
            Rule::Only(&[Dpo], 404),
        ),
        row(
            Method::GET,
            "/api/v1/audit/clients/{id}/access-report.html",
            none.clone(),
            Rule::Only(&[Dpo], 404),
        ),
        row(
            Method::GET,
            "/api/v1/audit/unusual-access",
            none,
            Rule::Only(&[Dpo], 200),
        ),
    ]
}

fn spec_operations() -> BTreeSet<(String, String)> {
    let spec = serde_json::to_value(polku::startup::spec()).unwrap();
    let mut operations = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            operations.insert((method.to_uppercase(), path.clone()));
        }
    }
    operations
}

#[test]
fn every_operation_in_the_spec_is_in_the_table() {
    let table: BTreeSet<(String, String)> = table()
        .iter()
        .map(|row| (row.method.to_string(), row.path.to_owned()))
        .collect();
    let spec = spec_operations();
    let missing: Vec<_> = spec.difference(&table).collect();
    let stale: Vec<_> = table.difference(&spec).collect();
    assert!(
        missing.is_empty(),
        "operations without an expected-status row: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for operations the spec does not have: {stale:?}"
    );
}

#[tokio::test]
async fn every_operation_answers_every_caller_as_the_table_says() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Matriisikunta").await;
    let mut sessions: Vec<(Caller, Session)> = Vec::new();
    for (caller, roles) in [
        (Admin, vec![Role::Admin]),
        (Coach, vec![Role::Coach]),
        (Manager, vec![Role::Manager]),
        (Dpo, vec![Role::Dpo]),
        (SensitiveOnly, vec![Role::Sensitive]),
    ] {
        let user = app.user(&org, &roles).await;
        sessions.push((caller, app.session(&user).await));
    }
    let (status, client) = app
        .by(&sessions[0].1)
        .create_api_client(&json!({"name": "Tilastot", "scopes": ["statistics:read"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let client_token = app.integrator_token(&client).await;

    let mut failures = Vec::new();
    for row in table() {
        let path = probe_path(row.path, uuid::Uuid::now_v7());
        let callers: Vec<Caller> = match row.rule {
            Rule::Public(_) => vec![Anonymous],
            _ => [Anonymous]
                .into_iter()
                .chain(USERS)
                .chain([ApiClientWithoutScope])
                .collect(),
        };
        for caller in callers {
            let expected = match (&row.rule, caller) {
                (Rule::Public(status), _) => *status,
                (_, Anonymous) => 401,
                (Rule::AnyUser(_), ApiClientWithoutScope) => 403,
                (Rule::AnyUser(status), _) => *status,
                (Rule::Only(allowed, status), _) if allowed.contains(&caller) => *status,
                (Rule::Only(..), _) => 403,
            };
            let token = match caller {
                Anonymous => None,
                ApiClientWithoutScope => Some(client_token.clone()),
                // Logging out ends the session: use a fresh one.
                _ if row.path == "/api/v1/auth/logout" => {
                    let index = sessions.iter().position(|(c, _)| *c == caller).unwrap();
                    let email = sessions_email(&app, &sessions[index].1).await;
                    Some(
                        app.session(&polku_tests::fixtures::User {
                            id: uuid::Uuid::nil(),
                            email,
                        })
                        .await
                        .access_token,
                    )
                }
                _ => sessions
                    .iter()
                    .find(|(c, _)| *c == caller)
                    .map(|(_, s)| s.access_token.clone()),
            };
            let mut request = app.request(row.method.clone(), &path);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if !row.body.is_null() {
                request = request.json(&row.body);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            if status != expected {
                let body = response.text().await.unwrap_or_default();
                failures.push(format!(
                    "{} {} as {caller:?}: expected {expected}, got {status}: {body}",
                    row.method, row.path
                ));
            } else if status >= 400 {
                let content_type = response
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap_or_default().to_owned());
                let oauth = row.path == "/api/v1/oauth/token";
                if !oauth && content_type.as_deref() != Some("application/problem+json") {
                    failures.push(format!(
                        "{} {} as {caller:?}: error without problem+json",
                        row.method, row.path
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A spec path made callable: `{id}` is `id`, every other id a random one, a code list
/// `service_type` and its code `ktt`; required query parameters are added.
fn probe_path(path: &str, id: uuid::Uuid) -> String {
    let mut out = path.replace("{id}", &id.to_string());
    while let Some(start) = out.find('{') {
        let Some(end) = out[start..].find('}') else { break };
        let name = &out[start + 1..start + end];
        let value = match name {
            "list" => "service_type".to_owned(),
            "code" => "ktt".to_owned(),
            "date" => "2026-11-02".to_owned(),
            _ => uuid::Uuid::now_v7().to_string(),
        };
        out.replace_range(start..=start + end, &value);
    }
    if path.ends_with("/assessments/chart") {
        out.push_str(&format!("?instrument_id={}", uuid::Uuid::now_v7()));
    }
    if path.ends_with("/attendance")
        || path.ends_with("/units/{unit_id}/regularity")
        || path.ends_with("/allowances")
    {
        out.push_str("?month=2026-11");
    } else if path.ends_with("/regularity") {
        out.push_str("?from=2026-11-01&to=2026-11-30");
    }
    out
}

async fn sessions_email(app: &TestApp, session: &Session) -> String {
    let (_, me) = app.get_as(&session.access_token, "/api/v1/auth/me").await;
    me["email"].as_str().unwrap().to_owned()
}

/// Every mutating endpoint that takes JSON refuses an unknown field with 422 naming it,
/// and changes nothing.
#[tokio::test]
async fn unknown_fields_are_refused_everywhere_and_change_nothing() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Matriisikunta").await;
    let admin_user = app.user(&org, &[Role::Admin]).await;
    let admin = app.session(&admin_user).await.access_token;
    let coach = app.user(&org, &[Role::Coach]).await;
    let snapshot = || async {
        let mut state = Vec::new();
        for path in [
            "/api/v1/admin/users?limit=200",
            "/api/v1/units?include_closed=true",
            "/api/v1/admin/organisation",
            "/api/v1/admin/api-clients",
        ] {
            state.push(app.get_as(&admin, path).await.1);
        }
        state
    };
    let before = snapshot().await;
    let mut checked = 0;
    for row in table() {
        let Some(body) = row.body.as_object().cloned() else {
            continue;
        };
        if matches!(row.rule, Rule::Public(_)) && !row.path.starts_with("/api/v1/auth/") {
            continue;
        }
        let mut body = body;
        body.insert("sneaky_extra".to_owned(), json!(true));
        let path = probe_path(
            row.path,
            if row.path.contains("/units/") {
                org.unit_id
            } else {
                coach.id
            },
        );
        let response = app
            .authed(row.method.clone(), &path, &admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let problem: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{} {}: {problem}",
            row.method,
            row.path
        );
        assert_eq!(
            problem["errors"][0]["field"], "sneaky_extra",
            "{} {}",
            row.method, row.path
        );
        assert_eq!(problem["errors"][0]["code"], "unknown_field");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} endpoints checked");
    assert_eq!(snapshot().await, before, "nothing changed");
    assert_eq!(
        app.login(&admin_user.email, polku_tests::fixtures::PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

/// The admin has no client content, and no way to give it to anyone, themselves least:
/// nobody changes their own roles; roles that reach client content (manager, dpo,
/// sensitive) and API clients with client scopes are a manager's to give. Each row is one
/// escalation path (or its legitimate counterpart), in order, on one organisation.
#[tokio::test]
async fn escalation_paths_to_client_content_are_refused_to_the_admin() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Matriisi").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let manager = app.sign_in(&org, &[Role::Manager]).await;
    let both = app.sign_in(&org, &[Role::Admin, Role::Manager]).await;
    let coach = app.user(&org, &[Role::Coach]).await;
    let user = |id: uuid::Uuid| format!("/api/v1/admin/users/{id}");
    let roles = |roles: &[&str]| json!({ "roles": roles });
    let mut outcomes = Vec::new();
    let mut check = |what: &str, (status, body): (StatusCode, Value), expected: StatusCode| {
        if status != expected {
            outcomes.push(format!("{what}: {status}, expected {expected}: {body}"));
        }
    };

    // Own roles: nobody, whatever they hold.
    for (name, caller) in [("admin", &admin), ("manager", &manager), ("admin+manager", &both)] {
        check(
            &format!("{name} changes own roles"),
            caller
                .send(
                    Method::PATCH,
                    &user(caller.id()),
                    &roles(&["admin", "manager", "sensitive"]),
                )
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    // Roles that reach client content: not the admin's to give, to anyone.
    for role in ["manager", "dpo", "sensitive"] {
        check(
            &format!("admin grants {role}"),
            admin
                .send(Method::PATCH, &user(coach.id), &roles(&["coach", role]))
                .await,
            StatusCode::FORBIDDEN,
        );
        check(
            &format!("admin creates a user with {role}"),
            admin
                .post(
                    "/api/v1/admin/users",
                    &json!({"email": format!("{role}@matriisi.test"), "display_name": "Uusi",
                            "roles": [role]}),
                )
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    // A manager grants them; the admin may still take them away and manage the rest.
    check(
        "manager grants sensitive",
        manager
            .send(Method::PATCH, &user(coach.id), &roles(&["coach", "sensitive"]))
            .await,
        StatusCode::OK,
    );
    check(
        "manager changes a name (admin work)",
        manager
            .send(Method::PATCH, &user(coach.id), &json!({"display_name": "Nimi"}))
            .await,
        StatusCode::FORBIDDEN,
    );
    check(
        "manager grants admin",
        manager
            .send(
                Method::PATCH,
                &user(coach.id),
                &roles(&["coach", "sensitive", "admin"]),
            )
            .await,
        StatusCode::FORBIDDEN,
    );
    check(
        "admin removes sensitive",
        admin
            .send(Method::PATCH, &user(coach.id), &roles(&["coach"]))
            .await,
        StatusCode::OK,
    );
    check(
        "admin creates a coach",
        admin
            .post(
                "/api/v1/admin/users",
                &json!({"email": "ohjaaja@matriisi.test", "display_name": "Uusi", "roles": ["coach"]}),
            )
            .await,
        StatusCode::CREATED,
    );
    // API clients with client scopes.
    for scope in ["clients:read", "attendance:write", "allowances:read"] {
        check(
            &format!("admin creates an API client with {scope}"),
            admin
                .create_api_client(&json!({"name": "Integraatio", "scopes": ["units:read", scope]}))
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    let (status, readers) = manager
        .create_api_client(&json!({"name": "Lukija", "scopes": ["clients:read"]}))
        .await;
    let readers = readers["client"]["id"].as_str().unwrap_or_default().to_owned();
    check(
        "manager creates a client reader",
        (status, json!(null)),
        StatusCode::CREATED,
    );
    check(
        "admin rotates the secret of a client reader (and would hold it)",
        admin
            .post(
                &format!("/api/v1/admin/api-clients/{readers}/rotate-secret"),
                &json!({}),
            )
            .await,
        StatusCode::FORBIDDEN,
    );
    check(
        "manager rotates it",
        manager
            .post(
                &format!("/api/v1/admin/api-clients/{readers}/rotate-secret"),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    );
    check(
        "admin creates a units reader",
        admin
            .create_api_client(&json!({"name": "PAR", "scopes": ["units:read"]}))
            .await,
        StatusCode::CREATED,
    );
    check(
        "admin revokes the client reader",
        admin
            .post(&format!("/api/v1/admin/api-clients/{readers}/revoke"), &json!({}))
            .await,
        StatusCode::OK,
    );
    assert!(outcomes.is_empty(), "{outcomes:#?}");
}
