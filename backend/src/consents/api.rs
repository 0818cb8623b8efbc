//! Request and response types of the consent and disclosure endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::codes::Language;

code_list! {
    /// Categories of client data a consent covers and a disclosure names.
    DataCategory {
        /// Name, address, phone, email.
        ContactDetails => "contact_details",
        /// Personal identity code, date of birth.
        Identity => "identity",
        /// Education and work history.
        Background => "background",
        /// Health history (special category).
        Health => "health",
        /// Substance-use history (special category).
        SubstanceUse => "substance_use",
        /// Service periods, goals and plans.
        Periods => "periods",
        /// Attendance and allowances.
        Attendance => "attendance",
        /// Assessments, interim reports and final statements.
        Statements => "statements",
        /// Scanned documents.
        Documents => "documents",
    }
}

impl DataCategory {
    /// Special-category data (GDPR art. 9): only users with the sensitive grant consent
    /// to or disclose it on a client's behalf.
    pub fn is_special(self) -> bool {
        matches!(self, DataCategory::Health | DataCategory::SubstanceUse)
    }
}

code_list! {
    /// What a consent is for.
    ConsentKind {
        /// Processing the client's data for the service itself.
        Processing => "processing",
        /// Disclosing data to a named recipient or recipient category.
        Disclosure => "disclosure",
        /// Requesting data from a named party (the multi-agency network).
        DataRequest => "data_request",
        /// The organisation's own purpose, named in `purpose`.
        Other => "other",
    }
}

code_list! {
    /// How a client gave (or asked to withdraw) a consent.
    GivenHow {
        /// On a signed consent form (scanned back once documents exist).
        Written => "written",
        /// Electronically (e.g. a signed message through a secure channel).
        Electronic => "electronic",
        /// Verbally, with a witness named.
        Verbal => "verbal",
    }
}

code_list! {
    /// Where a consent stands now.
    ConsentStatus {
        /// Valid from a later moment.
        Pending => "pending",
        /// In force.
        Active => "active",
        /// Its validity has ended.
        Expired => "expired",
        /// Withdrawn by the client.
        Withdrawn => "withdrawn",
    }
}

/// A consent the client gives.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiveConsentRequest {
    /// What the consent is for.
    pub kind: ConsentKind,
    /// The purpose in words (required for `other`, at most 300 characters).
    pub purpose: Option<String>,
    /// Recipient (disclosure) or the party asked for data (data request): a named
    /// organisation, person or category of recipients; required for those kinds.
    pub recipient: Option<String>,
    /// `recipient` names a category of recipients (e.g. "oppilaitokset", educational
    /// institutions) rather than one recipient; a disclosure then names the category its
    /// recipient belongs to.
    #[serde(default)]
    pub recipient_is_category: bool,
    /// Which data the consent covers; at least one for disclosures and data requests.
    #[serde(default)]
    pub data_categories: Vec<DataCategory>,
    /// When the client gave it (default: now; never in the future).
    pub given_at: Option<DateTime<Utc>>,
    /// How the client gave it.
    pub given_how: GivenHow,
    /// Witness of a verbal consent (required for `verbal`).
    pub witness: Option<String>,
    /// Valid from (default: when given).
    pub valid_from: Option<DateTime<Utc>>,
    /// Valid until (inclusive); none means until withdrawn.
    pub valid_until: Option<DateTime<Utc>>,
    /// Note (at most 2,000 characters).
    pub note: Option<String>,
    /// A withdrawn consent of the same client that this one takes the place of.
    pub replaces_id: Option<Uuid>,
}

/// The client withdraws a consent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawConsentRequest {
    /// How the client asked.
    pub requested_how: GivenHow,
    /// When the client asked (default: now; never in the future).
    pub requested_at: Option<DateTime<Utc>>,
    /// Note (at most 2,000 characters).
    pub note: Option<String>,
}

/// A withdrawal.
#[derive(Debug, Serialize, ToSchema)]
pub struct WithdrawalResponse {
    /// Effective from (for every later disclosure).
    pub withdrawn_at: DateTime<Utc>,
    /// How the client asked.
    pub requested_how: GivenHow,
    /// When the client asked.
    pub requested_at: DateTime<Utc>,
    /// Note.
    pub note: Option<String>,
    /// Recorded by (user).
    pub recorded_by: Option<Uuid>,
}

