//! Consent rows, their withdrawals, and the one check every disclosure passes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api::{ConsentKind, ConsentResponse, ConsentStatus, DataCategory, GivenHow, WithdrawalResponse};
use crate::audit::Disclosure;
use crate::auth::actor::Actor;
use crate::error::ApiError;
use crate::ids::{ClientId, UnitId};
use crate::permissions::Permission;
use crate::schema::{consent_withdrawals as withdrawals, consents};

/// A stored consent.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = consents, check_for_backend(diesel::pg::Pg))]
pub struct ConsentRow {
    /// Id.
    pub id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Kind.
    pub kind: ConsentKind,
    /// Purpose.
    pub purpose: Option<String>,
    /// Recipient.
    pub recipient: Option<String>,
    /// The recipient is a category.
    pub recipient_is_category: bool,
    /// Data categories.
    pub data_categories: Vec<DataCategory>,
    /// Given at.
    pub given_at: DateTime<Utc>,
    /// Given how.
    pub given_how: GivenHow,
    /// Witness.
    pub witness: Option<String>,
    /// Scanned form.
    pub document_id: Option<Uuid>,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until.
    pub valid_until: Option<DateTime<Utc>>,
    /// Note.
    pub note: Option<String>,
    /// Replaced consent.
    pub replaces_id: Option<Uuid>,
    /// Recorded by.
    pub recorded_by_user_id: Option<Uuid>,
    /// Recorded at.
    pub recorded_at: DateTime<Utc>,
}

/// A stored withdrawal.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = withdrawals, check_for_backend(diesel::pg::Pg))]
pub struct WithdrawalRow {
    /// The consent.
    pub consent_id: Uuid,
    /// Effective from.
    pub withdrawn_at: DateTime<Utc>,
    /// How asked.
    pub requested_how: GivenHow,
    /// When asked.
    pub requested_at: DateTime<Utc>,
    /// Note.
    pub note: Option<String>,
    /// Recorded by.
    pub recorded_by_user_id: Option<Uuid>,
}

/// A consent to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = consents)]
pub struct NewConsent {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Kind.
    pub kind: ConsentKind,
    /// Purpose.
    pub purpose: Option<String>,
    /// Recipient.
    pub recipient: Option<String>,
    /// The recipient is a category.
    pub recipient_is_category: bool,
    /// Data categories.
    pub data_categories: Vec<DataCategory>,
    /// Given at (`None`: now).
    pub given_at: Option<DateTime<Utc>>,
    /// Given how.
    pub given_how: GivenHow,
    /// Witness.
    pub witness: Option<String>,
    /// Valid from (`None`: when given).
    pub valid_from: Option<DateTime<Utc>>,
    /// Valid until.
    pub valid_until: Option<DateTime<Utc>>,
    /// Note.
    pub note: Option<String>,
    /// Replaced consent.
    pub replaces_id: Option<Uuid>,
    /// Recorded by.
    pub recorded_by_user_id: Option<Uuid>,
}

/// A withdrawal to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = withdrawals)]
pub struct NewWithdrawal {
    /// The consent.
    pub consent_id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// How asked.
    pub requested_how: GivenHow,
    /// When asked (`None`: now).
    pub requested_at: Option<DateTime<Utc>>,
    /// Note.
    pub note: Option<String>,
    /// Recorded by.
    pub recorded_by_user_id: Option<Uuid>,
}

/// A consent with its withdrawal.
pub type Consent = (ConsentRow, Option<WithdrawalRow>);

/// Where a consent stands at `now`.
pub fn status((row, withdrawal): &Consent, now: DateTime<Utc>) -> ConsentStatus {
    if withdrawal.is_some() {
        ConsentStatus::Withdrawn
    } else if row.valid_from > now {
        ConsentStatus::Pending
    } else if row.valid_until.is_some_and(|until| until < now) {
        ConsentStatus::Expired
    } else {
        ConsentStatus::Active
    }
}

/// The response form of a consent.
pub fn response(consent: Consent, now: DateTime<Utc>) -> ConsentResponse {
    let status = status(&consent, now);
    let (row, withdrawal) = consent;
    ConsentResponse {
        id: row.id,
        client_id: row.client_id.into(),
        kind: row.kind,
        purpose: row.purpose,
        recipient: row.recipient,
        recipient_is_category: row.recipient_is_category,
        data_categories: row.data_categories,
        given_at: row.given_at,
        given_how: row.given_how,
        witness: row.witness,
        document_id: row.document_id,
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        note: row.note,
        replaces_id: row.replaces_id,
        recorded_by: row.recorded_by_user_id,
        recorded_at: row.recorded_at,
        status,
        withdrawal: withdrawal.map(|w| WithdrawalResponse {
            withdrawn_at: w.withdrawn_at,
            requested_how: w.requested_how,
            requested_at: w.requested_at,
            note: w.note,
            recorded_by: w.recorded_by_user_id,
        }),
    }
}

