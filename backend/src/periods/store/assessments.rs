//! Assessment and score rows and their queries.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::ids::{ClientId, PeriodId};
use crate::periods::api::{AssessmentResponse, Assessor, Score};
use crate::schema::{assessment_scores as scores, assessments};

/// A stored assessment.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessments, check_for_backend(diesel::pg::Pg))]
pub struct AssessmentRow {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Period.
    pub period_id: PeriodId,
    /// Instrument.
    pub instrument_id: Uuid,
    /// Date.
    pub assessed_on: NaiveDate,
    /// Who assessed.
    pub assessor: Assessor,
    /// Notes.
    pub notes: Option<String>,
    /// Created by.
    pub created_by: Option<Uuid>,
}

/// A stored score on one criterion.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scores, check_for_backend(diesel::pg::Pg))]
pub struct ScoreRow {
    /// Tenant.
    pub organisation_id: Uuid,
    /// Assessment.
    pub assessment_id: Uuid,
    /// Criterion.
    pub criterion_id: Uuid,
    /// Score.
    pub score: i16,
}

/// The response form of an assessment with its scores (from `all`).
pub fn assessment_response(row: AssessmentRow, all: &[ScoreRow]) -> AssessmentResponse {
    AssessmentResponse {
        scores: all
            .iter()
            .filter(|s| s.assessment_id == row.id)
            .map(|s| Score {
                criterion_id: s.criterion_id,
                score: s.score,
            })
            .collect(),
        id: row.id,
        period_id: row.period_id.into(),
        instrument_id: row.instrument_id,
        assessed_on: row.assessed_on,
        assessor: row.assessor,
        notes: row.notes,
        created_by: row.created_by,
    }
}

/// A period's assessments (on one instrument, or all), oldest first, and their scores.
pub async fn rows_of(
    conn: &mut AsyncPgConnection,
    period: PeriodId,
    instrument: Option<Uuid>,
) -> QueryResult<(Vec<AssessmentRow>, Vec<ScoreRow>)> {
    let mut query = assessments::table
        .left_join(scores::table)
        .filter(assessments::period_id.eq(period))
        .order((assessments::assessed_on, assessments::id))
        .select((AssessmentRow::as_select(), Option::<ScoreRow>::as_select()))
        .into_boxed();
    if let Some(instrument) = instrument {
        query = query.filter(assessments::instrument_id.eq(instrument));
    }
    let joined: Vec<(AssessmentRow, Option<ScoreRow>)> = query.load(conn).await?;
    let (mut rows, mut all) = (Vec::new(), Vec::new());
    for (row, score) in joined {
        if rows.last().is_none_or(|last: &AssessmentRow| last.id != row.id) {
            rows.push(row);
        }
        all.extend(score);
    }
    Ok((rows, all))
}

/// A period's assessments, oldest first.
pub async fn load(conn: &mut AsyncPgConnection, period: PeriodId) -> QueryResult<Vec<AssessmentResponse>> {
    let (rows, all) = rows_of(conn, period, None).await?;
    Ok(rows
        .into_iter()
        .map(|row| assessment_response(row, &all))
        .collect())
}

/// Adds an assessment with its scores.
pub async fn insert(conn: &mut AsyncPgConnection, row: &AssessmentRow, rows: &[ScoreRow]) -> QueryResult<()> {
    diesel::insert_into(assessments::table)
        .values(row)
        .execute(conn)
        .await?;
    diesel::insert_into(scores::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}
