//! Goals of a period, in order, each with a status and dated follow-up notes.

use actix_web::{HttpResponse, get, patch, post, web};
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::access;
use crate::domain::access::ReadParams;
use crate::domain::changes::{self, Change};
use crate::domain::check::{Checker, today};
use crate::error::responses::{
    InvalidFields, NoSuchPeriod, NotForClientsUnit, NotLoggedIn, ReasonRequired, StaleIfMatch,
};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::ids::PeriodId;
use crate::periods::api::{
    CreateFollowUpRequest, CreateGoalRequest, FollowUpResponse, GoalResponse, GoalStatus, UpdateGoalRequest,
};
use crate::periods::store;
use crate::periods::store::goals::{GoalChanges, NewFollowUp, NewGoal, follow_up_response, goal_response};
use crate::state::AppState;

/// Resource type of goals in the access log.
pub const RESOURCE: &str = "goal";
/// Resource type of follow-up notes.
pub const FOLLOW_UP: &str = "goal_follow_up";
const MAX_DESCRIPTION: usize = 4000;

/// A period's goals with their follow-up notes.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), ReadParams),
    responses(
        (status = 200, description = "The goals", body = Vec<GoalResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
    ),
)]
#[get("/periods/{period_id}/goals")]
pub async fn list_goals(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<GoalResponse>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let id = path.into_inner();
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client, granted) = store::readable(conn, &actor, id, reason).await?;
            let out = store::goals::load(conn, id).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client.id],
                out.iter().map(|g| g.id).collect(),
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(out)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(out))
}

/// Add a goal to a period.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id")),
    request_body = CreateGoalRequest,
    responses(
        (status = 201, description = "Added", body = GoalResponse),
        NotLoggedIn,
        NotForClientsUnit,
        NoSuchPeriod,
        InvalidFields,
    ),
)]
#[post("/periods/{period_id}/goals")]
pub async fn create_goal(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    body: web::Json<CreateGoalRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let title = check.text("title", Some(&body.title), 300);
    if title.is_none() {
        check.fail("title", "required", "Name the goal.");
    }
    let description = check.long_text("description", body.description.as_deref(), MAX_DESCRIPTION);
    if body.position.is_some_and(|p| !(0..=10_000).contains(&p)) {
        check.fail("position", "out_of_range", "Use 0 to 10000.");
    }
    check.finish()?;
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let goal = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (period, client) = store::writable(conn, &actor, id).await?;
            let last = store::goals::last_position(conn, id).await?;
            let new = NewGoal {
                id: Uuid::now_v7(),
                organisation_id,
                client_id: client.id,
                period_id: period.id,
                position: body.position.unwrap_or_else(|| last.map_or(1, |p| p + 1)),
                title: title.unwrap_or_default(),
                description,
                status: body.status.unwrap_or(GoalStatus::Open),
                created_by: actor.audit_ids().0,
            };
            let row = store::goals::insert(conn, &new).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client.id],
                vec![row.id],
            )
            .with(json!({ "period_id": id }));
            audit::record(conn, &meta, event).await?;
            Ok(goal_response(row, Vec::new()))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(goal.version))
        .json(goal))
}

/// Change a goal's title, description, status or position (`If-Match`); the previous
/// values go to the rectification history.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("goal_id" = Uuid, Path, description = "Goal id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    request_body = UpdateGoalRequest,
    responses(
        (status = 200, description = "Changed", body = GoalResponse),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such period or goal", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/periods/{period_id}/goals/{goal_id}")]
pub async fn update_goal(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<(PeriodId, Uuid)>,
    body: web::Json<UpdateGoalRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let title = body.title.as_deref().map(|t| check.text("title", Some(t), 300));
    if matches!(title, Some(None)) {
        check.fail("title", "required", "A goal needs a title.");
    }
    let title = title.flatten();
    let description = body
        .description
        .as_ref()
        .map(|d| check.long_text("description", d.as_deref(), MAX_DESCRIPTION));
    let reason = check.text("reason", body.reason.as_deref(), 500);
    if body.position.is_some_and(|p| !(0..=10_000).contains(&p)) {
        check.fail("position", "out_of_range", "Use 0 to 10000.");
    }
    check.finish()?;
    let (id, goal) = path.into_inner();
    let cipher = state.cipher.clone();
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client) = store::writable(conn, &actor, id).await?;
            let current = store::goals::goal_of(conn, id, goal)
                .await?
                .ok_or(ApiError::NotFound)?;
            if_match.check(current.version)?;
            let mut set = GoalChanges::default();
            let mut change = Change {
                reason,
                ..Change::default()
            };
            if let Some(title) = title
                && title != current.title
            {
                change.push("title", json!(current.title));
                set.title = Some(title);
            }
            if let Some(description) = description
                && description != current.description
            {
                change.push("description", json!(current.description));
                set.description = Some(description);
            }
            if let Some(status) = body.status
                && status != current.status
            {
                change.push("status", json!(current.status.as_str()));
                set.status = Some(status);
            }
            if let Some(position) = body.position
                && position != current.position
            {
                change.push("position", json!(current.position));
                set.position = Some(position);
            }
            let row = if change.fields.is_empty() {
                current
            } else {
                set.version = Some(current.version + 1);
                changes::Update::new(client.id, (RESOURCE, goal), &change)
                    .write(conn, &meta, &cipher, &actor, async |conn| {
                        store::goals::update(conn, goal, &set).await
                    })
                    .await?
            };
            let notes = store::goals::follow_ups_of(conn, goal).await?;
            Ok(goal_response(
                row,
                notes.into_iter().map(follow_up_response).collect(),
            ))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(out.version)).json(out))
}

/// Add a dated follow-up note to a goal.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("goal_id" = Uuid, Path, description = "Goal id"),
    ),
    request_body = CreateFollowUpRequest,
    responses(
        (status = 201, description = "Added", body = FollowUpResponse),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such period or goal", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    ),
)]
#[post("/periods/{period_id}/goals/{goal_id}/follow-ups")]
pub async fn create_follow_up(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(PeriodId, Uuid)>,
    body: web::Json<CreateFollowUpRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let note = check.long_text("note", Some(&body.note), MAX_DESCRIPTION);
    if note.is_none() {
        check.fail("note", "required", "Write the note.");
    }
    check.date("noted_on", body.noted_on);
    let noted_on = body.noted_on.unwrap_or_else(today);
    if noted_on > today() {
        check.fail("noted_on", "in_future", "Cannot be after today.");
    }
    check.finish()?;
    let (id, goal) = path.into_inner();
    let organisation_id = actor.organisation_id;
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (_, client) = store::writable(conn, &actor, id).await?;
            store::goals::goal_of(conn, id, goal)
                .await?
                .ok_or(ApiError::NotFound)?;
            let new = NewFollowUp {
                id: Uuid::now_v7(),
                organisation_id,
                client_id: client.id,
                goal_id: goal,
                noted_on,
                note: note.unwrap_or_default(),
                author_id: actor.audit_ids().0,
            };
            let row = store::goals::insert_follow_up(conn, &new).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                FOLLOW_UP,
                vec![client.id],
                vec![row.id],
            )
            .with(json!({ "goal_id": goal }));
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().json(follow_up_response(row)))
}