/// Every consent of a client, oldest given first.
pub async fn of_client(conn: &mut AsyncPgConnection, client: ClientId) -> QueryResult<Vec<Consent>> {
    consents::table
        .left_join(withdrawals::table)
        .filter(consents::client_id.eq(client))
        .order((consents::given_at.asc(), consents::id.asc()))
        .select((ConsentRow::as_select(), Option::<WithdrawalRow>::as_select()))
        .load(conn)
        .await
}

/// One consent of a client.
pub async fn find(conn: &mut AsyncPgConnection, client: ClientId, id: Uuid) -> QueryResult<Option<Consent>> {
    consents::table
        .left_join(withdrawals::table)
        .filter(consents::client_id.eq(client))
        .filter(consents::id.eq(id))
        .select((ConsentRow::as_select(), Option::<WithdrawalRow>::as_select()))
        .first(conn)
        .await
        .optional()
}

/// Records a consent given (the table takes inserts only: a consent is never edited).
pub async fn insert(conn: &mut AsyncPgConnection, consent: &NewConsent) -> QueryResult<usize> {
    diesel::insert_into(consents::table)
        .values(consent)
        .execute(conn)
        .await
}

/// Records the withdrawal of a consent.
pub async fn withdraw(conn: &mut AsyncPgConnection, withdrawal: &NewWithdrawal) -> QueryResult<usize> {
    diesel::insert_into(withdrawals::table)
        .values(withdrawal)
        .execute(conn)
        .await
}

/// Serialises the decisions about one client's consents: a withdrawal holds it
/// exclusively, a disclosure check shared, so a disclosure decided on a consent commits
/// before the withdrawal is recorded, and a disclosure after it sees the withdrawal.
pub async fn lock_client(conn: &mut AsyncPgConnection, client: ClientId, exclusive: bool) -> QueryResult<()> {
    let statement = if exclusive {
        "SELECT pg_advisory_xact_lock(7261, hashtext($1::text))"
    } else {
        "SELECT pg_advisory_xact_lock_shared(7261, hashtext($1::text))"
    };
    diesel::sql_query(statement)
        .bind::<SqlUuid, _>(client)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A consent in force that covers an intended disclosure, whatever way it was given.
#[derive(QueryableByName)]
struct Matched {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    given_how: GivenHow,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    electronic_is_written: bool,
}

impl Matched {
    /// Only a written consent authorises a disclosure (the privacy statement and consent
    /// form promise so); an electronic one counts as written where the organisation says.
    fn authorises(&self) -> bool {
        match self.given_how {
            GivenHow::Written => true,
            GivenHow::Electronic => self.electronic_is_written,
            GivenHow::Verbal => false,
        }
    }
}

/// A disclosure about to be made.
#[derive(Debug, Clone)]
pub struct Intended<'a> {
    /// Who receives the data.
    pub recipient: &'a str,
    /// The category of recipients it belongs to.
    pub recipient_category: Option<&'a str>,
    /// What is disclosed.
    pub categories: &'a [DataCategory],
    /// The consent relied on, if named.
    pub consent_id: Option<Uuid>,
    /// The law relied on instead of consent.
    pub legal_basis: Option<String>,
}

/// A disclosure on a statutory basis (a law that requires it, no consent needed): the
/// actor needs the permission to disclose so (403 otherwise), and special-category data
/// the sensitive grant. Returns what the disclosure log records.
pub fn statutory(
    actor: &Actor,
    recipient: &str,
    categories: &[DataCategory],
    legal_basis: String,
) -> Result<Disclosure, ApiError> {
    let mut data_categories: Vec<String> = categories.iter().map(|c| c.as_str().to_owned()).collect();
    data_categories.sort();
    data_categories.dedup();
    if categories.iter().any(|c| c.is_special()) {
        actor.require(Permission::SensitiveHistory)?;
    }
    actor.require(Permission::DisclosuresStatutory)?;
    Ok(Disclosure {
        recipient: recipient.to_owned(),
        legal_basis: Some(legal_basis),
        consent_id: None,
        data_categories,
    })
}

