//! Request and response types of the client endpoints.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub use crate::domain::codes::Language;
use crate::domain::codes::nullable;

code_list! {
    /// Gender; `unknown` when not told.
    Gender {
        /// Male.
        Male => "male",
        /// Female.
        Female => "female",
        /// Other.
        Other => "other",
        /// Not known (ei tietoa).
        Unknown => "unknown",
    }
}

code_list! {
    /// Highest completed education, as the statistics count it.
    EducationLevel {
        /// No completed education.
        None => "none",
        /// Basic education (peruskoulu).
        Basic => "basic",
        /// General upper secondary (lukio).
        UpperSecondary => "upper_secondary",
        /// Vocational qualification (ammatillinen tutkinto).
        Vocational => "vocational",
        /// Higher education (korkea-aste).
        Higher => "higher",
        /// Not known.
        Unknown => "unknown",
    }
}

code_list! {
    /// Who referred the client to the service.
    Referrer {
        /// Employment services (työllisyyspalvelut, TE-palvelut).
        EmploymentServices => "employment_services",
        /// Social services.
        SocialServices => "social_services",
        /// Health services.
        HealthServices => "health_services",
        /// Kela.
        Kela => "kela",
        /// An educational institution.
        Education => "education",
        /// The client themself.
        #[serde(rename = "self")]
        SelfReferred => "self",
        /// Someone else.
        Other => "other",
        /// Not known.
        Unknown => "unknown",
    }
}

code_list! {
    /// Whether the client relationship is on.
    ClientStatus {
        /// Being served.
        Active => "active",
        /// The relationship has ended.
        Closed => "closed",
        /// Closed and moved to the archive.
        Archived => "archived",
    }
}

code_list! {
    /// Values that can be revealed instead of masked (field names in responses and in the
    /// access log).
    RevealField {
        /// The whole personal identity code.
        PersonalIdentityCode => "personal_identity_code",
        /// The whole bank account number.
        Iban => "iban",
    }
}

/// A new client. Without a personal identity code (not yet known, or a foreigner without
/// one), give the date of birth.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClientRequest {
    /// The unit that serves the client.
    pub unit_id: Uuid,
    /// First names.
    pub first_names: String,
    /// Last name.
    pub last_name: String,
    /// Personal identity code (`131052-308T`); unique in the organisation.
    pub personal_identity_code: Option<String>,
    /// Date of birth; derived from the identity code when one is given.
    pub birth_date: Option<NaiveDate>,
    /// Gender (default `unknown`).
    pub gender: Option<Gender>,
    /// Street address.
    pub street_address: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Post office.
    pub post_office: Option<String>,
    /// Home municipality.
    pub home_municipality: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Bank account (IBAN); spaces and lower case are accepted.
    pub iban: Option<String>,
    /// Language of service (default `fi`).
    pub language: Option<Language>,
    /// Mother tongue: ISO 639 code (`fi`, `sv`, `ar`, ...) or `unknown`.
    pub mother_tongue: Option<String>,
    /// Nationality: ISO 3166 country code (`FI`) or `unknown`.
    pub nationality: Option<String>,
    /// Profession.
    pub profession: Option<String>,
    /// Trade union (special-category data: needs the sensitive grant).
    pub trade_union: Option<String>,
    /// Highest completed education (default `unknown`).
    pub education_level: Option<EducationLevel>,
    /// Who referred the client (default `unknown`).
    pub referrer: Option<Referrer>,
    /// Responsible coach (a user of the organisation).
    pub responsible_coach_id: Option<Uuid>,
}

/// Changes to a client: absent fields stay as they are, `null` clears a field.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClientRequest {
    /// Move the client to another unit.
    pub unit_id: Option<Uuid>,
    /// First names.
    pub first_names: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Personal identity code.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub personal_identity_code: Option<Option<String>>,
    /// Date of birth (only without an identity code).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub birth_date: Option<Option<NaiveDate>>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Street address.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub street_address: Option<Option<String>>,
    /// Postal code.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub postal_code: Option<Option<String>>,
    /// Post office.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub post_office: Option<Option<String>>,
    /// Home municipality.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub home_municipality: Option<Option<String>>,
    /// Phone number.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// Email address.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// Bank account (IBAN).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub iban: Option<Option<String>>,
    /// Language of service.
    pub language: Option<Language>,
    /// Mother tongue (ISO 639 code or `unknown`).
    pub mother_tongue: Option<String>,
    /// Nationality (ISO 3166 code or `unknown`).
    pub nationality: Option<String>,
    /// Profession.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub profession: Option<Option<String>>,
    /// Trade union (needs the sensitive grant).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub trade_union: Option<Option<String>>,
    /// Highest completed education.
    pub education_level: Option<EducationLevel>,
    /// Who referred the client.
    pub referrer: Option<Referrer>,
    /// Responsible coach.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub responsible_coach_id: Option<Option<Uuid>>,
    /// Why the data is corrected (kept in the rectification history).
    pub reason: Option<String>,
}

/// Ends the client relationship.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseClientRequest {
    /// Last day of the relationship (not in the future).
    pub closed_on: NaiveDate,
    /// Why it ended (1–500 characters).
    pub reason: String,
}

/// Resumes a closed client relationship.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenClientRequest {
    /// Why it resumes (kept in the rectification history).
    pub reason: Option<String>,
}

