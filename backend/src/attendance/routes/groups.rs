//! Attendance groups: a coach's named set of periods of one unit ("Puutyöpaja aamu"),
//! whose day sheet is marked together.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use crate::admin::UnitState;
use crate::attendance::api::{
    CreateGroupRequest, GroupListParams, GroupMember, GroupResponse, GroupSummary, UpdateGroupRequest,
};
use crate::attendance::store::groups::{self as store, GroupRow, NewGroup};
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::access;
use crate::domain::check::Checker;
use crate::error::responses::{InvalidFields, NotAllowed, NotForUnit, NotLoggedIn, StaleIfMatch};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::state::AppState;

/// Resource type of groups in the access log.
pub const RESOURCE: &str = "attendance_group";
/// Most members of a group (a day sheet holds at most this many marks).
const MAX_MEMBERS: usize = super::MAX_MARKS;

fn response(row: GroupRow, members: Vec<GroupMember>) -> GroupResponse {
    GroupResponse {
        id: row.id,
        unit_id: row.unit_id.into(),
        name: row.name,
        members,
        archived_at: row.archived_at,
        version: row.version,
    }
}

fn check_name(check: &mut Checker, name: &str) -> Option<String> {
    let name = check.text("name", Some(name), 200);
    if name.is_none() {
        check.fail("name", "required", "Name the group.");
    }
    name
}

/// Checks that every period to add is one of the unit's (`field[i]` otherwise).
async fn check_periods(
    conn: &mut AsyncPgConnection,
    unit: Uuid,
    ids: &[Uuid],
    field: &str,
) -> Result<(), ApiError> {
    let found = store::period_units(conn, ids).await?;
    let mut check = Checker::default();
    for (index, id) in ids.iter().enumerate() {
        match found.iter().find(|(period, _)| period == id) {
            None => check.fail(
                &format!("{field}[{index}]"),
                "unknown_period",
                "No period of this organisation has this id.",
            ),
            Some((_, other)) if *other != unit => {
                check.fail(
                    &format!("{field}[{index}]"),
                    "other_unit",
                    "The period belongs to another unit.",
                );
            }
            Some(_) => {}
        }
    }
    check.finish()
}

/// The attendance groups of the units the caller works in (a manager: every unit), by name.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(GroupListParams),
    responses(
        (status = 200, description = "The groups", body = Vec<GroupSummary>),
        NotLoggedIn,
        NotAllowed,
    ),
)]
#[get("/attendance-groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    actor: Actor,
    params: web::Query<GroupListParams>,
) -> Result<web::Json<Vec<GroupSummary>>, ApiError> {
    let units = access::listable_units(&actor)?;
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let rows = store::list(conn, units, params.unit_id, params.archived).await?;
            let ids: Vec<Uuid> = rows.iter().map(|g| g.id).collect();
            let counts = store::active_members(conn, &ids).await?;
            Ok(rows
                .into_iter()
                .map(|g| GroupSummary {
                    active_members: counts.iter().find(|(id, _)| *id == g.id).map_or(0, |(_, n)| *n),
                    id: g.id,
                    unit_id: g.unit_id.into(),
                    name: g.name,
                    archived_at: g.archived_at,
                    version: g.version,
                })
                .collect())
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(out))
}

/// Create a group of the unit's periods.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    request_body = CreateGroupRequest,
    responses(
        (status = 201, description = "Created", body = GroupResponse),
        NotLoggedIn,
        NotForUnit,
        (status = 422, description = "Invalid fields (`period_ids[i]` for a period not of the unit)", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/attendance-groups")]
pub async fn create_group(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<CreateGroupRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let name = check_name(&mut check, &body.name);
    if body.period_ids.len() > MAX_MEMBERS {
        check.fail(
            "period_ids",
            "too_many",
            &format!("A group holds at most {MAX_MEMBERS} periods."),
        );
    }
    check.finish()?;
    let organisation_id = actor.organisation_id;
    let out = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            crate::admin::unit_exists(conn, "unit_id", body.unit_id.into(), UnitState::Open).await?;
            access::write(&actor, body.unit_id.into())?;
            let name = name.unwrap_or_default();
            if store::name_taken(conn, body.unit_id, &name, None).await? {
                return Err(ApiError::invalid_field(
                    "name",
                    "taken",
                    "The unit has a group of this name.",
                ));
            }
            check_periods(conn, body.unit_id, &body.period_ids, "period_ids").await?;
            let row = store::insert(
                conn,
                NewGroup {
                    id: Uuid::now_v7(),
                    organisation_id,
                    unit_id: body.unit_id.into(),
                    name,
                    created_by: actor.audit_ids().0,
                },
            )
            .await?;
            store::add_members(conn, &actor, row.id, &body.period_ids).await?;
            let members = store::load_members(conn, row.id).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                members.iter().map(|m| m.client_id).collect(),
                vec![row.id],
            )
            .with(json!({ "unit_id": row.unit_id }));
            // A group without members shows no client: nothing to log.
            if !event.client_ids.is_empty() {
                audit::record(conn, &meta, event).await?;
            }
            Ok(response(row, members))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().insert_header(etag(out.version)).json(out))
}

