//! The one audit writer. Every event is written in the same transaction as the work it
//! records, so if the write fails the work is rolled back (fail closed).

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
}

impl Category {
    fn as_str(self) -> &'static str {
        match self {
            Category::Auth => "auth",
            Category::Admin => "admin",
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
    /// Extra facts (field names, never values of personal data).
    pub details: serde_json::Value,
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
            details: serde_json::Value::Object(serde_json::Map::new()),
        }
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

/// Appends an event to the audit log.
pub async fn record(conn: &mut AsyncPgConnection, meta: &RequestMeta, event: AuditEvent) -> QueryResult<()> {
    let (actor_user_id, actor_api_client_id) = match event.actor {
        AuditActor::User(id) => (Some(id), None),
        AuditActor::ApiClient(id) => (None, Some(id)),
        AuditActor::System => (None, None),
    };
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(Uuid::now_v7()),
            audit_events::organisation_id.eq(event.organisation_id),
            audit_events::category.eq(event.category.as_str()),
            audit_events::action.eq(event.action),
            audit_events::actor_user_id.eq(actor_user_id),
            audit_events::actor_api_client_id.eq(actor_api_client_id),
            audit_events::subject_user_id.eq(event.subject_user_id),
            audit_events::subject_id.eq(event.subject_id),
            audit_events::details.eq(event.details),
            audit_events::request_id.eq(meta.request_id.as_deref()),
            audit_events::source_address.eq(meta.source_address.as_deref()),
            audit_events::user_agent.eq(meta.user_agent.as_deref()),
        ))
        .execute(conn)
        .await
        .map(drop)
}
