//! Client queries. Row-level security limits every query to the transaction's tenant.
//! The background history's queries are in [`history`].

pub mod history;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Float4, Integer, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api::{ClientStatus, EducationLevel, Gender, Referrer};
use crate::domain::codes::Language;
use crate::ids::{ClientId, UnitId};
use crate::schema::{client_changes, clients};

/// A client row (without the search and lookup columns).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = clients, check_for_backend(Pg))]
pub struct ClientRow {
    /// Id.
    pub id: ClientId,
    /// Organisation.
    pub organisation_id: Uuid,
    /// Unit.
    pub unit_id: UnitId,
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
    /// Version.
    pub version: i32,
    /// Identity code, encrypted.
    pub identity_code_encrypted: Option<Vec<u8>>,
    /// Visible part of the identity code (`131052-`).
    pub identity_code_prefix: Option<String>,
    /// Temporary identity code.
    pub identity_code_temporary: Option<bool>,
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
    /// Phone, normalised.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// IBAN, encrypted.
    pub iban_encrypted: Option<Vec<u8>>,
    /// IBAN, masked.
    pub iban_masked: Option<String>,
    /// Mother tongue.
    pub mother_tongue: String,
    /// Nationality.
    pub nationality: String,
    /// Profession.
    pub profession: Option<String>,
    /// Trade union, encrypted.
    pub trade_union_encrypted: Option<Vec<u8>>,
    /// Education level.
    pub education_level: EducationLevel,
    /// Referrer.
    pub referrer: Referrer,
    /// Responsible coach.
    pub responsible_coach_id: Option<Uuid>,
    /// Status.
    pub status: ClientStatus,
    /// Closing date.
    pub closed_on: Option<NaiveDate>,
    /// Closing reason.
    pub close_reason: Option<String>,
}

/// A new client.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = clients)]
pub struct NewClient {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Unit.
    pub unit_id: UnitId,
    /// First names.
    pub first_names: String,
    /// Last name.
    pub last_name: String,
    /// Language.
    pub language: Language,
    /// Identity code, encrypted.
    pub identity_code_encrypted: Option<Vec<u8>>,
    /// Keyed hash of the identity code.
    pub identity_code_hash: Option<Vec<u8>>,
    /// Visible part of the identity code.
    pub identity_code_prefix: Option<String>,
    /// Temporary identity code.
    pub identity_code_temporary: Option<bool>,
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
    /// Phone, normalised.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// IBAN, encrypted.
    pub iban_encrypted: Option<Vec<u8>>,
    /// IBAN, masked.
    pub iban_masked: Option<String>,
    /// Mother tongue.
    pub mother_tongue: String,
    /// Nationality.
    pub nationality: String,
    /// Profession.
    pub profession: Option<String>,
    /// Trade union, encrypted.
    pub trade_union_encrypted: Option<Vec<u8>>,
    /// Education level.
    pub education_level: EducationLevel,
    /// Referrer.
    pub referrer: Referrer,
    /// Responsible coach.
    pub responsible_coach_id: Option<Uuid>,
}

/// Changes to a client: `None` leaves a column alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = clients)]
pub struct ClientChanges {
    /// Unit.
    pub unit_id: Option<UnitId>,
    /// First names.
    pub first_names: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Language.
    pub language: Option<Language>,
    /// Identity code, encrypted.
    pub identity_code_encrypted: Option<Option<Vec<u8>>>,
    /// Keyed hash of the identity code.
    pub identity_code_hash: Option<Option<Vec<u8>>>,
    /// Visible part of the identity code.
    pub identity_code_prefix: Option<Option<String>>,
    /// Temporary identity code.
    pub identity_code_temporary: Option<Option<bool>>,
    /// Date of birth.
    pub birth_date: Option<Option<NaiveDate>>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Street address.
    pub street_address: Option<Option<String>>,
    /// Postal code.
    pub postal_code: Option<Option<String>>,
    /// Post office.
    pub post_office: Option<Option<String>>,
    /// Home municipality.
    pub home_municipality: Option<Option<String>>,
    /// Phone.
    pub phone: Option<Option<String>>,
    /// Email.
    pub email: Option<Option<String>>,
    /// IBAN, encrypted.
    pub iban_encrypted: Option<Option<Vec<u8>>>,
    /// IBAN, masked.
    pub iban_masked: Option<Option<String>>,
    /// Mother tongue.
    pub mother_tongue: Option<String>,
    /// Nationality.
    pub nationality: Option<String>,
    /// Profession.
    pub profession: Option<Option<String>>,
    /// Trade union, encrypted.
    pub trade_union_encrypted: Option<Option<Vec<u8>>>,
    /// Education level.
    pub education_level: Option<EducationLevel>,
    /// Referrer.
    pub referrer: Option<Referrer>,
    /// Responsible coach.
    pub responsible_coach_id: Option<Option<Uuid>>,
    /// Status.
    pub status: Option<ClientStatus>,
    /// Closing date.
    pub closed_on: Option<Option<NaiveDate>>,
    /// Closing reason.
    pub close_reason: Option<Option<String>>,
}

