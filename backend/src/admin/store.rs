//! Queries of administration. The caller's transaction has the tenant set; row-level
//! security keeps every query inside it.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::auth::store::UserRow;
use crate::ids::{UnitId, UserId};
use crate::schema::{organisations, units, user_units, users};

/// A new user row.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub organisation_id: Uuid,
    /// Normalised login name.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Language code.
    pub language: String,
    /// Role names.
    pub roles: Vec<String>,
    /// Units.
    pub unit_ids: Vec<Uuid>,
    /// Password hash, when created with a password (CLI).
    pub password_hash: Option<String>,
}

diesel::define_sql_function! {
    /// Whether a login name is taken, in any organisation (says nothing about whose).
    fn polku_login_taken(name: diesel::sql_types::Text) -> diesel::sql_types::Bool;
}

diesel::define_sql_function! {
    /// Whether any login exists at all.
    fn polku_any_login() -> diesel::sql_types::Bool;
}

/// Whether a login name is taken by an active account or an API client, in any
/// organisation: login names are unique across organisations.
pub async fn login_taken(conn: &mut AsyncPgConnection, login: &str) -> QueryResult<bool> {
    diesel::select(polku_login_taken(login)).get_result(conn).await
}

/// Whether any login name exists at all (false on a fresh installation).
pub async fn any_login(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    diesel::select(polku_any_login()).get_result(conn).await
}

/// Claims `login` for a user or API client of the transaction's organisation (the
/// runtime role reaches the directory only through these functions). A taken name is a
/// unique violation.
async fn claim_login(
    conn: &mut AsyncPgConnection,
    login: &str,
    organisation_id: Uuid,
    user_id: Option<Uuid>,
    api_client_id: Option<Uuid>,
) -> QueryResult<()> {
    use diesel::sql_types::{Nullable, Text, Uuid as SqlUuid};
    diesel::sql_query("SELECT polku_login_claim($1, $2, $3, $4)")
        .bind::<Text, _>(login)
        .bind::<SqlUuid, _>(organisation_id)
        .bind::<Nullable<SqlUuid>, _>(user_id)
        .bind::<Nullable<SqlUuid>, _>(api_client_id)
        .execute(conn)
        .await
        .map(drop)
}

/// Releases the login names of a user or API client of the transaction's organisation.
async fn release_login(
    conn: &mut AsyncPgConnection,
    user_id: Option<Uuid>,
    api_client_id: Option<Uuid>,
) -> QueryResult<()> {
    use diesel::sql_types::{Nullable, Uuid as SqlUuid};
    diesel::sql_query("SELECT polku_login_release($1, $2)")
        .bind::<Nullable<SqlUuid>, _>(user_id)
        .bind::<Nullable<SqlUuid>, _>(api_client_id)
        .execute(conn)
        .await
        .map(drop)
}

/// Ids among `ids` that are open units of the current tenant.
pub async fn open_unit_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Uuid>> {
    units::table
        .filter(units::id.eq_any(ids).and(units::closed_at.is_null()))
        .select(units::id)
        .load(conn)
        .await
}

/// Inserts a user, their login name and units.
pub async fn insert_user(conn: &mut AsyncPgConnection, user: &NewUser) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values((
            users::id.eq(user.id),
            users::organisation_id.eq(user.organisation_id),
            users::email.eq(&user.email),
            users::display_name.eq(&user.display_name),
            users::language.eq(&user.language),
            users::roles.eq(&user.roles),
            users::password_hash.eq(&user.password_hash),
            users::password_changed_at.eq(user.password_hash.as_ref().map(|_| Utc::now())),
        ))
        .execute(conn)
        .await?;
    claim_login(conn, &user.email, user.organisation_id, Some(user.id), None).await?;
    replace_units(conn, user.organisation_id, user.id, &user.unit_ids).await
}

