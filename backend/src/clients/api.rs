//! Request and response types of the client endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Language of service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Finnish.
    Fi,
    /// Swedish.
    Sv,
    /// English.
    En,
    /// Another language (with an interpreter).
    Other,
}

impl Language {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fi => "fi",
            Language::Sv => "sv",
            Language::En => "en",
            Language::Other => "other",
        }
    }

    /// Parses a stored name.
    pub fn parse(value: &str) -> Option<Self> {
        [Language::Fi, Language::Sv, Language::En, Language::Other]
            .into_iter()
            .find(|language| language.as_str() == value)
    }
}

/// A new client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClientRequest {
    /// The unit that serves the client.
    pub unit_id: Uuid,
    /// First names.
    pub first_names: String,
    /// Last name.
    pub last_name: String,
    /// Language of service (default `fi`).
    pub language: Option<Language>,
}

/// Changes to a client; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClientRequest {
    /// Move the client to another unit.
    pub unit_id: Option<Uuid>,
    /// First names.
    pub first_names: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Language of service.
    pub language: Option<Language>,
}

/// A client.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientResponse {
    /// Id.
    pub id: Uuid,
    /// Unit.
    pub unit_id: Uuid,
    /// First names.
    pub first_names: String,
    /// Last name.
    pub last_name: String,
    /// Language of service.
    pub language: Language,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// Filters of the client list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListClientsParams {
    /// Only this unit's clients.
    pub unit_id: Option<Uuid>,
    /// Name begins with (last or first names, case-insensitive).
    pub q: Option<String>,
    /// Items per page (1–200, default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// Why a client of another unit is opened.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReadParams {
    /// Required to open a client outside one's own units (5–500 characters); recorded in
    /// the access log.
    pub access_reason: Option<String>,
}
