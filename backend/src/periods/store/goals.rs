//! Goal and follow-up rows and their queries.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::ids::{ClientId, PeriodId};
use crate::periods::api::{FollowUpResponse, GoalResponse, GoalStatus};
use crate::schema::{goal_follow_ups as follow_ups, period_goals as goals};

/// A stored goal.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = goals, check_for_backend(diesel::pg::Pg))]
pub struct GoalRow {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: PeriodId,
    /// Order.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Status.
    pub status: GoalStatus,
    /// Version.
    pub version: i32,
}

/// A stored follow-up note.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = follow_ups, check_for_backend(diesel::pg::Pg))]
pub struct FollowUpRow {
    /// Id.
    pub id: Uuid,
    /// Date.
    pub noted_on: NaiveDate,
    /// Note.
    pub note: String,
    /// Author.
    pub author_id: Option<Uuid>,
    /// Written.
    pub created_at: DateTime<Utc>,
}

/// A goal to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = goals)]
pub struct NewGoal {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Period.
    pub period_id: PeriodId,
    /// Order.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Status.
    pub status: GoalStatus,
    /// Created by.
    pub created_by: Option<Uuid>,
}

/// Columns a change sets.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = goals)]
pub struct GoalChanges {
    /// Order.
    pub position: Option<i32>,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<Option<String>>,
    /// Status.
    pub status: Option<GoalStatus>,
    /// Version.
    pub version: Option<i32>,
}

/// A follow-up note to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = follow_ups)]
pub struct NewFollowUp {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Goal.
    pub goal_id: Uuid,
    /// Date.
    pub noted_on: NaiveDate,
    /// Note.
    pub note: String,
    /// Author.
    pub author_id: Option<Uuid>,
}

/// The response form of a follow-up note.
pub fn follow_up_response(row: FollowUpRow) -> FollowUpResponse {
    FollowUpResponse {
        id: row.id,
        noted_on: row.noted_on,
        note: row.note,
        author_id: row.author_id,
        created_at: row.created_at,
    }
}

/// The response form of a goal with its follow-up notes.
pub fn goal_response(row: GoalRow, notes: Vec<FollowUpResponse>) -> GoalResponse {
    GoalResponse {
        id: row.id,
        period_id: row.period_id.into(),
        position: row.position,
        title: row.title,
        description: row.description,
        status: row.status,
        follow_ups: notes,
        version: row.version,
    }
}

/// A period's goals in order, each with its follow-up notes (oldest first), in one query.
pub async fn load(conn: &mut AsyncPgConnection, period: PeriodId) -> QueryResult<Vec<GoalResponse>> {
    let rows: Vec<(GoalRow, Option<FollowUpRow>)> = goals::table
        .left_join(follow_ups::table)
        .filter(goals::period_id.eq(period))
        .order((goals::position, goals::id, follow_ups::noted_on, follow_ups::id))
        .select((GoalRow::as_select(), Option::<FollowUpRow>::as_select()))
        .load(conn)
        .await?;
    let mut out: Vec<GoalResponse> = Vec::new();
    for (goal, note) in rows {
        if out.last().is_none_or(|last| last.id != goal.id) {
            out.push(goal_response(goal, Vec::new()));
        }
        if let (Some(note), Some(last)) = (note, out.last_mut()) {
            last.follow_ups.push(follow_up_response(note));
        }
    }
    Ok(out)
}

/// Goal `goal` of `period`, locked for a change.
pub async fn goal_of(
    conn: &mut AsyncPgConnection,
    period: PeriodId,
    goal: Uuid,
) -> QueryResult<Option<GoalRow>> {
    goals::table
        .filter(goals::id.eq(goal))
        .filter(goals::period_id.eq(period))
        .select(GoalRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The highest position of a period's goals.
pub async fn last_position(conn: &mut AsyncPgConnection, period: PeriodId) -> QueryResult<Option<i32>> {
    goals::table
        .filter(goals::period_id.eq(period))
        .select(diesel::dsl::max(goals::position))
        .first(conn)
        .await
}

/// Adds a goal.
pub async fn insert(conn: &mut AsyncPgConnection, new: &NewGoal) -> QueryResult<GoalRow> {
    diesel::insert_into(goals::table)
        .values(new)
        .returning(GoalRow::as_returning())
        .get_result(conn)
        .await
}

/// Applies `changes` to goal `id` (the caller bumps the version in them).
pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, changes: &GoalChanges) -> QueryResult<GoalRow> {
    diesel::update(goals::table.find(id))
        .set(changes)
        .returning(GoalRow::as_returning())
        .get_result(conn)
        .await
}

/// A goal's follow-up notes, oldest first.
pub async fn follow_ups_of(conn: &mut AsyncPgConnection, goal: Uuid) -> QueryResult<Vec<FollowUpRow>> {
    follow_ups::table
        .filter(follow_ups::goal_id.eq(goal))
        .order((follow_ups::noted_on, follow_ups::id))
        .select(FollowUpRow::as_select())
        .load(conn)
        .await
}

/// Adds a follow-up note.
pub async fn insert_follow_up(conn: &mut AsyncPgConnection, new: &NewFollowUp) -> QueryResult<FollowUpRow> {
    diesel::insert_into(follow_ups::table)
        .values(new)
        .returning(FollowUpRow::as_returning())
        .get_result(conn)
        .await
}