/// Inserts a client.
pub async fn insert(conn: &mut AsyncPgConnection, client: &NewClient) -> QueryResult<ClientRow> {
    diesel::insert_into(clients::table)
        .values(client)
        .returning(ClientRow::as_returning())
        .get_result(conn)
        .await
}

/// One client, if it is the tenant's.
pub async fn find(conn: &mut AsyncPgConnection, id: ClientId) -> QueryResult<Option<ClientRow>> {
    clients::table
        .find(id)
        .select(ClientRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// One client, locked for an update.
pub async fn find_for_update(conn: &mut AsyncPgConnection, id: ClientId) -> QueryResult<Option<ClientRow>> {
    clients::table
        .find(id)
        .select(ClientRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Applies changes and bumps the version.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: ClientId,
    changes: &ClientChanges,
) -> QueryResult<ClientRow> {
    diesel::update(clients::table.find(id))
        .set((clients::version.eq(clients::version + 1), changes))
        .returning(ClientRow::as_returning())
        .get_result(conn)
        .await
}

/// What a list shows. Every condition narrows.
#[derive(Debug, Clone, Default)]
pub struct ClientFilter {
    /// Only these units (`None`: every unit).
    pub units: Option<Vec<UnitId>>,
    /// One unit.
    pub unit_id: Option<UnitId>,
    /// Responsible coach.
    pub responsible_coach_id: Option<Uuid>,
    /// Status.
    pub status: Option<ClientStatus>,
    /// Service type of an ongoing period.
    pub service_type: Option<String>,
    /// Name as typed (folded in the database the way the index is).
    pub name: Option<String>,
    /// Keyed hash of an identity code.
    pub identity_code_hash: Option<Vec<u8>>,
    /// Normalised phone number.
    pub phone: Option<String>,
    /// Email, lower case.
    pub email: Option<String>,
}

/// Shortest name query that is also compared with the name dictionary (trigrams need
/// three letters).
const SIMILARITY_MIN_CHARS: usize = 3;

/// How similar a dictionary word must be to the query to count as a typing error of it
/// (pg_trgm similarity; 'virtasen' ~ 'virtanen' is 0.5).
const WORD_SIMILARITY: f32 = 0.45;

/// Most dictionary words a query expands to.
const MAX_SIMILAR_WORDS: i32 = 20;

diesel::define_sql_function! {
    /// Words of the organisation's name dictionary at least `threshold` like `query`
    /// (typing errors included), at most `most`, most alike first.
    fn polku_similar_words(query: Text, threshold: Float4, most: Integer) -> Array<Text>;
}

diesel::define_sql_function! {
    /// A page of a name search filtered at most by units and status (see its migration):
    /// the ids in name order.
    #[expect(clippy::too_many_arguments)]
    fn polku_name_search(
        query: Text,
        threshold: Float4,
        most: Integer,
        units: Nullable<Array<SqlUuid>>,
        unit: Nullable<SqlUuid>,
        wanted_status: Nullable<Text>,
        after: Nullable<SqlUuid>,
        page: Integer,
    ) -> Array<SqlUuid>;
}

/// How many dictionary words `name` expands to: none below three letters.
fn similar_words_most(name: &str) -> i32 {
    if name.chars().count() >= SIMILARITY_MIN_CHARS {
        MAX_SIMILAR_WORDS
    } else {
        0
    }
}

/// Words of the organisation's client names like `name` (typing errors included).
async fn similar_words(conn: &mut AsyncPgConnection, name: &str) -> QueryResult<Vec<String>> {
    let most = similar_words_most(name);
    if most == 0 {
        return Ok(Vec::new());
    }
    diesel::select(polku_similar_words(name, WORD_SIMILARITY, most))
        .get_result(conn)
        .await
}

/// A page of clients in name order (`limit + 1` rows); `cursor` is the id of the last
/// client of the previous page.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &ClientFilter,
    cursor: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<ClientRow>> {
    let only_units_and_status = filter.responsible_coach_id.is_none()
        && filter.service_type.is_none()
        && filter.identity_code_hash.is_none()
        && filter.phone.is_none()
        && filter.email.is_none();
    if let (Some(name), true) = (&filter.name, only_units_and_status) {
        // One statement whose plans the database keeps: each range of the name indexes
        // (the query as the start of the last or first name, each dictionary word like
        // it) read by itself, index-only and cut at the page, the union sorted once.
        let ids: Vec<Uuid> = diesel::select(polku_name_search(
            name,
            WORD_SIMILARITY,
            similar_words_most(name),
            filter.units.clone(),
            filter.unit_id,
            filter.status,
            cursor,
            i32::try_from(limit + 1).unwrap_or(i32::MAX),
        ))
        .get_result(conn)
        .await?;
        return clients::table
            .filter(clients::id.eq_any(ids))
            .select(ClientRow::as_select())
            .order((clients::search_name, clients::id))
            .load(conn)
            .await;
    }
    // First the page's ids from the name indexes alone, then their rows: a search that
    // matches thousands of clients reads only the page's rows.
    let mut query = clients::table
        .select(clients::id)
        .order((clients::search_name, clients::id))
        .limit(limit + 1)
        .into_boxed();
    if let Some(units) = &filter.units {
        query = query.filter(clients::unit_id.eq_any(units.clone()));
    }
    if let Some(unit) = filter.unit_id {
        query = query.filter(clients::unit_id.eq(unit));
    }
    if let Some(coach) = filter.responsible_coach_id {
        query = query.filter(clients::responsible_coach_id.eq(coach));
    }
    if let Some(status) = filter.status {
        query = query.filter(clients::status.eq(status));
    }
    if let Some(service_type) = &filter.service_type {
        use crate::schema::periods;
        query = query.filter(
            clients::id.eq_any(
                periods::table
                    .filter(periods::service_type.eq(service_type.clone()))
                    .filter(periods::ends_on.is_null())
                    .select(periods::client_id),
            ),
        );
    }
    if let Some(hash) = &filter.identity_code_hash {
        query = query.filter(clients::identity_code_hash.eq(hash.clone()));
    }
    if let Some(phone) = &filter.phone {
        query = query.filter(clients::phone.eq(phone.clone()));
    }
    if let Some(email) = &filter.email {
        query = query.filter(sql::<Bool>("lower(email) = ").bind::<Text, _>(email.clone()));
    }
    if let Some(name) = &filter.name {
        // Row-level security lets indexes serve only leakproof conditions (comparisons,
        // not LIKE or trigram operators), so a name becomes ranges of the name indexes:
        // names starting with the query (last name first, or first name first), and
        // names with a whole word from the dictionary like it.
        let words = similar_words(conn, name).await?;
        let mut condition: Box<dyn BoxableExpression<clients::table, Pg, SqlType = Bool>> = Box::new(
            sql::<Bool>("((search_name >= (polku_fold(")
                .bind::<Text, _>(name.clone())
                .sql(") COLLATE \"C\") AND search_name < (polku_fold(")
                .bind::<Text, _>(name.clone())
                .sql(") || chr(1114111)) COLLATE \"C\")")
                .sql(" OR (search_first >= (polku_fold(")
                .bind::<Text, _>(name.clone())
                .sql(") COLLATE \"C\") AND search_first < (polku_fold(")
                .bind::<Text, _>(name.clone())
                .sql(") || chr(1114111)) COLLATE \"C\"))"),
        );
        for word in words {
            // The whole word, then a space or the end: [word, word || '!') holds exactly
            // "word" and "word ..." (space is the only byte between them).
            for column in ["search_name", "search_first"] {
                let range = sql::<Bool>(&format!("({column} >= "))
                    .bind::<Text, _>(word.clone())
                    .sql(&format!(" AND {column} < "))
                    .bind::<Text, _>(format!("{word}!"))
                    .sql(")");
                condition = Box::new(condition.or(range));
            }
        }
        query = query.filter(condition);
    }
    if let Some(cursor) = cursor {
        query = query.filter(
            sql::<Bool>("(search_name, id) > (SELECT c.search_name, c.id FROM clients c WHERE c.id = ")
                .bind::<diesel::sql_types::Uuid, _>(cursor)
                .sql(")"),
        );
    }
    clients::table
        .filter(clients::id.eq_any(query))
        .select(ClientRow::as_select())
        .order((clients::search_name, clients::id))
        .load(conn)
        .await
}

/// A stored rectification-history entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_changes, check_for_backend(Pg))]
pub struct ChangeRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub organisation_id: Uuid,
    /// `client` or `history_entry`.
    pub record_type: String,
    /// The record changed.
    pub record_id: Uuid,
    /// Holds special-category data.
    pub sensitive: bool,
    /// When.
    pub changed_at: DateTime<Utc>,
    /// Acting user.
    pub changed_by_user_id: Option<Uuid>,
    /// Acting API client.
    pub changed_by_api_client_id: Option<Uuid>,
    /// Fields changed.
    pub fields: Vec<String>,
    /// Previous plain values.
    pub previous: serde_json::Value,
    /// Previous encrypted values.
    pub previous_encrypted: Option<Vec<u8>>,
    /// Why.
    pub reason: Option<String>,
}

/// A client's changes, oldest first (at most `limit`), each with the name of who made
/// it (the user's display name or the API client's name).
pub async fn changes(
    conn: &mut AsyncPgConnection,
    client: ClientId,
    limit: i64,
) -> QueryResult<Vec<(ChangeRow, Option<String>)>> {
    use crate::schema::{api_clients, users};
    let rows: Vec<(ChangeRow, Option<String>, Option<String>)> = client_changes::table
        .left_join(users::table.on(client_changes::changed_by_user_id.eq(users::id.nullable())))
        .left_join(
            api_clients::table.on(client_changes::changed_by_api_client_id.eq(api_clients::id.nullable())),
        )
        .filter(client_changes::client_id.eq(client))
        .order((client_changes::changed_at, client_changes::id))
        .select((
            ChangeRow::as_select(),
            users::display_name.nullable(),
            api_clients::name.nullable(),
        ))
        .limit(limit)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row, user, api_client)| (row, user.or(api_client)))
        .collect())
}

