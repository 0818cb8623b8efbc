//! Typed helpers so tests read like the spec: organisations, users, logins, requests.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use polku::permissions::Role;
use polku::seed::{self, CliUser};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use uuid::Uuid;

use crate::TestApp;

/// The password every fixture user has.
pub const PASSWORD: &str = "korppi vaeltaa hiljaa sumussa";

/// An organisation with two units.
#[derive(Debug, Clone)]
pub struct Org {
    /// Id.
    pub id: Uuid,
    /// First unit.
    pub unit_id: Uuid,
    /// Second unit.
    pub other_unit_id: Uuid,
}

/// A user who can log in with [`PASSWORD`].
#[derive(Debug, Clone)]
pub struct User {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub email: String,
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Bearer token.
    pub access_token: String,
    /// Value of the `polku_refresh` cookie.
    pub refresh_token: String,
}

/// The `polku_refresh` cookie of a response, with its attributes.
pub fn refresh_set_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("polku_refresh="))
        .map(str::to_owned)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .trim_start_matches("polku_refresh=")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned()
}

impl TestApp {
    /// A superuser connection to this app's database (bypasses row-level security).
    pub async fn superuser(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(self.owner_url.expose_secret())
            .await
            .expect("superuser connection")
    }

    /// A connection acting as the runtime role, like the app's own.
    pub async fn runtime_role(&self) -> AsyncPgConnection {
        polku::db::connect_as_app(&self.app_url)
            .await
            .expect("runtime connection")
    }

    /// A new organisation with two units.
    pub async fn organisation(&self, name: &str) -> Org {
        let mut conn = self.runtime_role().await;
        let id = seed::create_organisation(&mut conn, name, false)
            .await
            .expect("organisation");
        let unit_id = seed::create_unit(&mut conn, id, "Puutyöpaja")
            .await
            .expect("unit");
        let other_unit_id = seed::create_unit(&mut conn, id, "Valmennus").await.expect("unit");
        Org {
            id,
            unit_id,
            other_unit_id,
        }
    }

    /// A new user of `org` with `roles`, in the organisation's first unit.
    pub async fn user(&self, org: &Org, roles: &[Role]) -> User {
        self.user_in_units(org, roles, &[org.unit_id]).await
    }

    /// A new user of `org` with `roles`, working in `units`.
    pub async fn user_in_units(&self, org: &Org, roles: &[Role], units: &[Uuid]) -> User {
        let email = format!("{}@{}.test", Uuid::now_v7().simple(), org.id.simple());
        let mut conn = self.runtime_role().await;
        let (id, _) = seed::create_user(
            &mut conn,
            CliUser {
                organisation_id: org.id,
                email: email.clone(),
                display_name: Some("Testi Käyttäjä".to_owned()),
                roles: roles.to_vec(),
                unit_ids: units.to_vec(),
                password: Some(SecretString::from(PASSWORD)),
            },
        )
        .await
        .expect("user");
        User { id, email }
    }

    /// `POST /api/v1/auth/login`.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/login")
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("login request")
    }

    /// Logs a user in (no second factor) and returns the session.
    pub async fn session(&self, user: &User) -> Session {
        let response = self.login(&user.email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {}", user.email);
        let set_cookie = refresh_set_cookie(&response).expect("refresh cookie");
        let body: Value = response.json().await.expect("login body");
        assert_eq!(body["status"], "authenticated", "{body}");
        Session {
            access_token: body["access_token"].as_str().expect("access token").to_owned(),
            refresh_token: cookie_value(&set_cookie),
        }
    }

    /// `POST /api/v1/auth/refresh` with a refresh token; returns the response.
    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/refresh")
            .header("cookie", format!("polku_refresh={refresh_token}"))
            .send()
            .await
            .expect("refresh request")
    }

    /// A request with a bearer token.
    pub fn authed(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(token)
    }

    /// `GET` with a bearer token; returns status and JSON body (`Null` when empty).
    pub async fn get_as(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let response = self
            .authed(Method::GET, path, token)
            .send()
            .await
            .expect("request");
        status_and_json(response).await
    }

    /// `POST`/`PATCH` JSON with a bearer token; returns status and JSON body.
    pub async fn send_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        let response = self
            .authed(method, path, token)
            .json(body)
            .send()
            .await
            .expect("request");
        status_and_json(response).await
    }
}

