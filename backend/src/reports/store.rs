//! Report queries. A final version is locked in the database too (a trigger refuses
//! changes to it).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api::{ReportKind, ReportState};
use crate::error::ApiError;
use crate::ids::{ClientId, PeriodId};
use crate::schema::period_reports as reports;

/// A stored report version.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reports, check_for_backend(diesel::pg::Pg))]
pub struct ReportRow {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: PeriodId,
    /// Kind.
    pub kind: ReportKind,
    /// Series.
    pub series_id: Uuid,
    /// Version number.
    pub version_no: i32,
    /// Previous version.
    pub previous_id: Option<Uuid>,
    /// State.
    pub state: ReportState,
    /// Section.
    pub situation_at_start: Option<String>,
    /// Section.
    pub goals_summary: Option<String>,
    /// Section.
    pub attendance_summary: Option<String>,
    /// Section.
    pub assessment_summary: Option<String>,
    /// Section.
    pub recommendation: Option<String>,
    /// Section.
    pub outcome_summary: Option<String>,
    /// Finalised.
    pub finalised_at: Option<DateTime<Utc>>,
    /// Finalised by.
    pub finalised_by: Option<Uuid>,
    /// Changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = reports)]
pub struct NewReport {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub client_id: ClientId,
    pub period_id: PeriodId,
    pub kind: ReportKind,
    pub series_id: Uuid,
    pub version_no: i32,
    pub previous_id: Option<Uuid>,
    pub situation_at_start: Option<String>,
    pub goals_summary: Option<String>,
    pub attendance_summary: Option<String>,
    pub assessment_summary: Option<String>,
    pub recommendation: Option<String>,
    pub outcome_summary: Option<String>,
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = reports)]
pub struct ReportChanges {
    pub situation_at_start: Option<Option<String>>,
    pub goals_summary: Option<Option<String>>,
    pub attendance_summary: Option<Option<String>>,
    pub assessment_summary: Option<Option<String>>,
    pub recommendation: Option<Option<String>>,
    pub outcome_summary: Option<Option<String>>,
    pub state: Option<ReportState>,
    pub finalised_at: Option<Option<DateTime<Utc>>>,
    pub finalised_by: Option<Option<Uuid>>,
    pub version: Option<i32>,
}

/// Every version of a period's reports, by report and version.
pub async fn of_period(conn: &mut AsyncPgConnection, period: PeriodId) -> QueryResult<Vec<ReportRow>> {
    reports::table
        .filter(reports::period_id.eq(period))
        .order((reports::series_id, reports::version_no))
        .select(ReportRow::as_select())
        .load(conn)
        .await
}

/// One version of a period's report (locked for update if asked); 404 if the period has
/// no such version.
pub async fn find(
    conn: &mut AsyncPgConnection,
    period: PeriodId,
    id: Uuid,
    lock: bool,
) -> Result<ReportRow, ApiError> {
    let query = reports::table
        .filter(reports::id.eq(id))
        .filter(reports::period_id.eq(period))
        .select(ReportRow::as_select());
    let row = if lock {
        query.for_update().first(conn).await
    } else {
        query.first(conn).await
    };
    row.optional()?.ok_or(ApiError::NotFound)
}

/// The newest version number of a report's series.
pub async fn latest_version_no(conn: &mut AsyncPgConnection, series: Uuid) -> QueryResult<Option<i32>> {
    reports::table
        .filter(reports::series_id.eq(series))
        .select(diesel::dsl::max(reports::version_no))
        .first(conn)
        .await
}

/// Writes a new version.
pub async fn insert(conn: &mut AsyncPgConnection, new: &NewReport) -> QueryResult<ReportRow> {
    diesel::insert_into(reports::table)
        .values(new)
        .returning(ReportRow::as_returning())
        .get_result(conn)
        .await
}

/// Changes a draft version.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &ReportChanges,
) -> QueryResult<ReportRow> {
    diesel::update(reports::table.find(id))
        .set(changes)
        .returning(ReportRow::as_returning())
        .get_result(conn)
        .await
}
