//! The access log (käyttöloki) and disclosure log (luovutusloki): one append-only event
//! table and its one writer. Every event is written in the same transaction as the work
//! it records, so if the write fails the work is rolled back and nothing is returned
//! (fail closed). A background sealer chains each organisation's events ([`chain`]).

pub mod chain;
pub mod maintenance;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::http::RequestMeta;
use crate::schema::audit_events;

/// What kind of processing an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Authentication: logins, sessions, second factor.
    Auth,
    /// Administration: users, roles, units, API clients, settings.
    Admin,
    /// Processing of client data (read, create, update, ...).
    Client,
    /// Disclosure of client data to a third party.
    Disclosure,
    /// Reading the log itself.
    Audit,
}

impl Category {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Auth => "auth",
            Category::Admin => "admin",
            Category::Client => "client",
            Category::Disclosure => "disclosure",
            Category::Audit => "audit",
        }
    }
}

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditActor {
    /// A staff member.
    User(Uuid),
    /// An integrator's API client.
    ApiClient(Uuid),
    /// Nobody authenticated (failed logins) or the operator's command line.
    System,
}

/// One event to record.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    /// Tenant; `None` only for failed logins of unknown names.
    pub organisation_id: Option<Uuid>,
    /// Kind of processing.
    pub category: Category,
    /// What happened, e.g. `login_failed`, `user_deactivated`.
    pub action: &'static str,
    /// Who did it.
    pub actor: AuditActor,
    /// The user the event is about, if any.
    pub subject_user_id: Option<Uuid>,
    /// Another object the event is about (unit, API client, session).
    pub subject_id: Option<Uuid>,
    /// Clients whose data was processed (every client shown, for a list).
    pub client_ids: Vec<Uuid>,
    /// Kind of record processed (`client`, `history_entry`, ...).
    pub resource_type: Option<&'static str>,
    /// The records processed.
    pub resource_ids: Vec<Uuid>,
    /// Names of the fields touched, never their values.
    pub fields: Vec<String>,
    /// Stated reason for reading another unit's client.
    pub reason: Option<String>,
    /// Disclosure: who received the data, and on what basis.
    pub disclosure: Option<Disclosure>,
    /// Extra facts (field names, never values of personal data).
    pub details: serde_json::Value,
}

/// What processing of client data an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientAction {
    /// Viewed (one record or a list).
    Read,
    /// Created.
    Create,
    /// Changed.
    Update,
    /// Removed.
    Delete,
    /// Exported to a file or another system.
    Export,
    /// Printed.
    Print,
    /// Revealed a masked value (identity code, IBAN).
    Reveal,
    /// Searched by identity code (a use of the code), hit or miss: `client_ids` are the
    /// clients found (none for a miss), `details.outcome` is `hit`, `miss`, `refused`
    /// or `throttled`.
    Lookup,
}

impl ClientAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAction::Read => "read",
            ClientAction::Create => "create",
            ClientAction::Update => "update",
            ClientAction::Delete => "delete",
            ClientAction::Export => "export",
            ClientAction::Print => "print",
            ClientAction::Reveal => "reveal",
            ClientAction::Lookup => "lookup",
        }
    }
}

/// A disclosure of client data to a third party (luovutus).
#[derive(Debug, Clone)]
pub struct Disclosure {
    /// Who received the data.
    pub recipient: String,
    /// The law that requires or permits it, when not a consent.
    pub legal_basis: Option<String>,
    /// The consent it relied on.
    pub consent_id: Option<Uuid>,
    /// Categories of data disclosed (`contact_details`, `periods`, ...).
    pub data_categories: Vec<String>,
}