impl ClientRow {
    /// First names and last name, as printed.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_names, self.last_name)
    }
}

/// Whether another client of the organisation (other than `except`) has this identity
/// code's keyed hash.
pub async fn identity_code_taken(
    conn: &mut AsyncPgConnection,
    hash: &[u8],
    except: Option<Uuid>,
) -> QueryResult<bool> {
    let mut query = clients::table
        .filter(clients::identity_code_hash.eq(hash.to_vec()))
        .select(clients::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(clients::id.ne(id));
    }
    diesel::select(diesel::dsl::exists(query)).get_result(conn).await
}

/// The recent identity-code misses of one principal (a user or an API client).
#[derive(Debug, QueryableByName)]
pub struct LookupMisses {
    /// Misses in the window.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub misses: i64,
    /// Seconds until the oldest of them leaves the window (0 when there are none).
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub retry_after_secs: i64,
}

/// Serialises the identity-code lookups of one principal until the transaction ends, so
/// that parallel lookups count each other's misses (on every instance).
pub async fn lock_lookups(conn: &mut AsyncPgConnection, principal: Uuid) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('polku.lookup:' || $1::text, 0))")
        .bind::<SqlUuid, _>(principal)
        .execute(conn)
        .await
        .map(drop)
}

/// How many identity-code lookups of the principal (`user` or `api_client`) missed in the
/// last `window_secs` seconds, from the access log.
pub async fn lookup_misses(
    conn: &mut AsyncPgConnection,
    (user, api_client): (Option<Uuid>, Option<Uuid>),
    window_secs: u32,
) -> QueryResult<LookupMisses> {
    diesel::sql_query(
        "SELECT count(*) AS misses,
                COALESCE(ceil(extract(epoch FROM min(occurred_at) + make_interval(secs => $3) - now())), 0)::bigint
                    AS retry_after_secs
         FROM audit_events
         WHERE category = 'client' AND action = 'lookup' AND details->>'outcome' = 'miss'
           AND occurred_at > now() - make_interval(secs => $3)
           AND actor_user_id IS NOT DISTINCT FROM $1
           AND actor_api_client_id IS NOT DISTINCT FROM $2",
    )
    .bind::<Nullable<SqlUuid>, _>(user)
    .bind::<Nullable<SqlUuid>, _>(api_client)
    .bind::<diesel::sql_types::Double, _>(f64::from(window_secs))
    .get_result(conn)
    .await
}