/// A client. Identity code and bank account are masked unless revealed; the trade union is
/// present only for users with the sensitive grant.
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
    /// Personal identity code, masked (`131052-****`) unless revealed.
    pub personal_identity_code: Option<String>,
    /// The identity code is a temporary one (individual number 900–999).
    pub personal_identity_code_temporary: Option<bool>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Gender.
    pub gender: Gender,
    /// Street address.
    pub street_address: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Post office.
    pub post_office: Option<String>,
    /// Home municipality.
    pub home_municipality: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Bank account, masked to the country and last two characters (`FI** **** **** **** 85`) unless revealed.
    pub iban: Option<String>,
    /// Language of service.
    pub language: Language,
    /// Mother tongue.
    pub mother_tongue: String,
    /// Nationality.
    pub nationality: String,
    /// Profession.
    pub profession: Option<String>,
    /// Trade union; only with the sensitive grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trade_union: Option<String>,
    /// Highest completed education.
    pub education_level: EducationLevel,
    /// Who referred the client.
    pub referrer: Referrer,
    /// Responsible coach.
    pub responsible_coach_id: Option<Uuid>,
    /// Status.
    pub status: ClientStatus,
    /// Last day of the relationship.
    pub closed_on: Option<NaiveDate>,
    /// Why it ended.
    pub close_reason: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// Filters of the client list. Names match from the start of any name, ignoring case
/// and accents, and forgive small typing errors.
#[derive(Debug, Default, Clone, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListClientsParams {
    /// Name (last or first names).
    pub q: Option<String>,
    /// Only this unit's clients.
    pub unit_id: Option<Uuid>,
    /// Only this responsible coach's clients.
    pub responsible_coach_id: Option<Uuid>,
    /// Only clients in this status.
    pub status: Option<ClientStatus>,
    /// Only clients with an ongoing period of this service type (a code of the
    /// organisation's list, e.g. `ktt`).
    pub service_type: Option<String>,
    /// Items per page (1–200, default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// A search that may name personal data; sent in the body so that it stays out of URLs
/// and proxy logs.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchClientsRequest {
    /// Name (last or first names).
    pub q: Option<String>,
    /// Exact personal identity code.
    pub personal_identity_code: Option<String>,
    /// Phone number (digits compared, spaces and dashes ignored).
    pub phone: Option<String>,
    /// Email address (case-insensitive).
    pub email: Option<String>,
    /// Only this unit's clients.
    pub unit_id: Option<Uuid>,
    /// Only this responsible coach's clients.
    pub responsible_coach_id: Option<Uuid>,
    /// Only clients in this status.
    pub status: Option<ClientStatus>,
    /// Only clients with an ongoing period of this service type (a code of the
    /// organisation's list, e.g. `ktt`).
    pub service_type: Option<String>,
    /// Items per page (1–200, default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// One change in a client's rectification history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeResponse {
    /// Id.
    pub id: Uuid,
    /// What was changed: `client` or `history_entry`.
    pub record_type: String,
    /// The record changed.
    pub record_id: Uuid,
    /// When.
    pub changed_at: DateTime<Utc>,
    /// Who (a user).
    pub changed_by_user_id: Option<Uuid>,
    /// Who (an API client).
    pub changed_by_api_client_id: Option<Uuid>,
    /// Who, by name: the user's display name or the API client's name.
    pub changed_by_name: Option<String>,
    /// Fields changed.
    pub fields: Vec<String>,
    /// Their values before the change, by field name (identity codes and bank accounts
    /// masked).
    #[schema(value_type = Object)]
    pub previous: serde_json::Value,
    /// Why the data was corrected.
    pub reason: Option<String>,
}

code_list! {
    /// Kind of background entry.
    HistoryKind {
        /// Education.
        Education => "education",
        /// Work.
        Work => "work",
        /// Health (special category).
        Health => "health",
        /// Substance use (special category).
        SubstanceUse => "substance_use",
    }
}

impl HistoryKind {
    /// Special-category data (GDPR art. 9).
    pub fn is_sensitive(self) -> bool {
        matches!(self, HistoryKind::Health | HistoryKind::SubstanceUse)
    }
}

/// A new background entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHistoryEntryRequest {
    /// Kind; `health` and `substance_use` need the sensitive grant.
    pub kind: HistoryKind,
    /// From.
    pub starts_on: Option<NaiveDate>,
    /// Until.
    pub ends_on: Option<NaiveDate>,
    /// Free text (at most 10,000 characters).
    pub description: Option<String>,
    /// Education level reached (education entries).
    pub education_level: Option<EducationLevel>,
    /// Occupation (work entries).
    pub occupation: Option<String>,
}

/// Changes to an entry: absent fields stay, `null` clears.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateHistoryEntryRequest {
    /// From.
    #[serde(default, deserialize_with = "crate::domain::codes::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub starts_on: Option<Option<NaiveDate>>,
    /// Until.
    #[serde(default, deserialize_with = "crate::domain::codes::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    /// Free text.
    #[serde(default, deserialize_with = "crate::domain::codes::nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// Education level.
    #[serde(default, deserialize_with = "crate::domain::codes::nullable")]
    #[schema(value_type = Option<EducationLevel>)]
    pub education_level: Option<Option<EducationLevel>>,
    /// Occupation.
    #[serde(default, deserialize_with = "crate::domain::codes::nullable")]
    #[schema(value_type = Option<String>)]
    pub occupation: Option<Option<String>>,
    /// Why the entry is corrected (kept in the rectification history).
    pub reason: Option<String>,
}

/// A background entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryResponse {
    /// Id.
    pub id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Kind.
    pub kind: HistoryKind,
    /// From.
    pub starts_on: Option<NaiveDate>,
    /// Until.
    pub ends_on: Option<NaiveDate>,
    /// Free text.
    pub description: Option<String>,
    /// Education level.
    pub education_level: Option<EducationLevel>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version for `If-Match`.
    pub version: i32,
}
