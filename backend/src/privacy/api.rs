//! Request and response types of the log endpoints.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::codes::Language;

/// Kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventCategory {
    /// Logins, sessions, second factor.
    Auth,
    /// Users, roles, units, API clients, settings.
    Admin,
    /// Processing of client data.
    Client,
    /// Disclosure of client data to a third party.
    Disclosure,
    /// Reading the log.
    Audit,
}

impl EventCategory {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventCategory::Auth => "auth",
            EventCategory::Admin => "admin",
            EventCategory::Client => "client",
            EventCategory::Disclosure => "disclosure",
            EventCategory::Audit => "audit",
        }
    }
}

/// Filters of the event search. Every filter narrows; results are newest first.
#[derive(Debug, Clone, Deserialize, IntoParams, Serialize)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventSearchParams {
    /// Kind of event.
    pub category: Option<EventCategory>,
    /// Action, e.g. `read`, `login_failed`.
    pub action: Option<String>,
    /// Acting user.
    pub user_id: Option<Uuid>,
    /// Acting API client.
    pub api_client_id: Option<Uuid>,
    /// Client whose data was processed.
    pub client_id: Option<Uuid>,
    /// Kind of record, e.g. `client`.
    pub resource_type: Option<String>,
    /// A record.
    pub resource_id: Option<Uuid>,
    /// From this time on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this time.
    pub to: Option<DateTime<Utc>>,
    /// Items per page (1–200, default 50).
    #[serde(skip_serializing)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[serde(skip_serializing)]
    pub cursor: Option<Uuid>,
}

/// One event of the access, disclosure or authentication log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventResponse {
    /// Id.
    pub id: Uuid,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Kind.
    pub category: String,
    /// What happened.
    pub action: String,
    /// Acting user.
    pub actor_user_id: Option<Uuid>,
    /// Acting API client.
    pub actor_api_client_id: Option<Uuid>,
    /// User the event is about.
    pub subject_user_id: Option<Uuid>,
    /// Other object the event is about.
    pub subject_id: Option<Uuid>,
    /// Clients whose data was processed.
    pub client_ids: Vec<Uuid>,
    /// Kind of record.
    pub resource_type: Option<String>,
    /// Records.
    pub resource_ids: Vec<Uuid>,
    /// Names of fields touched.
    pub fields: Vec<String>,
    /// Stated reason (another unit's client).
    pub reason: Option<String>,
    /// Disclosure: recipient.
    pub recipient: Option<String>,
    /// Disclosure: legal basis.
    pub legal_basis: Option<String>,
    /// Disclosure: the consent relied on.
    pub consent_id: Option<Uuid>,
    /// Disclosure: categories of data.
    pub data_categories: Vec<String>,
    /// Extra facts.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// Request id.
    pub request_id: Option<String>,
    /// Source address.
    pub source_address: Option<String>,
    /// User agent.
    pub user_agent: Option<String>,
}

/// Period of a report (calendar dates, Europe/Helsinki) and its language.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// First day (default: two years back).
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    pub to: Option<NaiveDate>,
    /// Language of the printable report (default: the client's language of service).
    pub lang: Option<Language>,
}

/// Who did something, as a report names them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportActor {
    /// `user`, `api_client` or `system`.
    pub kind: String,
    /// Id of the user or API client.
    pub id: Option<Uuid>,
    /// Name (a user's display name, an API client's name).
    pub name: Option<String>,
}

/// One processing of the client's data.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportEntry {
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Who.
    pub actor: ReportActor,
    /// Kind of event (`client` or `audit`).
    pub category: String,
    /// What (`read`, `update`, ...).
    pub action: String,
    /// Kind of record.
    pub resource_type: Option<String>,
    /// Fields touched.
    pub fields: Vec<String>,
    /// Stated reason.
    pub reason: Option<String>,
}

/// One disclosure of the client's data.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDisclosure {
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// To whom.
    pub recipient: String,
    /// Legal basis, when not a consent.
    pub legal_basis: Option<String>,
    /// The consent relied on.
    pub consent_id: Option<Uuid>,
    /// Categories of data.
    pub data_categories: Vec<String>,
    /// Records disclosed.
    pub resource_ids: Vec<Uuid>,
    /// Who disclosed.
    pub disclosed_by: ReportActor,
}

/// The client's access report: who processed their data, when and what, and every
/// disclosure with its basis (Client Data Act 703/2023).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessReport {
    /// Client.
    pub client_id: Uuid,
    /// Client's name.
    pub client_name: String,
    /// Language of the printable report.
    pub language: Language,
    /// First day covered.
    pub from: NaiveDate,
    /// Last day covered.
    pub to: NaiveDate,
    /// When the report was made.
    pub generated_at: DateTime<Utc>,
    /// Processing, oldest first.
    pub processing: Vec<ReportEntry>,
    /// Disclosures, oldest first.
    pub disclosures: Vec<ReportDisclosure>,
}

/// A read of a client outside the reader's own units.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutsideUnitRead {
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Who.
    pub user_id: Uuid,
    /// Their name.
    pub user_name: Option<String>,
    /// Whose data.
    pub client_id: Uuid,
    /// The stated reason.
    pub reason: Option<String>,
}

/// A user who opened more distinct clients in a day than the organisation's threshold.
#[derive(Debug, Serialize, ToSchema)]
pub struct BusyDay {
    /// Who.
    pub user_id: Uuid,
    /// Their name.
    pub user_name: Option<String>,
    /// The day (Europe/Helsinki).
    pub day: NaiveDate,
    /// Distinct clients opened that day.
    pub distinct_clients: i64,
}

/// Someone's identity-code lookups refused on one day: without the permission, or
/// throttled after a burst of misses (an attempt to guess codes).
#[derive(Debug, Serialize, ToSchema)]
pub struct LookupBurst {
    /// The user, if a user looked up.
    pub user_id: Option<Uuid>,
    /// The API client, if an integrator looked up.
    pub api_client_id: Option<Uuid>,
    /// The user's or API client's name.
    pub name: Option<String>,
    /// The day (Europe/Helsinki).
    pub day: NaiveDate,
    /// Lookups that found nobody.
    pub misses: i64,
    /// Lookups refused (no permission) or throttled.
    pub refused: i64,
}

/// Unusual access for the DPO to look into.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnusualAccessReport {
    /// First day covered.
    pub from: NaiveDate,
    /// Last day covered.
    pub to: NaiveDate,
    /// The organisation's daily threshold of distinct clients per user.
    pub daily_threshold: i32,
    /// Clients opened outside the reader's units.
    pub outside_units: Vec<OutsideUnitRead>,
    /// Days with more distinct clients opened than the threshold.
    pub busy_days: Vec<BusyDay>,
    /// Identity-code lookups refused or throttled: someone trying codes.
    pub identity_code_lookups: Vec<LookupBurst>,
}

/// Period of the unusual-access report (calendar dates, Europe/Helsinki).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UnusualParams {
    /// First day (default: 30 days back).
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    pub to: Option<NaiveDate>,
}
