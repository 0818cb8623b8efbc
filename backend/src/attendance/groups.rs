//! Attendance groups: a coach's named set of periods of one unit ("Puutyöpaja aamu"),
//! whose day sheet is marked together.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use super::api::{
    CreateGroupRequest, GroupListParams, GroupMember, GroupResponse, GroupSummary, UpdateGroupRequest,
};
use crate::admin::UnitState;
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::access;
use crate::domain::check::Checker;
use crate::error::responses::{InvalidFields, NotAllowed, NotForUnit, NotLoggedIn, StaleIfMatch};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::schema::{attendance_group_members as members, attendance_groups as groups, clients, periods};
use crate::state::AppState;

/// Resource type of groups in the access log.
pub const RESOURCE: &str = "attendance_group";
/// Most members of a group (a day sheet holds at most this many marks).
const MAX_MEMBERS: usize = super::routes::MAX_MARKS;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = groups, check_for_backend(diesel::pg::Pg))]
struct GroupRow {
    id: Uuid,
    unit_id: Uuid,
    name: String,
    archived_at: Option<DateTime<Utc>>,
    version: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = groups)]
struct NewGroup {
    id: Uuid,
    organisation_id: Uuid,
    unit_id: Uuid,
    name: String,
    created_by: Option<Uuid>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = members)]
struct NewMember {
    organisation_id: Uuid,
    group_id: Uuid,
    period_id: Uuid,
    added_by: Option<Uuid>,
}

async fn load_members(conn: &mut AsyncPgConnection, group: Uuid) -> QueryResult<Vec<GroupMember>> {
    let rows: Vec<(Uuid, Uuid, String, String, NaiveDate, Option<NaiveDate>)> = members::table
        .inner_join(periods::table.inner_join(clients::table))
        .filter(members::group_id.eq(group))
        .order((clients::last_name, clients::first_names, periods::id))
        .select((
            periods::id,
            clients::id,
            clients::first_names,
            clients::last_name,
            periods::starts_on,
            periods::ends_on,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(period_id, client_id, first_names, last_name, starts_on, ends_on)| GroupMember {
                period_id,
                client_id,
                first_names,
                last_name,
                starts_on,
                ends_on,
            },
        )
        .collect())
}