/// The one check of every disclosure of a client's data. With a legal basis, the actor
/// needs the permission to disclose on a statutory basis (403 otherwise). Without one, a
/// disclosure consent must be in force at this moment (not withdrawn, not pending, not
/// expired), cover every category and name this recipient or the category of recipients it
/// belongs to (and be the consent named, if one is), and be written: a verbal consent
/// never authorises a disclosure, an electronic one only where the organisation's setting
/// `electronic_consent_is_written` says so. Otherwise 409 with the reason and nothing is
/// disclosed. Returns what the disclosure log records.
pub async fn authorise_disclosure(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    client: ClientId,
    intended: Intended<'_>,
) -> Result<Disclosure, ApiError> {
    let Intended {
        recipient,
        recipient_category,
        categories,
        consent_id,
        legal_basis,
    } = intended;
    let mut data_categories: Vec<String> = categories.iter().map(|c| c.as_str().to_owned()).collect();
    data_categories.sort();
    data_categories.dedup();
    if categories.iter().any(|c| c.is_special()) {
        actor.require(Permission::SensitiveHistory)?;
    }
    if let Some(legal_basis) = legal_basis {
        return statutory(actor, recipient, categories, legal_basis);
    }
    lock_client(conn, client, false).await?;
    // The moment of the decision is now, after the lock: not the start of the request's
    // transaction, which may lie before a wait for the lock or for the body.
    let candidates: Vec<Matched> = diesel::sql_query(
        "WITH moment AS (SELECT clock_timestamp() AS at)
         SELECT c.id, c.given_how, o.electronic_consent_is_written AS electronic_is_written
         FROM consents c JOIN organisations o ON o.id = c.organisation_id, moment m
         WHERE c.client_id = $1 AND c.kind = 'disclosure'
           AND c.valid_from <= m.at AND (c.valid_until IS NULL OR m.at <= c.valid_until)
           AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id)
           AND c.data_categories @> $2
           AND ((NOT c.recipient_is_category AND c.recipient_key = polku_fold(btrim($4)))
                OR (c.recipient_is_category AND c.recipient_key = polku_fold(btrim($5))))
           AND ($3::uuid IS NULL OR c.id = $3)
         ORDER BY c.given_at DESC, c.id DESC",
    )
    .bind::<SqlUuid, _>(client)
    .bind::<Array<Text>, _>(&data_categories)
    .bind::<Nullable<SqlUuid>, _>(consent_id)
    .bind::<Text, _>(recipient)
    .bind::<Nullable<Text>, _>(recipient_category)
    .load(conn)
    .await?;
    let Some(matched) = candidates.iter().find(|c| c.authorises()) else {
        return Err(refusal(consent_id.is_some(), &candidates));
    };
    Ok(Disclosure {
        recipient: recipient.to_owned(),
        legal_basis: None,
        consent_id: Some(matched.id),
        data_categories,
    })
}

/// Why no consent authorises a disclosure: one in force covers it but was given verbally
/// (or electronically, not counted as written), or none covers it.
fn refusal(named: bool, candidates: &[Matched]) -> ApiError {
    let (code, detail) = if candidates.iter().any(|c| c.given_how == GivenHow::Electronic) {
        (
            "electronic_consent_not_written",
            "The consent that covers this disclosure was given electronically, and this organisation \
             does not count electronic consents as written; a disclosure needs the client's written \
             consent. Nothing was disclosed.",
        )
    } else if !candidates.is_empty() {
        (
            "verbal_consent",
            "The consent that covers this disclosure was given verbally; a disclosure needs the \
             client's written consent. Nothing was disclosed.",
        )
    } else if named {
        (
            "named_consent_not_in_force",
            "The named consent is not in force, is not this client's disclosure consent for this \
             recipient, or does not cover all of the data; nothing was disclosed.",
        )
    } else {
        (
            "no_consent",
            "No disclosure consent in force names this recipient and covers all of the data, and no \
             legal basis was given; nothing was disclosed.",
        )
    };
    ApiError::ConsentRequired {
        code,
        detail: detail.to_owned(),
    }
}

#[derive(Debug, QueryableByName)]
/// A row of the expiry report.
pub struct ExpiringRow {
    /// Consent.
    #[diesel(sql_type = SqlUuid)]
    pub consent_id: Uuid,
    /// Client.
    #[diesel(sql_type = SqlUuid)]
    pub client_id: ClientId,
    /// Name.
    #[diesel(sql_type = Text)]
    pub first_names: String,
    /// Name.
    #[diesel(sql_type = Text)]
    pub last_name: String,
    /// Unit.
    #[diesel(sql_type = SqlUuid)]
    pub unit_id: UnitId,
    /// Kind.
    #[diesel(sql_type = Text)]
    pub kind: ConsentKind,
    /// Recipient.
    #[diesel(sql_type = Nullable<Text>)]
    pub recipient: Option<String>,
    /// Valid until.
    #[diesel(sql_type = Timestamptz)]
    pub valid_until: DateTime<Utc>,
}

