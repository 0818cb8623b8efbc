//! Wire types of administration: users, units, organisation settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::permissions::{Role, Scope};

/// UI language of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Suomi.
    Fi,
    /// Svenska.
    Sv,
    /// English.
    En,
}

impl Language {
    /// Stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fi => "fi",
            Language::Sv => "sv",
            Language::En => "en",
        }
    }
}

/// Change one's own preferences.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// UI language.
    pub language: Language,
}

/// Whether an account can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    /// Can log in (once a password is set).
    Active,
    /// Ended: cannot log in; kept so past actions stay attributable.
    Deactivated,
}

/// A new personal account. The user sets their own password through the invitation link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Login name; must not belong to another active account.
    #[schema(example = "aino.virtanen@kunta.fi")]
    pub email: String,
    /// Name shown in the UI and in logs.
    #[schema(example = "Aino Virtanen")]
    pub display_name: String,
    /// Roles by job description.
    pub roles: Vec<Role>,
    /// Units the user works in (coaches see only their units' clients).
    #[serde(default)]
    pub unit_ids: Vec<Uuid>,
    /// UI language (default `fi`).
    pub language: Option<Language>,
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// New display name.
    pub display_name: Option<String>,
    /// New set of roles (replaces the old).
    pub roles: Option<Vec<Role>>,
    /// New set of units (replaces the old).
    pub unit_ids: Option<Vec<Uuid>>,
    /// New UI language.
    pub language: Option<Language>,
}

/// A staff account.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub email: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// UI language.
    pub language: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Units.
    pub unit_ids: Vec<Uuid>,
    /// Active or deactivated.
    pub status: UserStatus,
    /// Whether the user has set a password.
    pub has_password: bool,
    /// Whether two-factor authentication is enabled.
    pub mfa_enabled: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Deactivated.
    pub deactivated_at: Option<DateTime<Utc>>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// How a one-time link for setting a password reached its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkDelivery {
    /// Sent to the user's e-mail address; the admin never sees it.
    Email,
    /// The instance has no e-mail: the link is in this response, once (the access log
    /// records that it was shown to the admin). Give it to the user through a trusted
    /// channel.
    Shown,
}

/// A one-time link for setting a password, issued for a user.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordLinkResponse {
    /// How the link reached the user.
    pub delivery: LinkDelivery,
    /// The link (its token works once); only when `delivery` is `shown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

/// A created account and its invitation link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUserResponse {
    /// The account.
    pub user: UserResponse,
    /// The link for setting the first password.
    pub invitation: PasswordLinkResponse,
}

/// Filters of the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListUsersParams {
    /// Only users with this status.
    pub status: Option<UserStatus>,
    /// Only users with this role.
    pub role: Option<Role>,
    /// Only users of this unit.
    pub unit_id: Option<Uuid>,
    /// Part of the name or email.
    pub q: Option<String>,
    /// Page size (1–200).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// A unit (toimintayksikkö).
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitResponse {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// When the unit was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// A new unit, or a new name for one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitRequest {
    /// Name, unique among the organisation's open units.
    #[schema(example = "Puutyöpaja")]
    pub name: String,
}

/// Filters of the unit list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListUnitsParams {
    /// Include closed units.
    pub include_closed: Option<bool>,
    /// Page size (1–200).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// Organisation settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationSettings {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Every user must use two-factor authentication.
    pub require_mfa: bool,
    /// Access token lifetime (60–900 s).
    pub access_token_ttl_secs: i32,
    /// A session ends after this much inactivity (300–86400 s).
    pub session_idle_timeout_secs: i32,
    /// A session ends after this long in any case (3600–604800 s).
    pub session_max_lifetime_secs: i32,
    /// Failed logins before an account locks (3–50).
    pub lockout_threshold: i32,
    /// How long a locked account stays locked (60–86400 s).
    pub lockout_duration_secs: i32,
    /// A user opening more distinct clients than this in a day shows in the report of
    /// unusual access (1–10000).
    pub unusual_access_daily_clients: i32,
    /// Hours in which the author of a diary entry may still edit it freely (0–720); after
    /// them a change is a correction with a reason.
    pub diary_edit_window_hours: i32,
    /// Expense allowance (kulukorvaus) per KTT participation day, in cents (default 900).
    pub allowance_rate_cents: i32,
    /// An electronic consent (e.g. signed through a secure channel) counts as a written one
    /// and so authorises a disclosure (default false). A verbal consent never does: Polku's
    /// privacy statement and consent form promise disclosures on written consent only.
    pub electronic_consent_is_written: bool,
    /// Version for `If-Match`.
    pub version: i32,
}

/// Changes to organisation settings; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisationRequest {
    /// Name.
    pub name: Option<String>,
    /// Require two-factor authentication.
    pub require_mfa: Option<bool>,
    /// Access token lifetime (60–900 s).
    pub access_token_ttl_secs: Option<i32>,
    /// Inactivity timeout (300–86400 s).
    pub session_idle_timeout_secs: Option<i32>,
    /// Maximum session length (3600–604800 s).
    pub session_max_lifetime_secs: Option<i32>,
    /// Failed logins before lock (3–50).
    pub lockout_threshold: Option<i32>,
    /// Lock duration (60–86400 s).
    pub lockout_duration_secs: Option<i32>,
    /// Daily distinct clients per user above which access is reported as unusual (1–10000).
    pub unusual_access_daily_clients: Option<i32>,
    /// Diary edit window (0–720 hours).
    pub diary_edit_window_hours: Option<i32>,
    /// Allowance per participation day in cents (0–100000).
    pub allowance_rate_cents: Option<i32>,
    /// Electronic consents count as written ones for disclosures.
    pub electronic_consent_is_written: Option<bool>,
}

/// A new API client for an integrator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiClientRequest {
    /// What the integration is, e.g. "PAR-tilastointi".
    pub name: String,
    /// Scopes the client may request.
    pub scopes: Vec<Scope>,
}

/// An integrator's API client (the secret is never shown again after creation or rotation).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientResponse {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// `client_id` for the token endpoint.
    pub client_id: String,
    /// Granted scopes.
    pub scopes: Vec<Scope>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// When the current secret was issued.
    pub secret_rotated_at: DateTime<Utc>,
    /// When the client was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A client together with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientSecretResponse {
    /// The client.
    pub client: ApiClientResponse,
    /// `client_secret` for the token endpoint; stored only as a hash.
    pub client_secret: String,
}