fn response(row: GroupRow, members: Vec<GroupMember>) -> GroupResponse {
    GroupResponse {
        id: row.id,
        unit_id: row.unit_id,
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

async fn name_taken(
    conn: &mut AsyncPgConnection,
    unit: Uuid,
    name: &str,
    except: Option<Uuid>,
) -> QueryResult<bool> {
    let others: Vec<(Uuid, String)> = groups::table
        .filter(groups::unit_id.eq(unit))
        .filter(groups::archived_at.is_null())
        .select((groups::id, groups::name))
        .load(conn)
        .await?;
    let folded = name.to_lowercase();
    Ok(others
        .iter()
        .any(|(id, other)| Some(*id) != except && other.to_lowercase() == folded))
}

/// Checks that every period to add is one of the unit's (`field[i]` otherwise).
async fn check_periods(
    conn: &mut AsyncPgConnection,
    unit: Uuid,
    ids: &[Uuid],
    field: &str,
) -> Result<(), ApiError> {
    let found: Vec<(Uuid, Uuid)> = periods::table
        .filter(periods::id.eq_any(ids))
        .select((periods::id, periods::unit_id))
        .load(conn)
        .await?;
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

async fn add_members(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    group: Uuid,
    ids: &[Uuid],
) -> QueryResult<()> {
    let rows: Vec<NewMember> = ids
        .iter()
        .map(|period| NewMember {
            organisation_id: actor.organisation_id,
            group_id: group,
            period_id: *period,
            added_by: actor.audit_ids().0,
        })
        .collect();
    diesel::insert_into(members::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(drop)
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
            let mut query = groups::table.into_boxed();
            if let Some(units) = units {
                query = query.filter(groups::unit_id.eq_any(units));
            }
            if let Some(unit) = params.unit_id {
                query = query.filter(groups::unit_id.eq(unit));
            }
            if !params.archived {
                query = query.filter(groups::archived_at.is_null());
            }
            let rows: Vec<GroupRow> = query
                .order((groups::name, groups::id))
                .select(GroupRow::as_select())
                .load(conn)
                .await?;
            let ids: Vec<Uuid> = rows.iter().map(|g| g.id).collect();
            let counts: Vec<(Uuid, i64)> = members::table
                .inner_join(periods::table)
                .filter(members::group_id.eq_any(&ids))
                .filter(periods::ends_on.is_null())
                .group_by(members::group_id)
                .select((members::group_id, diesel::dsl::count_star()))
                .load(conn)
                .await?;
            Ok(rows
                .into_iter()
                .map(|g| GroupSummary {
                    active_members: counts.iter().find(|(id, _)| *id == g.id).map_or(0, |(_, n)| *n),
                    id: g.id,
                    unit_id: g.unit_id,
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
            crate::admin::unit_exists(conn, "unit_id", body.unit_id, UnitState::Open).await?;
            access::write(&actor, body.unit_id)?;
            let name = name.unwrap_or_default();
            if name_taken(conn, body.unit_id, &name, None).await? {
                return Err(ApiError::invalid_field(
                    "name",
                    "taken",
                    "The unit has a group of this name.",
                ));
            }
            check_periods(conn, body.unit_id, &body.period_ids, "period_ids").await?;
            let row: GroupRow = diesel::insert_into(groups::table)
                .values(NewGroup {
                    id: Uuid::now_v7(),
                    organisation_id,
                    unit_id: body.unit_id,
                    name,
                    created_by: actor.audit_ids().0,
                })
                .returning(GroupRow::as_returning())
                .get_result(conn)
                .await?;
            add_members(conn, &actor, row.id, &body.period_ids).await?;
            let members = load_members(conn, row.id).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                members.iter().map(|m| m.client_id).collect(),
                vec![row.id],
            )
            .with(json!({ "unit_id": row.unit_id }));
            audit::record(conn, &meta, event).await?;
            Ok(response(row, members))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().insert_header(etag(out.version)).json(out))
}

async fn group_of(conn: &mut AsyncPgConnection, id: Uuid, lock: bool) -> Result<GroupRow, ApiError> {
    let query = groups::table.find(id).select(GroupRow::as_select());
    let row = if lock {
        query.for_update().first(conn).await
    } else {
        query.first(conn).await
    };
    row.optional()?.ok_or(ApiError::NotFound)
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
            let row = group_of(conn, id, false).await?;
            let granted = access::read(&actor, row.unit_id, None)?;
            let members = load_members(conn, id).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                members.iter().map(|m| m.client_id).collect(),
                vec![id],
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
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
            let current = group_of(conn, id, true).await?;
            access::write(&actor, current.unit_id)?;
            if_match.check(current.version)?;
            if let Some(name) = &name
                && name_taken(conn, current.unit_id, name, Some(id)).await?
            {
                return Err(ApiError::invalid_field(
                    "name",
                    "taken",
                    "The unit has a group of this name.",
                ));
            }
            check_periods(conn, current.unit_id, &body.add, "add").await?;
            add_members(conn, &actor, id, &body.add).await?;
            diesel::delete(
                members::table
                    .filter(members::group_id.eq(id))
                    .filter(members::period_id.eq_any(&body.remove)),
            )
            .execute(conn)
            .await?;
            let members_now = load_members(conn, id).await?;
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
                if name_taken(conn, current.unit_id, &name, Some(id)).await? {
                    return Err(ApiError::invalid_field(
                        "name",
                        "taken",
                        "The unit has a group of this name.",
                    ));
                }
            }
            let row: GroupRow = diesel::update(groups::table.find(id))
                .set((
                    groups::name.eq(name.unwrap_or(current.name)),
                    groups::archived_at.eq(archived_at),
                    groups::version.eq(current.version + 1),
                ))
                .returning(GroupRow::as_returning())
                .get_result(conn)
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
            audit::record(conn, &meta, event).await?;
            Ok(response(row, members_now))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(out.version)).json(out))
}