/// A group with its members.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("group_id" = Uuid, Path, description = "Group id")),
    responses(
        (status = 200, description = "The group", body = GroupResponse),
        NotLoggedIn,
        NotForUnit,
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/attendance-groups/{group_id}")]
pub async fn get_group(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    access::require_read(&actor)?;
    let id = path.into_inner();
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let row = store::find(conn, id, false).await?.ok_or(ApiError::NotFound)?;
            let granted = access::read(&actor, row.unit_id, None)?;
            let members = store::load_members(conn, id).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                members.iter().map(|m| m.client_id).collect(),
                vec![id],
            );
            if !event.client_ids.is_empty() {
                audit::record(conn, &meta, granted.mark(event)).await?;
            }
            Ok(response(row, members))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(out.version)).json(out))
}

/// Rename, add or remove periods, archive or restore (`If-Match`).
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(
        ("group_id" = Uuid, Path, description = "Group id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    request_body = UpdateGroupRequest,
    responses(
        (status = 200, description = "Changed", body = GroupResponse),
        NotLoggedIn,
        NotForUnit,
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/attendance-groups/{group_id}")]
pub async fn update_group(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<Uuid>,
    body: web::Json<UpdateGroupRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let name = body.name.as_deref().and_then(|n| check_name(&mut check, n));
    if body.add.len() > MAX_MEMBERS || body.remove.len() > MAX_MEMBERS {
        check.fail(
            "add",
            "too_many",
            &format!("A group holds at most {MAX_MEMBERS} periods."),
        );
    }
    check.finish()?;
    let id = path.into_inner();
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let current = store::find(conn, id, true).await?.ok_or(ApiError::NotFound)?;
            access::write(&actor, current.unit_id)?;
            if_match.check(current.version)?;
            if let Some(name) = &name
                && store::name_taken(conn, current.unit_id.into(), name, Some(id)).await?
            {
                return Err(ApiError::invalid_field(
                    "name",
                    "taken",
                    "The unit has a group of this name.",
                ));
            }
            check_periods(conn, current.unit_id.into(), &body.add, "add").await?;
            store::add_members(conn, &actor, id, &body.add).await?;
            store::remove_members(conn, id, &body.remove).await?;
            let members_now = store::load_members(conn, id).await?;
            if members_now.len() > MAX_MEMBERS {
                return Err(ApiError::invalid_field(
                    "add",
                    "too_many",
                    "A group holds at most 500 periods.",
                ));
            }
            let archived_at = match body.archived {
                Some(true) => Some(current.archived_at.unwrap_or_else(Utc::now)),
                Some(false) => None,
                None => current.archived_at,
            };
            if body.archived == Some(false) && current.archived_at.is_some() {
                let name = name.clone().unwrap_or_else(|| current.name.clone());
                if store::name_taken(conn, current.unit_id.into(), &name, Some(id)).await? {
                    return Err(ApiError::invalid_field(
                        "name",
                        "taken",
                        "The unit has a group of this name.",
                    ));
                }
            }
            let row = store::update(
                conn,
                id,
                name.unwrap_or(current.name),
                archived_at,
                current.version + 1,
            )
            .await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Update,
                RESOURCE,
                members_now.iter().map(|m| m.client_id).collect(),
                vec![id],
            )
            .with(json!({ "added": body.add, "removed": body.remove }));
            // A group without members shows no client: nothing to log.
            if !event.client_ids.is_empty() {
                audit::record(conn, &meta, event).await?;
            }
            Ok(response(row, members_now))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(out.version)).json(out))
}
