//! Diary entry rows and their queries, with the organisation's edit window and the
//! entries' authors.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::ids::{ClientId, PeriodId};
use crate::periods::api::DiaryParams;
use crate::schema::{diary_entries as entries, organisations};

/// Encryption context of sensitive entries' text.
pub const BODY: &[u8] = b"diary_entries.body";

/// A stored entry.
#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = entries, check_for_backend(diesel::pg::Pg))]
pub struct EntryRow {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: PeriodId,
    /// Date.
    pub entry_date: NaiveDate,
    /// Plain text.
    pub body: Option<String>,
    /// Encrypted text.
    pub body_encrypted: Option<Vec<u8>>,
    /// Special-category content.
    pub sensitive: bool,
    /// Author.
    pub author_id: Option<Uuid>,
    /// Written.
    pub created_at: DateTime<Utc>,
    /// Changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

/// An entry to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = entries)]
pub struct NewEntry {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Period.
    pub period_id: PeriodId,
    /// Date.
    pub entry_date: NaiveDate,
    /// Plain text.
    pub body: Option<String>,
    /// Encrypted text.
    pub body_encrypted: Option<Vec<u8>>,
    /// Special-category content.
    pub sensitive: bool,
    /// Author.
    pub author_id: Option<Uuid>,
}

/// Columns a change sets.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = entries)]
pub struct EntryChanges {
    /// Date.
    pub entry_date: Option<NaiveDate>,
    /// Plain text.
    pub body: Option<Option<String>>,
    /// Encrypted text.
    pub body_encrypted: Option<Option<Vec<u8>>>,
    /// Special-category content (the text moves between `body` and `body_encrypted`).
    pub sensitive: Option<bool>,
    /// Version.
    pub version: Option<i32>,
}

/// How long the author may edit freely.
pub async fn edit_window(conn: &mut AsyncPgConnection) -> QueryResult<Duration> {
    let hours: i32 = organisations::table
        .select(organisations::diary_edit_window_hours)
        .first(conn)
        .await?;
    Ok(Duration::hours(i64::from(hours)))
}

/// The edit window and whether `service_type` follows the KTT rules, in one query (the
/// period page needs both).
pub async fn edit_window_and_ktt(
    conn: &mut AsyncPgConnection,
    service_type: &str,
) -> QueryResult<(Duration, bool)> {
    use crate::schema::code_values;
    let ktt = code_values::table
        .filter(code_values::list.eq("service_type"))
        .filter(code_values::code.eq(service_type.to_owned()))
        .select(code_values::ktt_rules)
        .single_value();
    let (hours, ktt): (i32, Option<bool>) = organisations::table
        .select((organisations::diary_edit_window_hours, ktt))
        .first(conn)
        .await?;
    Ok((Duration::hours(i64::from(hours)), ktt.unwrap_or(false)))
}

/// The names of the authors of `rows`, by user id.
pub async fn author_names(
    conn: &mut AsyncPgConnection,
    rows: &[EntryRow],
) -> QueryResult<HashMap<Uuid, String>> {
    use crate::schema::users;
    let mut ids: Vec<Uuid> = rows.iter().filter_map(|row| row.author_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let names: Vec<(Uuid, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)
        .await?;
    Ok(names.into_iter().collect())
}

/// The latest `n` entries of a period the caller may see.
pub async fn latest(
    conn: &mut AsyncPgConnection,
    period: PeriodId,
    sensitive: bool,
    n: i64,
) -> QueryResult<Vec<EntryRow>> {
    let mut query = entries::table
        .filter(entries::period_id.eq(period))
        .order((entries::entry_date.desc(), entries::id.desc()))
        .limit(n)
        .select(EntryRow::as_select())
        .into_boxed();
    if !sensitive {
        query = query.filter(entries::sensitive.eq(false));
    }
    query.load(conn).await
}

/// Entries of a period or of a client's every period, newest date first, filtered and
/// searched (Finnish stemming; every word must occur), `limit` rows after `cursor`.
#[expect(clippy::too_many_arguments, reason = "the filters of one query")]
pub async fn search(
    conn: &mut AsyncPgConnection,
    period: Option<PeriodId>,
    client: Option<ClientId>,
    sensitive: bool,
    params: &DiaryParams,
    q: Option<&str>,
    cursor: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    diesel::sql_query(
        "SELECT d.id, d.period_id, d.entry_date, d.body, d.body_encrypted, d.sensitive, d.author_id,
                d.created_at, d.updated_at, d.version
         FROM diary_entries d
         WHERE ($1::uuid IS NULL OR d.period_id = $1)
           AND ($2::uuid IS NULL OR d.client_id = $2)
           AND ($3 OR NOT d.sensitive)
           AND ($4::date IS NULL OR d.entry_date >= $4)
           AND ($5::date IS NULL OR d.entry_date <= $5)
           AND ($6::text IS NULL OR to_tsvector('finnish', d.body) @@ plainto_tsquery('finnish', $6))
           AND ($7::uuid IS NULL OR (d.entry_date, d.id) <
                (SELECT c.entry_date, c.id FROM diary_entries c WHERE c.id = $7))
         ORDER BY d.entry_date DESC, d.id DESC
         LIMIT $8",
    )
    .bind::<Nullable<SqlUuid>, _>(period)
    .bind::<Nullable<SqlUuid>, _>(client)
    .bind::<Bool, _>(sensitive)
    .bind::<Nullable<Date>, _>(params.from)
    .bind::<Nullable<Date>, _>(params.to)
    .bind::<Nullable<Text>, _>(q)
    .bind::<Nullable<SqlUuid>, _>(cursor)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await
}

/// Entry `entry` of `period`, locked for a change.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    period: PeriodId,
    entry: Uuid,
) -> QueryResult<Option<EntryRow>> {
    entries::table
        .filter(entries::id.eq(entry))
        .filter(entries::period_id.eq(period))
        .select(EntryRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Adds an entry.
pub async fn insert(conn: &mut AsyncPgConnection, new: &NewEntry) -> QueryResult<EntryRow> {
    diesel::insert_into(entries::table)
        .values(new)
        .returning(EntryRow::as_returning())
        .get_result(conn)
        .await
}

/// Applies `changes` to entry `id` (the caller bumps the version in them).
pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, changes: &EntryChanges) -> QueryResult<EntryRow> {
    diesel::update(entries::table.find(id))
        .set(changes)
        .returning(EntryRow::as_returning())
        .get_result(conn)
        .await
}
