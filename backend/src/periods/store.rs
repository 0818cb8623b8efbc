//! Period rows and the one way to reach a period: through its client, whose unit decides
//! who may read or write it.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api::{Outcome, PeriodMode, PeriodResponse};
use super::rules::{self, Schedule};
use crate::auth::actor::Actor;
use crate::clients::ClientRow;
use crate::domain::access::{self, ReadAccess};
use crate::error::ApiError;
use crate::schema::{clients, periods};

/// A stored period.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = periods, check_for_backend(diesel::pg::Pg))]
pub struct PeriodRow {
    /// Id.
    pub id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Service type.
    pub service_type: String,
    /// Notification date.
    pub notified_on: Option<NaiveDate>,
    /// Start.
    pub starts_on: NaiveDate,
    /// Planned end.
    pub planned_end_on: Option<NaiveDate>,
    /// End.
    pub ends_on: Option<NaiveDate>,
    /// Referrer.
    pub referrer: Option<String>,
    /// Unit.
    pub unit_id: Uuid,
    /// Workplace.
    pub workplace: Option<String>,
    /// Coach.
    pub coach_id: Option<Uuid>,
    /// Mode.
    pub mode: String,
    /// Days per week.
    pub days_per_week: Option<i16>,
    /// Hours per day.
    pub hours_per_day: Option<f64>,
    /// Weekdays.
    pub weekdays: Vec<i16>,
    /// Outcome.
    pub outcome: Option<String>,
    /// Outcome sub-code.
    pub outcome_code: Option<String>,
    /// Closing note.
    pub closing_note: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

/// A period to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = periods)]
pub struct NewPeriod {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Service type.
    pub service_type: String,
    /// Notification date.
    pub notified_on: Option<NaiveDate>,
    /// Start.
    pub starts_on: NaiveDate,
    /// Planned end.
    pub planned_end_on: Option<NaiveDate>,
    /// Referrer.
    pub referrer: Option<String>,
    /// Unit.
    pub unit_id: Uuid,
    /// Workplace.
    pub workplace: Option<String>,
    /// Coach.
    pub coach_id: Option<Uuid>,
    /// Mode.
    pub mode: &'static str,
    /// Days per week.
    pub days_per_week: Option<i16>,
    /// Hours per day.
    pub hours_per_day: Option<f64>,
    /// Weekdays.
    pub weekdays: Vec<i16>,
    /// Created by.
    pub created_by: Option<Uuid>,
}

/// Columns a change sets.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = periods)]
pub struct PeriodChanges {
    /// Service type.
    pub service_type: Option<String>,
    /// Notification date.
    pub notified_on: Option<Option<NaiveDate>>,
    /// Start.
    pub starts_on: Option<NaiveDate>,
    /// Planned end.
    pub planned_end_on: Option<Option<NaiveDate>>,
    /// End.
    pub ends_on: Option<Option<NaiveDate>>,
    /// Referrer.
    pub referrer: Option<Option<String>>,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// Workplace.
    pub workplace: Option<Option<String>>,
    /// Coach.
    pub coach_id: Option<Option<Uuid>>,
    /// Mode.
    pub mode: Option<&'static str>,
    /// Days per week.
    pub days_per_week: Option<Option<i16>>,
    /// Hours per day.
    pub hours_per_day: Option<Option<f64>>,
    /// Weekdays.
    pub weekdays: Option<Vec<i16>>,
    /// Outcome.
    pub outcome: Option<Option<String>>,
    /// Outcome sub-code.
    pub outcome_code: Option<Option<String>>,
    /// Closing note.
    pub closing_note: Option<Option<String>>,
    /// Version.
    pub version: Option<i32>,
}

/// The rule schedule of a period.
pub fn schedule(row: &PeriodRow) -> Schedule {
    Schedule {
        starts_on: row.starts_on,
        planned_end_on: row.planned_end_on,
        ends_on: row.ends_on,
        days_per_week: row.days_per_week,
        hours_per_day: row.hours_per_day,
    }
}

/// The response form of a period; `ktt` tells whether its service type follows the KTT
/// rules.
pub fn response(row: PeriodRow, ktt: bool, today: NaiveDate) -> PeriodResponse {
    let warnings = if ktt {
        rules::ktt_warnings(&schedule(&row), today)
    } else {
        Vec::new()
    };
    PeriodResponse {
        id: row.id,
        client_id: row.client_id,
        service_type: row.service_type,
        notified_on: row.notified_on,
        starts_on: row.starts_on,
        planned_end_on: row.planned_end_on,
        ends_on: row.ends_on,
        referrer: row.referrer,
        unit_id: row.unit_id,
        workplace: row.workplace,
        coach_id: row.coach_id,
        mode: PeriodMode::parse(&row.mode).unwrap_or(PeriodMode::Individual),
        days_per_week: row.days_per_week,
        hours_per_day: row.hours_per_day,
        weekdays: row.weekdays,
        outcome: row.outcome.as_deref().and_then(Outcome::parse),
        outcome_code: row.outcome_code,
        closing_note: row.closing_note,
        warnings,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    }
}

/// One period (of this organisation: row-level security).
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<PeriodRow>> {
    periods::table
        .find(id)
        .select(PeriodRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// One period, locked for a change.
pub async fn find_for_update(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<PeriodRow>> {
    periods::table
        .find(id)
        .select(PeriodRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// A period the actor may read, with its client and how the read is logged; 404 for a
/// missing or foreign period.
pub async fn readable(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    reason: Option<String>,
) -> Result<(PeriodRow, ClientRow, ReadAccess), ApiError> {
    let (period, client): (PeriodRow, ClientRow) = periods::table
        .inner_join(clients::table)
        .filter(periods::id.eq(id))
        .select((PeriodRow::as_select(), ClientRow::as_select()))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let access = access::read(actor, client.unit_id, reason)?;
    Ok((period, client, access))
}

/// A period the actor may write, locked, with its client; 404 for a missing or foreign
/// period.
pub async fn writable(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<(PeriodRow, ClientRow), ApiError> {
    let period = find_for_update(conn, id).await?.ok_or(ApiError::NotFound)?;
    let client = crate::clients::writable(conn, actor, period.client_id).await?;
    Ok((period, client))
}
