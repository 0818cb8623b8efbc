//! Attendance groups' rows and queries: the group, its members (periods of its unit) and
//! the counts its list shows.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::attendance::api::GroupMember;
use crate::auth::actor::Actor;
use crate::ids::UnitId;
use crate::schema::{attendance_group_members as members, attendance_groups as groups, clients, periods};

/// A stored group.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = groups, check_for_backend(diesel::pg::Pg))]
pub struct GroupRow {
    /// Id.
    pub id: Uuid,
    /// The unit whose periods it groups.
    pub unit_id: UnitId,
    /// Name, unique among the unit's groups in use.
    pub name: String,
    /// Archived.
    pub archived_at: Option<DateTime<Utc>>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// A group to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = groups)]
pub struct NewGroup {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Unit.
    pub unit_id: UnitId,
    /// Name.
    pub name: String,
    /// Created by (user).
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = members)]
struct NewMember {
    organisation_id: Uuid,
    group_id: Uuid,
    period_id: Uuid,
    added_by: Option<Uuid>,
}

/// The groups of `units` (`None`: every unit), narrowed to `unit`, archived ones only
/// when asked, by name.
pub async fn list(
    conn: &mut AsyncPgConnection,
    units: Option<Vec<UnitId>>,
    unit: Option<Uuid>,
    archived: bool,
) -> QueryResult<Vec<GroupRow>> {
    let mut query = groups::table.into_boxed();
    if let Some(units) = units {
        query = query.filter(groups::unit_id.eq_any(units));
    }
    if let Some(unit) = unit {
        query = query.filter(groups::unit_id.eq(unit));
    }
    if !archived {
        query = query.filter(groups::archived_at.is_null());
    }
    query
        .order((groups::name, groups::id))
        .select(GroupRow::as_select())
        .load(conn)
        .await
}

/// How many members of each of the groups `ids` have a period still running (no end
/// date); a group without any is missing.
pub async fn active_members(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, i64)>> {
    members::table
        .inner_join(periods::table)
        .filter(members::group_id.eq_any(ids))
        .filter(periods::ends_on.is_null())
        .group_by(members::group_id)
        .select((members::group_id, diesel::dsl::count_star()))
        .load(conn)
        .await
}

/// The group, locked for update when `lock`; `None` if there is no such group.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid, lock: bool) -> QueryResult<Option<GroupRow>> {
    let query = groups::table.find(id).select(GroupRow::as_select());
    let row = if lock {
        query.for_update().first(conn).await
    } else {
        query.first(conn).await
    };
    row.optional()
}

/// The group's members: their periods and clients, by client name.
pub async fn load_members(conn: &mut AsyncPgConnection, group: Uuid) -> QueryResult<Vec<GroupMember>> {
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

/// Whether another group of the unit in use (not `except`) has this name, in any case.
pub async fn name_taken(
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

/// The unit of each of the periods `ids` that exists (as `(period, unit)`).
pub async fn period_units(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, Uuid)>> {
    periods::table
        .filter(periods::id.eq_any(ids))
        .select((periods::id, periods::unit_id))
        .load(conn)
        .await
}

/// Inserts a group.
pub async fn insert(conn: &mut AsyncPgConnection, group: NewGroup) -> QueryResult<GroupRow> {
    diesel::insert_into(groups::table)
        .values(group)
        .returning(GroupRow::as_returning())
        .get_result(conn)
        .await
}

/// Adds the periods `ids` to the group (those already in it stay as they are).
pub async fn add_members(
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

/// Removes the periods `ids` from the group.
pub async fn remove_members(conn: &mut AsyncPgConnection, group: Uuid, ids: &[Uuid]) -> QueryResult<usize> {
    diesel::delete(
        members::table
            .filter(members::group_id.eq(group))
            .filter(members::period_id.eq_any(ids)),
    )
    .execute(conn)
    .await
}

/// Sets the group's name, archive time and version (a rename, archiving or restoring).
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    name: String,
    archived_at: Option<DateTime<Utc>>,
    version: i32,
) -> QueryResult<GroupRow> {
    diesel::update(groups::table.find(id))
        .set((
            groups::name.eq(name),
            groups::archived_at.eq(archived_at),
            groups::version.eq(version),
        ))
        .returning(GroupRow::as_returning())
        .get_result(conn)
        .await
}