/// Consents in force that end within `days` days, of clients in `units` (`None`: all),
/// in id order after `cursor`; `limit` rows.
pub async fn expiring(
    conn: &mut AsyncPgConnection,
    days: i64,
    units: Option<&[UnitId]>,
    cursor: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<ExpiringRow>> {
    diesel::sql_query(
        "SELECT c.id AS consent_id, c.client_id, k.first_names, k.last_name, k.unit_id, c.kind,
                c.recipient, c.valid_until
         FROM consents c JOIN clients k ON k.organisation_id = c.organisation_id AND k.id = c.client_id
         WHERE c.valid_until IS NOT NULL AND c.valid_until >= now()
           AND c.valid_until < now() + make_interval(days => $1::int)
           AND c.valid_from <= now()
           AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id)
           AND k.status = 'active'
           AND ($2::uuid[] IS NULL OR k.unit_id = ANY($2))
           AND ($3::uuid IS NULL OR c.id > $3)
         ORDER BY c.id
         LIMIT $4",
    )
    .bind::<diesel::sql_types::BigInt, _>(days)
    .bind::<Nullable<Array<SqlUuid>>, _>(units)
    .bind::<Nullable<SqlUuid>, _>(cursor)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await
}

#[derive(Debug, QueryableByName)]
/// A row of the report of clients without a processing consent.
pub struct MissingRow {
    /// Client.
    #[diesel(sql_type = SqlUuid)]
    pub id: ClientId,
    /// Name.
    #[diesel(sql_type = Text)]
    pub first_names: String,
    /// Name.
    #[diesel(sql_type = Text)]
    pub last_name: String,
    /// Unit.
    #[diesel(sql_type = SqlUuid)]
    pub unit_id: UnitId,
}

/// Active clients of `units` (`None`: all) with no processing consent in force, in id
/// order after `cursor`; `limit` rows.
pub async fn without_processing_consent(
    conn: &mut AsyncPgConnection,
    units: Option<&[UnitId]>,
    cursor: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<MissingRow>> {
    diesel::sql_query(
        "SELECT k.id, k.first_names, k.last_name, k.unit_id
         FROM clients k
         WHERE k.status = 'active'
           AND ($1::uuid[] IS NULL OR k.unit_id = ANY($1))
           AND ($2::uuid IS NULL OR k.id > $2)
           AND NOT EXISTS (
               SELECT 1 FROM consents c
               WHERE c.organisation_id = k.organisation_id AND c.client_id = k.id
                 AND c.kind = 'processing' AND c.valid_from <= now()
                 AND (c.valid_until IS NULL OR now() <= c.valid_until)
                 AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id))
         ORDER BY k.id
         LIMIT $3",
    )
    .bind::<Nullable<Array<SqlUuid>>, _>(units)
    .bind::<Nullable<SqlUuid>, _>(cursor)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await
}

/// A row of a client's disclosure log.
#[derive(Debug, QueryableByName)]
pub struct DisclosureRow {
    /// Event id.
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    /// When.
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: DateTime<Utc>,
    /// Recipient.
    #[diesel(sql_type = Nullable<Text>)]
    pub recipient: Option<String>,
    /// Recipient category (from the event's details).
    #[diesel(sql_type = Nullable<Text>)]
    pub recipient_category: Option<String>,
    /// Categories.
    #[diesel(sql_type = Array<Text>)]
    pub data_categories: Vec<String>,
    /// Consent.
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub consent_id: Option<Uuid>,
    /// Law.
    #[diesel(sql_type = Nullable<Text>)]
    pub legal_basis: Option<String>,
    /// Who disclosed.
    #[diesel(sql_type = Nullable<Text>)]
    pub disclosed_by: Option<String>,
}

/// Most disclosure-log entries a client's log lists.
pub const DISCLOSURE_LOG_LIMIT: i64 = 500;

/// The disclosures of a client's data, newest first (at most [`DISCLOSURE_LOG_LIMIT`]).
pub async fn disclosures_of(
    conn: &mut AsyncPgConnection,
    client: ClientId,
) -> QueryResult<Vec<DisclosureRow>> {
    diesel::sql_query(
        "SELECT e.id, e.occurred_at, e.recipient, e.details->>'recipient_category' AS recipient_category,
                e.data_categories, e.consent_id, e.legal_basis,
                coalesce(u.display_name, a.name) AS disclosed_by
         FROM audit_events e
         LEFT JOIN users u ON u.id = e.actor_user_id
         LEFT JOIN api_clients a ON a.id = e.actor_api_client_id
         WHERE e.category = 'disclosure' AND e.client_ids @> ARRAY[$1::uuid]
         ORDER BY e.occurred_at DESC, e.id DESC
         LIMIT $2",
    )
    .bind::<SqlUuid, _>(client)
    .bind::<diesel::sql_types::BigInt, _>(DISCLOSURE_LOG_LIMIT)
    .load(conn)
    .await
}