impl TestApp {
    /// Creates a client in `unit` through the API; returns its id.
    pub async fn client(&self, token: &str, unit: Uuid, last_name: &str) -> Uuid {
        let (status, body) = self
            .send_as(
                token,
                Method::POST,
                "/api/v1/clients",
                &serde_json::json!({
                    "unit_id": unit, "first_names": "Asiakas", "last_name": last_name,
                    "birth_date": "1990-01-01",
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("client id")
    }

    /// The log events a request wrote (matched by its `X-Request-Id`), as JSON rows.
    pub async fn events_of_request(&self, organisation: Uuid, request_id: &str) -> Vec<Value> {
        self.events_where(
            organisation,
            &format!("request_id = '{}'", request_id.replace('\'', "")),
        )
        .await
    }

    /// The organisation's log events matching an SQL condition, oldest first, as JSON rows
    /// (read as the runtime role with the tenant set, like the app).
    pub async fn events_where(&self, organisation: Uuid, condition: &str) -> Vec<Value> {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Jsonb)]
            event: Value,
        }
        let mut conn = self.runtime_role().await;
        let condition = condition.to_owned();
        conn.transaction(async |conn| {
            polku::db::set_organisation(conn, organisation).await?;
            let rows: Vec<Row> = diesel::sql_query(format!(
                "SELECT to_jsonb(e) - 'txid' AS event FROM audit_events e WHERE {condition} ORDER BY occurred_at, id"
            ))
            .load(conn)
            .await?;
            diesel::QueryResult::Ok(rows.into_iter().map(|row| row.event).collect())
        })
        .await
        .expect("events")
    }

    /// Seals the organisation's log until nothing is left unsealed; returns how many events
    /// were sealed. The sealer holds back events newer than the oldest transaction still
    /// running anywhere in the cluster (other tests' included), so one pass may not be all.
    pub async fn seal_everything(&self, organisation: Uuid) -> u64 {
        use polku::audit::chain;
        let pool = self.pool();
        let mut sealed = 0;
        let key = self.audit_key();
        for _ in 0..400 {
            sealed += chain::seal_organisation(&pool, &key, organisation)
                .await
                .expect("seal")
                .0;
            let state = chain::verify(&pool, &key, organisation, None, None)
                .await
                .expect("verify");
            if state.unsealed == 0 {
                return sealed;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the log of {organisation} was never sealed completely");
    }

    /// The number an SQL query counts (a row with one `bigint` column `n`), read as the
    /// superuser.
    pub async fn count(&self, sql: &str) -> i64 {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.superuser().await;
        let row: Count = diesel::sql_query(sql).get_result(&mut conn).await.expect("count");
        row.n
    }

    /// `POST /api/v1/oauth/token` with a form; returns status and JSON body.
    pub async fn oauth_token(&self, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = self
            .request(Method::POST, "/api/v1/oauth/token")
            .form(form)
            .send()
            .await
            .expect("token request");
        status_and_json(response).await
    }

    /// A client-credentials token of an API client, from the body of its creation
    /// (`POST /api/v1/admin/api-clients`).
    pub async fn integrator_token(&self, created: &Value) -> String {
        let (status, issued) = self
            .oauth_token(&[
                ("grant_type", "client_credentials"),
                (
                    "client_id",
                    created["client"]["client_id"].as_str().expect("client_id"),
                ),
                (
                    "client_secret",
                    created["client_secret"].as_str().expect("secret"),
                ),
            ])
            .await;
        assert_eq!(status, StatusCode::OK, "{issued}");
        issued["access_token"].as_str().expect("access token").to_owned()
    }

    /// The key of this app's access-log chain (as `POLKU_AUDIT_KEY` would give it).
    pub fn audit_key(&self) -> polku::audit::chain::SealKey {
        // The last 32 bytes of this deployment's token secret (random per test app).
        let secret = self.token_secret.as_bytes();
        let mut key = [0u8; 32];
        key.copy_from_slice(&secret[secret.len() - 32..]);
        polku::audit::chain::SealKey::new(key)
    }

    /// A pool acting as the runtime role, for library calls (sealer, verifier).
    pub fn pool(&self) -> polku::db::DbPool {
        polku::db::build_pool(&self.app_url, 4, std::time::Duration::from_secs(5)).expect("pool")
    }
}

/// The status of a response and its JSON body (`Null` when it has none).
pub async fn status_and_json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Cookie value from a `Set-Cookie` header value.
pub fn refresh_token_of(set_cookie: &str) -> String {
    cookie_value(set_cookie)
}

/// The `(field, code)` pairs of a problem's `errors`, in order.
pub fn field_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|error| {
                    (
                        error["field"].as_str().unwrap_or_default().to_owned(),
                        error["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `Content-Type` of a response (empty when it has none).
pub fn content_type(response: &Response) -> &str {
    response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// The codes of the `warnings` a record came back with, in order.
pub fn warning_codes(record: &Value) -> Vec<&str> {
    record["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|warning| warning["code"].as_str().expect("warning code"))
        .collect()
}