impl AuditEvent {
    /// An event with no subject and no details.
    pub fn new(
        organisation_id: Option<Uuid>,
        category: Category,
        action: &'static str,
        actor: AuditActor,
    ) -> Self {
        Self {
            organisation_id,
            category,
            action,
            actor,
            subject_user_id: None,
            subject_id: None,
            client_ids: Vec::new(),
            resource_type: None,
            resource_ids: Vec::new(),
            fields: Vec::new(),
            reason: None,
            disclosure: None,
            details: serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    /// Processing of client data: `action` on `resource_type` records `resource_ids`
    /// belonging to `client_ids`.
    ///
    /// Ids of any kind go in (typed ids or UUIDs); the log keeps UUIDs.
    pub fn client<C: Into<Uuid>, R: Into<Uuid>>(
        organisation_id: Uuid,
        actor: AuditActor,
        action: ClientAction,
        resource_type: &'static str,
        client_ids: Vec<C>,
        resource_ids: Vec<R>,
    ) -> Self {
        let mut event = Self::new(Some(organisation_id), Category::Client, action.as_str(), actor);
        event.resource_type = Some(resource_type);
        event.client_ids = client_ids.into_iter().map(Into::into).collect();
        event.resource_ids = resource_ids.into_iter().map(Into::into).collect();
        event
    }

    /// A disclosure of `client_ids`' data (`resource_ids` of `resource_type`).
    pub fn disclosure<C: Into<Uuid>, R: Into<Uuid>>(
        organisation_id: Uuid,
        actor: AuditActor,
        client_ids: Vec<C>,
        resource_type: &'static str,
        resource_ids: Vec<R>,
        disclosure: Disclosure,
    ) -> Self {
        let mut event = Self::new(Some(organisation_id), Category::Disclosure, "disclose", actor);
        event.resource_type = Some(resource_type);
        event.client_ids = client_ids.into_iter().map(Into::into).collect();
        event.resource_ids = resource_ids.into_iter().map(Into::into).collect();
        event.disclosure = Some(disclosure);
        event
    }

    /// Names of the fields touched.
    pub fn fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// The stated reason (reads of another unit's client).
    pub fn reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }

    /// About a user.
    pub fn about_user(mut self, user: Uuid) -> Self {
        self.subject_user_id = Some(user);
        self
    }

    /// About another object.
    pub fn about(mut self, id: Uuid) -> Self {
        self.subject_id = Some(id);
        self
    }

    /// With details.
    pub fn with(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Time zone of calendar days in reports.
pub const TIME_ZONE: &str = "Europe/Helsinki";

/// An event row as inserted. `None` is bound as NULL (not rendered as DEFAULT), so the
/// statement text never varies and stays a cached prepared statement.
#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
struct NewEvent {
    id: Uuid,
    organisation_id: Option<Uuid>,
    category: &'static str,
    action: &'static str,
    actor_user_id: Option<Uuid>,
    actor_api_client_id: Option<Uuid>,
    subject_user_id: Option<Uuid>,
    subject_id: Option<Uuid>,
    client_ids: Vec<Uuid>,
    resource_type: Option<&'static str>,
    resource_ids: Vec<Uuid>,
    fields: Vec<String>,
    reason: Option<String>,
    recipient: Option<String>,
    legal_basis: Option<String>,
    consent_id: Option<Uuid>,
    data_categories: Vec<String>,
    details: serde_json::Value,
    request_id: Option<String>,
    source_address: Option<String>,
    user_agent: Option<String>,
}

impl NewEvent {
    fn new(meta: &RequestMeta, event: AuditEvent) -> Self {
        let (actor_user_id, actor_api_client_id) = match event.actor {
            AuditActor::User(id) => (Some(id), None),
            AuditActor::ApiClient(id) => (None, Some(id)),
            AuditActor::System => (None, None),
        };
        let (recipient, legal_basis, consent_id, data_categories) = match event.disclosure {
            Some(d) => (Some(d.recipient), d.legal_basis, d.consent_id, d.data_categories),
            None => (None, None, None, Vec::new()),
        };
        Self {
            id: Uuid::now_v7(),
            organisation_id: event.organisation_id,
            category: event.category.as_str(),
            action: event.action,
            actor_user_id,
            actor_api_client_id,
            subject_user_id: event.subject_user_id,
            subject_id: event.subject_id,
            client_ids: event.client_ids,
            resource_type: event.resource_type,
            resource_ids: event.resource_ids,
            fields: event.fields,
            reason: event.reason,
            recipient,
            legal_basis,
            consent_id,
            data_categories,
            details: event.details,
            request_id: meta.request_id.clone(),
            source_address: meta.source_address.clone(),
            user_agent: meta.user_agent.clone(),
        }
    }
}

/// Appends an event to the log, in the caller's transaction.
pub async fn record(conn: &mut AsyncPgConnection, meta: &RequestMeta, event: AuditEvent) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(NewEvent::new(meta, event))
        .execute(conn)
        .await
        .map(drop)
}

/// Appends an event and returns it as stored.
pub async fn record_returning(
    conn: &mut AsyncPgConnection,
    meta: &RequestMeta,
    event: AuditEvent,
) -> QueryResult<chain::ChainEvent> {
    diesel::insert_into(audit_events::table)
        .values(NewEvent::new(meta, event))
        .returning(chain::ChainEvent::as_returning())
        .get_result(conn)
        .await
}
