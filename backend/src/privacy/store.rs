//! Log queries for the DPO's and admin's views. Row-level security keeps them in the
//! tenant; partitions are pruned by the time range.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Integer, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::audit::chain::ChainEvent;
use crate::schema::{api_clients, audit_events, users};

/// Largest number of events a report lists.
pub const REPORT_LIMIT: i64 = 10_000;

/// What an event search selects.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only these categories (`None`: all).
    pub categories: Option<Vec<&'static str>>,
    /// Action.
    pub action: Option<String>,
    /// Acting user.
    pub user_id: Option<Uuid>,
    /// Acting API client.
    pub api_client_id: Option<Uuid>,
    /// Client processed.
    pub client_id: Option<Uuid>,
    /// Record kind.
    pub resource_type: Option<String>,
    /// Record.
    pub resource_id: Option<Uuid>,
    /// From (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// To (exclusive).
    pub to: Option<DateTime<Utc>>,
}

fn has_clients() -> diesel::expression::SqlLiteral<Bool> {
    diesel::dsl::sql::<Bool>("cardinality(client_ids) > 0")
}

/// When the event `id` happened (for keyset paging), if it is the tenant's.
pub async fn event_time(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<DateTime<Utc>>> {
    audit_events::table
        .filter(audit_events::id.eq(id))
        .select(audit_events::occurred_at)
        .first(conn)
        .await
        .optional()
}

/// A page of events, newest first (`limit + 1` rows), after the event at `cursor`.
pub async fn search(
    conn: &mut AsyncPgConnection,
    filter: &EventFilter,
    cursor: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<ChainEvent>> {
    let mut query = audit_events::table
        .select(ChainEvent::as_select())
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(categories) = &filter.categories {
        query = query.filter(audit_events::category.eq_any(categories.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(user) = filter.user_id {
        query = query.filter(audit_events::actor_user_id.eq(user));
    }
    if let Some(client) = filter.api_client_id {
        query = query.filter(audit_events::actor_api_client_id.eq(client));
    }
    if let Some(client) = filter.client_id {
        query = query
            .filter(has_clients())
            .filter(audit_events::client_ids.contains(vec![client]));
    }
    if let Some(kind) = &filter.resource_type {
        query = query.filter(audit_events::resource_type.eq(kind.clone()));
    }
    if let Some(resource) = filter.resource_id {
        query = query.filter(
            audit_events::resource_ids
                .contains(vec![resource])
                .or(audit_events::subject_id.eq(resource))
                .or(audit_events::subject_user_id.eq(resource)),
        );
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_events::occurred_at.lt(to));
    }
    if let Some((at, id)) = cursor {
        query = query.filter(
            audit_events::occurred_at
                .lt(at)
                .or(audit_events::occurred_at.eq(at).and(audit_events::id.lt(id))),
        );
    }
    query.load(conn).await
}

/// Every event about `client` in `[from, to)`, oldest first (at most [`REPORT_LIMIT`]).
pub async fn client_events(
    conn: &mut AsyncPgConnection,
    client: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<ChainEvent>> {
    audit_events::table
        .filter(has_clients())
        .filter(audit_events::client_ids.contains(vec![client]))
        .filter(audit_events::occurred_at.ge(from))
        .filter(audit_events::occurred_at.lt(to))
        .select(ChainEvent::as_select())
        .order((audit_events::occurred_at, audit_events::id))
        .limit(REPORT_LIMIT)
        .load(conn)
        .await
}

/// Display names of users and names of API clients, by id.
pub async fn names(
    conn: &mut AsyncPgConnection,
    user_ids: Vec<Uuid>,
    api_client_ids: Vec<Uuid>,
) -> QueryResult<std::collections::HashMap<Uuid, String>> {
    let mut names: std::collections::HashMap<Uuid, String> = users::table
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::display_name))
        .load::<(Uuid, String)>(conn)
        .await?
        .into_iter()
        .collect();
    names.extend(
        api_clients::table
            .filter(api_clients::id.eq_any(api_client_ids))
            .select((api_clients::id, api_clients::name))
            .load::<(Uuid, String)>(conn)
            .await?,
    );
    Ok(names)
}

/// Reads flagged as outside the reader's units, in `[from, to)`, oldest first.
pub async fn outside_unit_reads(
    conn: &mut AsyncPgConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<ChainEvent>> {
    audit_events::table
        .filter(audit_events::category.eq("client"))
        .filter(audit_events::action.eq("read"))
        .filter(audit_events::details.contains(serde_json::json!({ "outside_units": true })))
        .filter(audit_events::occurred_at.ge(from))
        .filter(audit_events::occurred_at.lt(to))
        .select(ChainEvent::as_select())
        .order((audit_events::occurred_at, audit_events::id))
        .limit(REPORT_LIMIT)
        .load(conn)
        .await
}

/// A user's distinct clients opened on one day.
#[derive(Debug, QueryableByName)]
pub struct BusyDayRow {
    /// User.
    #[diesel(sql_type = SqlUuid)]
    pub user_id: Uuid,
    /// Day (Europe/Helsinki).
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    /// Distinct clients.
    #[diesel(sql_type = BigInt)]
    pub distinct_clients: i64,
}

/// Users who opened more than `threshold` distinct clients (one client's record at a time,
/// so browsing lists does not count) on a day in `[from, to)`.
pub async fn busy_days(
    conn: &mut AsyncPgConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    threshold: i32,
) -> QueryResult<Vec<BusyDayRow>> {
    diesel::sql_query(
        "SELECT actor_user_id AS user_id, (occurred_at AT TIME ZONE $4)::date AS day,
                count(DISTINCT client_ids[1]) AS distinct_clients
         FROM audit_events
         WHERE category = 'client' AND action = 'read' AND cardinality(client_ids) = 1
           AND actor_user_id IS NOT NULL AND occurred_at >= $1 AND occurred_at < $2
         GROUP BY 1, 2
         HAVING count(DISTINCT client_ids[1]) > $3
         ORDER BY 2, 1
         LIMIT 1000",
    )
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .bind::<Integer, _>(threshold)
    .bind::<Text, _>(crate::audit::TIME_ZONE)
    .load(conn)
    .await
}

/// A principal's identity-code lookups on one day that were refused (without the
/// permission, or throttled after a burst of misses).
#[derive(Debug, QueryableByName)]
pub struct LookupBurstRow {
    /// The user, if a user looked up.
    #[diesel(sql_type = diesel::sql_types::Nullable<SqlUuid>)]
    pub user_id: Option<Uuid>,
    /// The API client, if an integrator looked up.
    #[diesel(sql_type = diesel::sql_types::Nullable<SqlUuid>)]
    pub api_client_id: Option<Uuid>,
    /// Day (Europe/Helsinki).
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    /// Lookups that found nobody.
    #[diesel(sql_type = BigInt)]
    pub misses: i64,
    /// Lookups refused or throttled.
    #[diesel(sql_type = BigInt)]
    pub refused: i64,
}

/// Days in `[from, to)` on which someone's identity-code lookups were refused or
/// throttled, with their misses and refusals that day.
pub async fn lookup_bursts(
    conn: &mut AsyncPgConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<LookupBurstRow>> {
    diesel::sql_query(
        "SELECT actor_user_id AS user_id, actor_api_client_id AS api_client_id,
                (occurred_at AT TIME ZONE $3)::date AS day,
                count(*) FILTER (WHERE details->>'outcome' = 'miss') AS misses,
                count(*) FILTER (WHERE details->>'outcome' IN ('refused', 'throttled')) AS refused
         FROM audit_events
         WHERE category = 'client' AND action = 'lookup' AND occurred_at >= $1 AND occurred_at < $2
         GROUP BY 1, 2, 3
         HAVING count(*) FILTER (WHERE details->>'outcome' IN ('refused', 'throttled')) > 0
         ORDER BY 3, 1, 2
         LIMIT 1000",
    )
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .bind::<Text, _>(crate::audit::TIME_ZONE)
    .load(conn)
    .await
}