/// Replaces a user's units.
pub async fn replace_units(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    user_id: Uuid,
    unit_ids: &[Uuid],
) -> QueryResult<()> {
    diesel::delete(user_units::table.filter(user_units::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = unit_ids
        .iter()
        .map(|unit| {
            (
                user_units::organisation_id.eq(organisation_id),
                user_units::user_id.eq(user_id),
                user_units::unit_id.eq(*unit),
            )
        })
        .collect();
    diesel::insert_into(user_units::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(drop)
}

/// Filters of [`list_users`].
#[derive(Debug, Default)]
pub struct UserFilter {
    /// `Some(true)`: active only; `Some(false)`: deactivated only.
    pub active: Option<bool>,
    /// With this role.
    pub role: Option<String>,
    /// In this unit.
    pub unit_id: Option<Uuid>,
    /// Name or email contains.
    pub q: Option<String>,
}

/// A page of users after `cursor`, ordered by id; `limit + 1` rows tell if there is more.
pub async fn list_users(
    conn: &mut AsyncPgConnection,
    filter: &UserFilter,
    cursor: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::id)
        .limit(limit + 1)
        .into_boxed();
    if let Some(cursor) = cursor {
        query = query.filter(users::id.gt(cursor));
    }
    match filter.active {
        Some(true) => query = query.filter(users::deactivated_at.is_null()),
        Some(false) => query = query.filter(users::deactivated_at.is_not_null()),
        None => {}
    }
    if let Some(role) = &filter.role {
        query = query.filter(users::roles.contains(vec![role.clone()]));
    }
    if let Some(unit) = filter.unit_id {
        query = query.filter(
            users::id.eq_any(
                user_units::table
                    .filter(user_units::unit_id.eq(unit))
                    .select(user_units::user_id),
            ),
        );
    }
    if let Some(q) = &filter.q {
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
        );
        query = query.filter(
            users::email
                .ilike(pattern.clone())
                .or(users::display_name.ilike(pattern)),
        );
    }
    query.load(conn).await
}

/// Units of many users at once.
pub async fn units_of_users(
    conn: &mut AsyncPgConnection,
    user_ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    user_units::table
        .filter(user_units::user_id.eq_any(user_ids))
        .select((user_units::user_id, user_units::unit_id))
        .order((user_units::user_id, user_units::unit_id))
        .load(conn)
        .await
}

/// Changes a user's name, roles and language; bumps the version.
pub async fn update_user(
    conn: &mut AsyncPgConnection,
    id: UserId,
    display_name: Option<&str>,
    roles: Option<&[String]>,
    language: Option<&str>,
) -> QueryResult<()> {
    let target = users::table.find(id);
    diesel::update(target)
        .set(users::version.eq(users::version + 1))
        .execute(conn)
        .await?;
    if let Some(name) = display_name {
        diesel::update(target)
            .set(users::display_name.eq(name))
            .execute(conn)
            .await?;
    }
    if let Some(roles) = roles {
        diesel::update(target)
            .set(users::roles.eq(roles))
            .execute(conn)
            .await?;
    }
    if let Some(language) = language {
        diesel::update(target)
            .set(users::language.eq(language))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Active users holding the admin role.
pub async fn active_admin_count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    users::table
        .filter(
            users::deactivated_at
                .is_null()
                .and(users::roles.contains(vec!["admin".to_owned()])),
        )
        .count()
        .get_result(conn)
        .await
}

/// Deactivates a user and releases their login name.
pub async fn deactivate_user(conn: &mut AsyncPgConnection, id: UserId, by: Option<Uuid>) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::deactivated_at.eq(Utc::now()),
            users::deactivated_by.eq(by),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .await?;
    release_login(conn, Some(id.into()), None).await
}

/// Clears a user's two-factor authentication.
pub async fn reset_mfa(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::mfa_secret.eq(None::<Vec<u8>>),
            users::mfa_enabled_at.eq(None::<chrono::DateTime<Utc>>),
            users::mfa_last_step.eq(None::<i64>),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// A unit row.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = units)]
pub struct UnitRow {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Closed.
    pub closed_at: Option<chrono::DateTime<Utc>>,
    /// Version.
    pub version: i32,
}

/// Units after `cursor`.
pub async fn list_units(
    conn: &mut AsyncPgConnection,
    include_closed: bool,
    cursor: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<UnitRow>> {
    let mut query = units::table
        .select(UnitRow::as_select())
        .order(units::id)
        .limit(limit + 1)
        .into_boxed();
    if let Some(cursor) = cursor {
        query = query.filter(units::id.gt(cursor));
    }
    if !include_closed {
        query = query.filter(units::closed_at.is_null());
    }
    query.load(conn).await
}

/// One unit.
pub async fn unit(conn: &mut AsyncPgConnection, id: UnitId) -> QueryResult<UnitRow> {
    units::table
        .find(id)
        .select(UnitRow::as_select())
        .first(conn)
        .await
}

/// Creates a unit.
pub async fn insert_unit(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    id: UnitId,
    name: &str,
) -> QueryResult<UnitRow> {
    diesel::insert_into(units::table)
        .values((
            units::id.eq(id),
            units::organisation_id.eq(organisation_id),
            units::name.eq(name),
        ))
        .returning(UnitRow::as_returning())
        .get_result(conn)
        .await
}

/// Renames a unit.
pub async fn rename_unit(conn: &mut AsyncPgConnection, id: UnitId, name: &str) -> QueryResult<UnitRow> {
    diesel::update(units::table.find(id))
        .set((units::name.eq(name), units::version.eq(units::version + 1)))
        .returning(UnitRow::as_returning())
        .get_result(conn)
        .await
}

/// Closes a unit.
pub async fn close_unit(conn: &mut AsyncPgConnection, id: UnitId) -> QueryResult<UnitRow> {
    diesel::update(units::table.find(id).filter(units::closed_at.is_null()))
        .set((
            units::closed_at.eq(Utc::now()),
            units::version.eq(units::version + 1),
        ))
        .returning(UnitRow::as_returning())
        .get_result(conn)
        .await
}

/// Creates an organisation (the transaction's tenant must already be `id`).
pub async fn insert_organisation(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    name: &str,
    is_demo: bool,
) -> QueryResult<()> {
    diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(id),
            organisations::name.eq(name),
            organisations::is_demo.eq(is_demo),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Organisation settings to change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = organisations)]
pub struct OrganisationChanges {
    /// Name.
    pub name: Option<String>,
    /// Require 2FA.
    pub require_mfa: Option<bool>,
    /// Access token lifetime.
    pub access_token_ttl_secs: Option<i32>,
    /// Inactivity timeout.
    pub session_idle_timeout_secs: Option<i32>,
    /// Maximum session length.
    pub session_max_lifetime_secs: Option<i32>,
    /// Lockout threshold.
    pub lockout_threshold: Option<i32>,
    /// Lock duration.
    pub lockout_duration_secs: Option<i32>,
    /// Unusual-access threshold.
    pub unusual_access_daily_clients: Option<i32>,
    /// Diary edit window.
    pub diary_edit_window_hours: Option<i32>,
    /// Allowance rate.
    pub allowance_rate_cents: Option<i32>,
    /// Electronic consents count as written.
    pub electronic_consent_is_written: Option<bool>,
}

/// Applies settings changes and bumps the version.
pub async fn update_organisation(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &OrganisationChanges,
) -> QueryResult<()> {
    diesel::update(organisations::table.find(id))
        .set(organisations::version.eq(organisations::version + 1))
        .execute(conn)
        .await?;
    if changes.name.is_some()
        || changes.require_mfa.is_some()
        || changes.access_token_ttl_secs.is_some()
        || changes.session_idle_timeout_secs.is_some()
        || changes.session_max_lifetime_secs.is_some()
        || changes.lockout_threshold.is_some()
        || changes.lockout_duration_secs.is_some()
        || changes.unusual_access_daily_clients.is_some()
        || changes.diary_edit_window_hours.is_some()
        || changes.allowance_rate_cents.is_some()
        || changes.electronic_consent_is_written.is_some()
    {
        diesel::update(organisations::table.find(id))
            .set(changes)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// An API client row.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = crate::schema::api_clients)]
pub struct ApiClientRow {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Public client id.
    pub client_id: String,
    /// Scope names.
    pub scopes: Vec<String>,
    /// Created.
    pub created_at: chrono::DateTime<Utc>,
    /// Current secret issued.
    pub secret_rotated_at: chrono::DateTime<Utc>,
    /// Revoked.
    pub revoked_at: Option<chrono::DateTime<Utc>>,
}

/// A new API client row.
#[derive(Debug, Insertable)]
#[diesel(table_name = crate::schema::api_clients)]
pub struct NewApiClient {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub organisation_id: Uuid,
    /// Name.
    pub name: String,
    /// Public client id (also its login name).
    pub client_id: String,
    /// SHA-256 of the secret, hex.
    pub secret_hash: String,
    /// Scope names.
    pub scopes: Vec<String>,
    /// The admin who created it.
    pub created_by: Option<Uuid>,
}

/// Creates an API client and its login name.
pub async fn insert_api_client(
    conn: &mut AsyncPgConnection,
    new: &NewApiClient,
) -> QueryResult<ApiClientRow> {
    use crate::schema::api_clients;
    let row = diesel::insert_into(api_clients::table)
        .values(new)
        .returning(ApiClientRow::as_returning())
        .get_result(conn)
        .await?;
    claim_login(conn, &new.client_id, new.organisation_id, None, Some(new.id)).await?;
    Ok(row)
}

/// API clients after `cursor`.
pub async fn list_api_clients(
    conn: &mut AsyncPgConnection,
    cursor: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<ApiClientRow>> {
    use crate::schema::api_clients;
    let mut query = api_clients::table
        .select(ApiClientRow::as_select())
        .order(api_clients::id)
        .limit(limit + 1)
        .into_boxed();
    if let Some(cursor) = cursor {
        query = query.filter(api_clients::id.gt(cursor));
    }
    query.load(conn).await
}

/// A live (not revoked) client.
pub async fn live_api_client(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<ApiClientRow> {
    use crate::schema::api_clients;
    api_clients::table
        .find(id)
        .filter(api_clients::revoked_at.is_null())
        .select(ApiClientRow::as_select())
        .first(conn)
        .await
}

/// Replaces the secret of a live client.
pub async fn rotate_api_client_secret(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    secret_hash: &str,
) -> QueryResult<ApiClientRow> {
    use crate::schema::api_clients;
    diesel::update(
        api_clients::table
            .find(id)
            .filter(api_clients::revoked_at.is_null()),
    )
    .set((
        api_clients::secret_hash.eq(secret_hash),
        api_clients::secret_rotated_at.eq(Utc::now()),
        api_clients::version.eq(api_clients::version + 1),
    ))
    .returning(ApiClientRow::as_returning())
    .get_result(conn)
    .await
}

/// Revokes a live client: its tokens stop working at once and its client id is freed.
pub async fn revoke_api_client(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<ApiClientRow> {
    use crate::schema::api_clients;
    let row = diesel::update(
        api_clients::table
            .find(id)
            .filter(api_clients::revoked_at.is_null()),
    )
    .set((
        api_clients::revoked_at.eq(Utc::now()),
        api_clients::version.eq(api_clients::version + 1),
    ))
    .returning(ApiClientRow::as_returning())
    .get_result(conn)
    .await?;
    release_login(conn, None, Some(id)).await?;
    Ok(row)
}

/// Whether the unit exists (and, with `open_only`, is not closed).
pub async fn unit_exists(conn: &mut AsyncPgConnection, unit: UnitId, open_only: bool) -> QueryResult<bool> {
    let mut query = units::table.find(unit).select(units::id).into_boxed();
    if open_only {
        query = query.filter(units::closed_at.is_null());
    }
    diesel::select(diesel::dsl::exists(query)).get_result(conn).await
}

/// Whether an active (not deactivated) user has this id.
pub async fn active_user_exists(conn: &mut AsyncPgConnection, user: UserId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.find(user).filter(users::deactivated_at.is_null()),
    ))
    .get_result(conn)
    .await
}
