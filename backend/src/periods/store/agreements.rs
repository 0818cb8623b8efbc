//! Agreement rows and their queries.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::ids::{ClientId, PeriodId};
use crate::periods::api::{AgreementKind, AgreementState};
use crate::schema::period_agreements as agreements;

/// A stored agreement.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = agreements, check_for_backend(diesel::pg::Pg))]
pub struct AgreementRow {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: PeriodId,
    /// Kind.
    pub kind: AgreementKind,
    /// Organisation's contact.
    pub organisation_contact: Option<String>,
    /// Workplace.
    pub workplace: Option<String>,
    /// Workplace contact.
    pub workplace_contact: Option<String>,
    /// Tasks.
    pub tasks: Option<String>,
    /// Schedule.
    pub schedule: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Insurance note.
    pub insurance_note: Option<String>,
    /// From.
    pub starts_on: Option<NaiveDate>,
    /// Until.
    pub ends_on: Option<NaiveDate>,
    /// Signed on.
    pub signed_on: Option<NaiveDate>,
    /// State.
    pub state: AgreementState,
    /// Version.
    pub version: i32,
    /// Ended on.
    pub ended_on: Option<NaiveDate>,
    /// Why it ended.
    pub end_reason: Option<String>,
}

/// An agreement to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = agreements)]
pub struct NewAgreement {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Period.
    pub period_id: PeriodId,
    /// Kind.
    pub kind: AgreementKind,
    /// Organisation's contact.
    pub organisation_contact: Option<String>,
    /// Workplace.
    pub workplace: Option<String>,
    /// Workplace contact.
    pub workplace_contact: Option<String>,
    /// Tasks.
    pub tasks: Option<String>,
    /// Schedule.
    pub schedule: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Insurance note.
    pub insurance_note: Option<String>,
    /// From.
    pub starts_on: Option<NaiveDate>,
    /// Until.
    pub ends_on: Option<NaiveDate>,
    /// Created by.
    pub created_by: Option<Uuid>,
}

/// Columns a change sets.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = agreements)]
pub struct AgreementChanges {
    /// Organisation's contact.
    pub organisation_contact: Option<Option<String>>,
    /// Workplace.
    pub workplace: Option<Option<String>>,
    /// Workplace contact.
    pub workplace_contact: Option<Option<String>>,
    /// Tasks.
    pub tasks: Option<Option<String>>,
    /// Schedule.
    pub schedule: Option<Option<String>>,
    /// Place.
    pub place: Option<Option<String>>,
    /// Insurance note.
    pub insurance_note: Option<Option<String>>,
    /// From.
    pub starts_on: Option<Option<NaiveDate>>,
    /// Until.
    pub ends_on: Option<Option<NaiveDate>>,
    /// Signed on.
    pub signed_on: Option<Option<NaiveDate>>,
    /// State.
    pub state: Option<AgreementState>,
    /// Version.
    pub version: Option<i32>,
    /// Ended on.
    pub ended_on: Option<Option<NaiveDate>>,
    /// Why it ended.
    pub end_reason: Option<Option<String>>,
}

/// A period's agreements.
pub async fn of_period(conn: &mut AsyncPgConnection, period: PeriodId) -> QueryResult<Vec<AgreementRow>> {
    agreements::table
        .filter(agreements::period_id.eq(period))
        .order(agreements::id)
        .select(AgreementRow::as_select())
        .load(conn)
        .await
}

/// Agreement `id` of `period`, locked for a change when `lock`.
pub async fn agreement_of(
    conn: &mut AsyncPgConnection,
    period: PeriodId,
    id: Uuid,
    lock: bool,
) -> QueryResult<Option<AgreementRow>> {
    let query = agreements::table
        .filter(agreements::id.eq(id))
        .filter(agreements::period_id.eq(period))
        .select(AgreementRow::as_select());
    let row = if lock {
        query.for_update().first(conn).await
    } else {
        query.first(conn).await
    };
    row.optional()
}

/// Adds an agreement.
pub async fn insert(conn: &mut AsyncPgConnection, new: &NewAgreement) -> QueryResult<AgreementRow> {
    diesel::insert_into(agreements::table)
        .values(new)
        .returning(AgreementRow::as_returning())
        .get_result(conn)
        .await
}

/// Applies `changes` to agreement `id` (the caller bumps the version in them).
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &AgreementChanges,
) -> QueryResult<AgreementRow> {
    diesel::update(agreements::table.find(id))
        .set(changes)
        .returning(AgreementRow::as_returning())
        .get_result(conn)
        .await
}
