//! The rectification history's one insert.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::ids::ClientId;
use crate::schema::client_changes;

/// A rectification-history entry to write.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = client_changes)]
pub struct NewChange {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// `client` or `history_entry`.
    pub record_type: &'static str,
    /// The record changed.
    pub record_id: Uuid,
    /// Holds special-category data (shown only with the sensitive grant).
    pub sensitive: bool,
    /// Acting user.
    pub changed_by_user_id: Option<Uuid>,
    /// Acting API client.
    pub changed_by_api_client_id: Option<Uuid>,
    /// Names of the fields changed.
    pub fields: Vec<String>,
    /// Previous plain values by field name.
    pub previous: serde_json::Value,
    /// Previous values of encrypted fields, as encrypted JSON.
    pub previous_encrypted: Option<Vec<u8>>,
    /// Why the data was corrected.
    pub reason: Option<String>,
}

/// Records changes.
pub async fn insert_changes(conn: &mut AsyncPgConnection, changes: &[NewChange]) -> QueryResult<()> {
    diesel::insert_into(client_changes::table)
        .values(changes)
        .execute(conn)
        .await
        .map(drop)
}
