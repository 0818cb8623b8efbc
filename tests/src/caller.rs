//! A signed-in caller of the API with a typed helper per endpoint, so that tests read like
//! the spec: `w.coach().period(client, &body)`, `w.manager().disclose(client, &body)`.
//!
//! A helper named for a thing (`client`, `period`, `goal`, `diary_entry`, `consent`)
//! creates it, asserts that it was created and returns it. A helper named for an action
//! (`create_client`, `open_period`, `mark_day`, `disclose`, ...) returns the status and
//! the JSON body (`Null` when empty) for the test to assert.

use std::borrow::Cow;
use std::fmt::Display;

use polku::permissions::Role;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;
use uuid::Uuid;

use crate::TestApp;
use crate::fixtures::{Org, Session};

/// The API as one signed-in user (see [`TestApp::by`] and [`crate::world::World`]).
#[derive(Clone)]
pub struct Caller<'a> {
    app: &'a TestApp,
    token: Cow<'a, str>,
    user: Option<Uuid>,
}

impl TestApp {
    /// The API as the holder of `session`.
    pub fn by<'a>(&'a self, session: &'a Session) -> Caller<'a> {
        Caller {
            app: self,
            token: Cow::Borrowed(&session.access_token),
            user: None,
        }
    }

    /// The API as a new user of `org`'s first unit with `roles`, signed in.
    pub async fn sign_in(&self, org: &Org, roles: &[Role]) -> Caller<'_> {
        self.sign_in_at(org, roles, &[org.unit_id]).await
    }

    /// The API as a new user of `org` working in `units` with `roles`, signed in.
    pub async fn sign_in_at(&self, org: &Org, roles: &[Role], units: &[Uuid]) -> Caller<'_> {
        let user = self.user_in_units(org, roles, units).await;
        let session = self.session(&user).await;
        Caller::user(self, Cow::Owned(session.access_token), user.id)
    }

    /// The API as a new API client (integrator) of `org` with `scopes`, created by an
    /// manager (client scopes are theirs to give), with a client-credentials token.
    pub async fn integrator(&self, org: &Org, scopes: &[&str]) -> Caller<'_> {
        // Client scopes are a manager's to give (the admin may not).
        let manager = self.sign_in(org, &[Role::Manager]).await;
        let (status, created) = manager
            .create_api_client(&serde_json::json!({"name": "Integraatio", "scopes": scopes}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let token = self.integrator_token(&created).await;
        Caller {
            app: self,
            token: Cow::Owned(token),
            user: None,
        }
    }
}

impl<'a> Caller<'a> {
    /// The caller with this token, knowing who the user is (for [`Caller::id`]).
    pub(crate) fn user(app: &'a TestApp, token: Cow<'a, str>, user: Uuid) -> Self {
        Self {
            app,
            token,
            user: Some(user),
        }
    }

    /// The bearer token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The user's id (known for a world's staff and for [`TestApp::sign_in`]).
    pub fn id(&self) -> Uuid {
        self.user
            .expect("a caller made from a bare session has no user id")
    }

    // Any endpoint.

