//! Background history entries: their rows and queries. Health and substance-use entries
//! are selected only for callers with the sensitive grant (`sensitive`); for everybody
//! else they do not exist.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::clients::api::{EducationLevel, HistoryKind};
use crate::ids::ClientId;
use crate::schema::client_history_entries as entries;

/// Encryption context of sensitive entries' text.
pub const DESCRIPTION: &[u8] = b"client_history_entries.description";

/// A stored entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = entries, check_for_backend(diesel::pg::Pg))]
pub struct EntryRow {
    /// Id.
    pub id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Kind.
    pub kind: HistoryKind,
    /// From.
    pub starts_on: Option<NaiveDate>,
    /// Until.
    pub ends_on: Option<NaiveDate>,
    /// Plain text (education, work).
    pub description: Option<String>,
    /// Encrypted text (health, substance use).
    pub description_encrypted: Option<Vec<u8>>,
    /// Education level.
    pub education_level: Option<EducationLevel>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
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
    /// Kind.
    pub kind: HistoryKind,
    /// From.
    pub starts_on: Option<NaiveDate>,
    /// Until.
    pub ends_on: Option<NaiveDate>,
    /// Plain text (education, work).
    pub description: Option<String>,
    /// Encrypted text (health, substance use).
    pub description_encrypted: Option<Vec<u8>>,
    /// Education level.
    pub education_level: Option<EducationLevel>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Created by (user).
    pub created_by: Option<Uuid>,
}

/// Changes to an entry: `None` leaves a column as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = entries)]
pub struct EntryChanges {
    /// From.
    pub starts_on: Option<Option<NaiveDate>>,
    /// Until.
    pub ends_on: Option<Option<NaiveDate>>,
    /// Plain text.
    pub description: Option<Option<String>>,
    /// Encrypted text.
    pub description_encrypted: Option<Option<Vec<u8>>>,
    /// Education level.
    pub education_level: Option<Option<EducationLevel>>,
    /// Occupation.
    pub occupation: Option<Option<String>>,
}

/// The kinds the caller sees: health and substance use only with the sensitive grant.
fn kinds_visible(sensitive: bool) -> Vec<&'static str> {
    let mut kinds = vec!["education", "work"];
    if sensitive {
        kinds.extend(["health", "substance_use"]);
    }
    kinds
}

/// A client's entries the caller sees, by start date (undated last).
pub async fn of_client(
    conn: &mut AsyncPgConnection,
    client: ClientId,
    sensitive: bool,
) -> QueryResult<Vec<EntryRow>> {
    entries::table
        .filter(entries::client_id.eq(client))
        .filter(entries::kind.eq_any(kinds_visible(sensitive)))
        .order((entries::starts_on.asc().nulls_last(), entries::id))
        .select(EntryRow::as_select())
        .load(conn)
        .await
}

/// One entry of a client the caller sees, locked for update.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    client: ClientId,
    id: Uuid,
    sensitive: bool,
) -> QueryResult<Option<EntryRow>> {
    entries::table
        .filter(entries::id.eq(id))
        .filter(entries::client_id.eq(client))
        .filter(entries::kind.eq_any(kinds_visible(sensitive)))
        .select(EntryRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Inserts an entry.
pub async fn insert(conn: &mut AsyncPgConnection, entry: &NewEntry) -> QueryResult<EntryRow> {
    diesel::insert_into(entries::table)
        .values(entry)
        .returning(EntryRow::as_returning())
        .get_result(conn)
        .await
}

/// Applies changes to an entry, counting its version up.
pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, changes: &EntryChanges) -> QueryResult<EntryRow> {
    diesel::update(entries::table.find(id))
        .set((entries::version.eq(entries::version + 1), changes))
        .returning(EntryRow::as_returning())
        .get_result(conn)
        .await
}