/// A consent as given, with its withdrawal if any.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentResponse {
    /// Id.
    pub id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// What it is for.
    pub kind: ConsentKind,
    /// Purpose in words.
    pub purpose: Option<String>,
    /// Recipient or the party asked for data.
    pub recipient: Option<String>,
    /// The recipient is a category of recipients.
    pub recipient_is_category: bool,
    /// Data covered.
    pub data_categories: Vec<DataCategory>,
    /// When given.
    pub given_at: DateTime<Utc>,
    /// How given.
    pub given_how: GivenHow,
    /// Witness of a verbal consent.
    pub witness: Option<String>,
    /// The scanned consent form.
    pub document_id: Option<Uuid>,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until (inclusive).
    pub valid_until: Option<DateTime<Utc>>,
    /// Note.
    pub note: Option<String>,
    /// The withdrawn consent this one replaced.
    pub replaces_id: Option<Uuid>,
    /// Recorded by (user).
    pub recorded_by: Option<Uuid>,
    /// Recorded at.
    pub recorded_at: DateTime<Utc>,
    /// Where it stands now.
    pub status: ConsentStatus,
    /// The withdrawal, once withdrawn.
    pub withdrawal: Option<WithdrawalResponse>,
}

code_list! {
    /// What happened to a consent.
    ConsentEventKind {
        /// Given (recorded).
        Given => "given",
        /// Became valid later than it was given.
        Valid => "valid",
        /// Withdrawn.
        Withdrawn => "withdrawn",
        /// Expired.
        Expired => "expired",
    }
}

/// One moment in the history of a client's consents.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What happened.
    pub event: ConsentEventKind,
    /// The consent.
    pub consent_id: Uuid,
    /// What the consent is for.
    pub kind: ConsentKind,
    /// Purpose in words.
    pub purpose: Option<String>,
    /// Recipient.
    pub recipient: Option<String>,
    /// Who recorded it (given, withdrawn).
    pub recorded_by: Option<Uuid>,
    /// How the client asked (withdrawn).
    pub requested_how: Option<GivenHow>,
    /// When the client asked (withdrawn).
    pub requested_at: Option<DateTime<Utc>>,
}

/// A disclosure of the client's data.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureRequest {
    /// Who receives the data (authority, organisation or person), 1–300 characters.
    pub recipient: String,
    /// The category of recipients the recipient belongs to, to rely on a consent given for
    /// a category (1–300 characters).
    pub recipient_category: Option<String>,
    /// What is disclosed.
    pub data_categories: Vec<DataCategory>,
    /// The consent relied on; without it, a valid consent for this recipient covering
    /// the data is looked up.
    pub consent_id: Option<Uuid>,
    /// A statutory basis instead of consent: the law and section (e.g. "Laki
    /// kuntouttavasta työtoiminnasta 189/2001 13 §"). Needs the permission to disclose
    /// on a statutory basis.
    pub legal_basis: Option<String>,
}

/// A recorded disclosure.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureResponse {
    /// Id of the disclosure-log event.
    pub id: Uuid,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Client.
    pub client_id: Uuid,
    /// Recipient.
    pub recipient: String,
    /// What was disclosed.
    pub data_categories: Vec<DataCategory>,
    /// The consent it relied on.
    pub consent_id: Option<Uuid>,
    /// The law it relied on.
    pub legal_basis: Option<String>,
}

/// One entry of a client's disclosure log: to whom, what, on what basis, by whom.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureLogEntry {
    /// Id of the disclosure-log event.
    pub id: Uuid,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Recipient.
    pub recipient: String,
    /// The category of recipients named with it, if any.
    pub recipient_category: Option<String>,
    /// What was disclosed.
    pub data_categories: Vec<DataCategory>,
    /// The consent it relied on.
    pub consent_id: Option<Uuid>,
    /// The law it relied on.
    pub legal_basis: Option<String>,
    /// Who disclosed it (a user's display name or an API client's name; none for the
    /// system).
    pub disclosed_by: Option<String>,
}

/// `?days=` of the expiry report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExpiringParams {
    /// Consents whose validity ends within this many days (1–365, default 30).
    pub days: Option<i64>,
    /// Only clients of this unit.
    pub unit_id: Option<Uuid>,
    /// Items per page (1–200, default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// A consent that expires soon.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpiringConsent {
    /// The consent.
    pub consent_id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Client's name.
    pub client_name: String,
    /// Client's unit.
    pub unit_id: Uuid,
    /// What the consent is for.
    pub kind: ConsentKind,
    /// Recipient.
    pub recipient: Option<String>,
    /// Valid until.
    pub valid_until: DateTime<Utc>,
}

/// Filters of the report of clients without a processing consent.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MissingParams {
    /// Only clients of this unit.
    pub unit_id: Option<Uuid>,
    /// Items per page (1–200, default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// An active client with no processing consent in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientWithoutConsent {
    /// Client.
    pub client_id: Uuid,
    /// Client's name.
    pub client_name: String,
    /// Client's unit.
    pub unit_id: Uuid,
}

/// Which consents a printed form lists, and in which language.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FormParams {
    /// Comma-separated consent ids (default: every consent in force or pending).
    pub ids: Option<String>,
    /// Language of the form (default: the client's language of service).
    pub lang: Option<Language>,
}