    /// A request builder with the bearer token, for headers or bodies of other kinds.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.app.authed(method, path, self.token())
    }

    /// `GET` a path.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.app.get_as(self.token(), path).await
    }

    /// Any method with a JSON body.
    pub async fn send(&self, method: Method, path: &str, body: &Value) -> (StatusCode, Value) {
        self.app.send_as(self.token(), method, path, body).await
    }

    /// `POST` a JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, body).await
    }

    /// The items of every page of a keyset-paged list, following `next_cursor` until the
    /// last page; each page must be 200.
    pub async fn all_pages(&self, path: &str) -> Vec<Value> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut page_path = path.to_owned();
        loop {
            let (status, page) = self.get(&page_path).await;
            assert_eq!(status, StatusCode::OK, "{page_path}: {page}");
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => page_path = format!("{path}{separator}cursor={next}"),
                None => return items,
            }
        }
    }

    // Clients.

    /// A new client in `unit` (`POST /api/v1/clients`); returns its id.
    pub async fn client(&self, unit: Uuid, last_name: &str) -> Uuid {
        self.app.client(self.token(), unit, last_name).await
    }

    /// `POST /api/v1/clients`.
    pub async fn create_client(&self, body: &Value) -> (StatusCode, Value) {
        self.post("/api/v1/clients", body).await
    }

    /// `GET /api/v1/clients/{id}`.
    pub async fn read_client(&self, client: impl Display) -> (StatusCode, Value) {
        self.get(&format!("/api/v1/clients/{client}")).await
    }

    /// `PATCH /api/v1/clients/{id}`.
    pub async fn update_client(&self, client: impl Display, body: &Value) -> (StatusCode, Value) {
        self.send(Method::PATCH, &format!("/api/v1/clients/{client}"), body)
            .await
    }

    /// `POST /api/v1/clients/search`.
    pub async fn search_clients(&self, query: &Value) -> (StatusCode, Value) {
        self.post("/api/v1/clients/search", query).await
    }

    /// `POST /api/v1/clients/{id}/history`: an entry of the client's background.
    pub async fn add_history(&self, client: impl Display, body: &Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/clients/{client}/history"), body)
            .await
    }

    /// `GET /api/v1/clients/{id}/changes`: the rectification history.
    pub async fn changes(&self, client: impl Display) -> (StatusCode, Value) {
        self.get(&format!("/api/v1/clients/{client}/changes")).await
    }

    // Service periods.

    /// `POST /api/v1/clients/{id}/periods`.
    pub async fn open_period(&self, client: impl Display, body: &Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/clients/{client}/periods"), body)
            .await
    }

    /// A new service period of `client`; returns it (with its warnings).
    pub async fn period(&self, client: impl Display, body: &Value) -> Value {
        created(self.open_period(client, body).await)
    }

    /// `POST /api/v1/periods/{period_id}/goals`.
    pub async fn add_goal(&self, period: impl Display, body: &Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/periods/{period}/goals"), body).await
    }

    /// A new goal of `period`; returns it.
    pub async fn goal(&self, period: impl Display, body: &Value) -> Value {
        created(self.add_goal(period, body).await)
    }

    /// `POST /api/v1/periods/{period_id}/diary`.
    pub async fn write_diary(&self, period: impl Display, body: &Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/periods/{period}/diary"), body).await
    }

    /// A new diary entry of `period`; returns it.
    pub async fn diary_entry(&self, period: impl Display, body: &Value) -> Value {
        created(self.write_diary(period, body).await)
    }

    /// The assessment instrument with `code`, from `GET /api/v1/assessment-instruments`.
    pub async fn instrument(&self, code: &str) -> Value {
        let (status, list) = self.get("/api/v1/assessment-instruments").await;
        assert_eq!(status, StatusCode::OK);
        list.as_array()
            .expect("instruments")
            .iter()
            .find(|i| i["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("no instrument {code}: {list}"))
    }

    // Consents and disclosures.

    /// `POST /api/v1/clients/{id}/consents`.
    pub async fn give_consent(&self, client: impl Display, body: &Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/clients/{client}/consents"), body)
            .await
    }

    /// A new consent of `client`; returns it.
    pub async fn consent(&self, client: impl Display, body: &Value) -> Value {
        created(self.give_consent(client, body).await)
    }

    /// `POST /api/v1/clients/{id}/consents/{consent_id}/withdraw`.
    pub async fn withdraw_consent(
        &self,
        client: impl Display,
        consent: impl Display,
        body: &Value,
    ) -> (StatusCode, Value) {
        self.post(
            &format!("/api/v1/clients/{client}/consents/{consent}/withdraw"),
            body,
        )
        .await
    }

    /// The consents of `client` (`GET /api/v1/clients/{id}/consents`, which must be 200).
    pub async fn consents(&self, client: impl Display) -> Vec<Value> {
        let (status, list) = self.get(&format!("/api/v1/clients/{client}/consents")).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        list.as_array().expect("consents").clone()
    }

    /// `POST /api/v1/clients/{id}/disclosures`.
    pub async fn disclose(&self, client: impl Display, body: &Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/clients/{client}/disclosures"), body)
            .await
    }

    // Attendance.

    /// `POST /api/v1/attendance-groups`.
    pub async fn create_group(&self, body: &Value) -> (StatusCode, Value) {
        self.post("/api/v1/attendance-groups", body).await
    }

    /// `GET /api/v1/attendance/{sheet_id}/{date}`: a group's or a unit's day.
    pub async fn sheet(&self, sheet: impl Display, day: impl Display) -> (StatusCode, Value) {
        self.get(&format!("/api/v1/attendance/{sheet}/{day}")).await
    }

    /// `PUT /api/v1/attendance/{sheet_id}/{date}`: marks a group's or a unit's day.
    pub async fn mark_day(
        &self,
        sheet: impl Display,
        day: impl Display,
        body: &Value,
    ) -> (StatusCode, Value) {
        self.send(Method::PUT, &format!("/api/v1/attendance/{sheet}/{day}"), body)
            .await
    }

    // Administration.

    /// `PATCH /api/v1/admin/organisation`: the organisation's settings.
    pub async fn update_organisation(&self, body: &Value) -> (StatusCode, Value) {
        self.send(Method::PATCH, "/api/v1/admin/organisation", body).await
    }

    /// `POST /api/v1/admin/api-clients`: a new integrator; the body has its secret.
    pub async fn create_api_client(&self, body: &Value) -> (StatusCode, Value) {
        self.post("/api/v1/admin/api-clients", body).await
    }
}

/// The body of a response that must be `201 Created`.
#[track_caller]
pub fn created((status, body): (StatusCode, Value)) -> Value {
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}
