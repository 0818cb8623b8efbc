//! Client queries. Row-level security limits every query to the transaction's tenant.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::clients;

/// A client row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = clients, check_for_backend(diesel::pg::Pg))]
pub struct ClientRow {
    /// Id.
    pub id: Uuid,
    /// Unit.
    pub unit_id: Uuid,
    /// First names.
    pub first_names: String,
    /// Last name.
    pub last_name: String,
    /// Language of service.
    pub language: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

/// A new client.
#[derive(Debug, Insertable)]
#[diesel(table_name = clients)]
pub struct NewClient<'a> {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Unit.
    pub unit_id: Uuid,
    /// First names.
    pub first_names: &'a str,
    /// Last name.
    pub last_name: &'a str,
    /// Language.
    pub language: &'a str,
}

/// Changes to a client.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = clients)]
pub struct ClientChanges {
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// First names.
    pub first_names: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Language.
    pub language: Option<String>,
}

/// Inserts a client.
pub async fn insert(conn: &mut AsyncPgConnection, client: &NewClient<'_>) -> QueryResult<ClientRow> {
    diesel::insert_into(clients::table)
        .values(client)
        .returning(ClientRow::as_returning())
        .get_result(conn)
        .await
}

/// One client, if it is the tenant's.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ClientRow>> {
    clients::table
        .find(id)
        .select(ClientRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// One client, locked for an update.
pub async fn find_for_update(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ClientRow>> {
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
    id: Uuid,
    changes: &ClientChanges,
) -> QueryResult<ClientRow> {
    diesel::update(clients::table.find(id))
        .set((clients::version.eq(clients::version + 1), changes))
        .returning(ClientRow::as_returning())
        .get_result(conn)
        .await
}

/// What a list shows.
#[derive(Debug, Clone, Default)]
pub struct ClientFilter {
    /// Only these units (`None`: every unit).
    pub units: Option<Vec<Uuid>>,
    /// One unit.
    pub unit_id: Option<Uuid>,
    /// Name prefix, lower case.
    pub name_prefix: Option<String>,
}

/// A page of clients by id (`limit + 1` rows).
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &ClientFilter,
    cursor: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<ClientRow>> {
    let mut query = clients::table
        .select(ClientRow::as_select())
        .order(clients::id)
        .limit(limit + 1)
        .into_boxed();
    if let Some(units) = &filter.units {
        query = query.filter(clients::unit_id.eq_any(units.clone()));
    }
    if let Some(unit) = filter.unit_id {
        query = query.filter(clients::unit_id.eq(unit));
    }
    if let Some(prefix) = &filter.name_prefix {
        let pattern = format!("{}%", escape_like(prefix));
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(lower(last_name) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern.clone())
                .sql(" OR lower(first_names) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(")"),
        );
    }
    if let Some(cursor) = cursor {
        query = query.filter(clients::id.gt(cursor));
    }
    query.load(conn).await
}

fn escape_like(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::escape_like("50%_a\\"), "50\\%\\_a\\\\");
    }
}
