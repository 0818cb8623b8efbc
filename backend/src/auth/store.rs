//! Queries of identity and sessions. Every function runs inside the caller's transaction
//! (tenant already set); none decides permissions.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable as SqlNullable, Timestamptz as SqlTimestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::ids::{UnitId, UserId};
use crate::schema::{
    api_clients, login_throttle, organisations, password_tokens, refresh_tokens, sessions, user_units, users,
};

/// What a live session grants.
#[derive(Debug)]
pub struct LiveSession {
    /// Role names of the user.
    pub roles: Vec<String>,
    /// The user's units.
    pub unit_ids: Vec<UnitId>,
}

diesel::define_sql_function! {
    /// Roles and units of a live session (NULL if it is not): sets the tenant for its own
    /// statement.
    fn polku_live_session(organisation: SqlUuid, session: SqlUuid, person: SqlUuid)
        -> Nullable<Record<(Array<Text>, Array<SqlUuid>)>>;
}

diesel::define_sql_function! {
    /// Scopes of a live API client (NULL if revoked, unknown, or its secret rotated after
    /// `minted_against`).
    fn polku_live_api_client_scopes(organisation: SqlUuid, client: SqlUuid, minted_against: SqlNullable<SqlTimestamptz>)
        -> Nullable<Array<Text>>;
}

/// The session if it is live: not revoked, not expired, and its user not deactivated.
/// One statement outside any transaction: it sets the tenant for itself.
pub async fn live_session(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    session_id: Uuid,
    user_id: Uuid,
) -> QueryResult<Option<LiveSession>> {
    let grants: Option<(Vec<String>, Vec<Uuid>)> =
        diesel::select(polku_live_session(organisation_id, session_id, user_id))
            .get_result(conn)
            .await?;
    Ok(grants.map(|(roles, unit_ids)| LiveSession {
        roles,
        unit_ids: unit_ids.into_iter().map(UnitId::from).collect(),
    }))
}

/// Scopes of an API client that has not been revoked and still has the secret a token was
/// minted with (one statement, like [`live_session`]).
pub async fn live_api_client_scopes(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    id: Uuid,
    minted_against: Option<DateTime<Utc>>,
) -> QueryResult<Option<Vec<String>>> {
    diesel::select(polku_live_api_client_scopes(organisation_id, id, minted_against))
        .get_result(conn)
        .await
}

/// Which organisation and user (or API client) a login name belongs to.
#[derive(Debug, QueryableByName)]
pub struct DirectoryEntry {
    /// The organisation.
    #[diesel(sql_type = SqlUuid)]
    pub organisation_id: Uuid,
    /// The user, for people.
    #[diesel(sql_type = diesel::sql_types::Nullable<SqlUuid>)]
    pub user_id: Option<Uuid>,
    /// The API client, for integrators.
    #[diesel(sql_type = diesel::sql_types::Nullable<SqlUuid>)]
    pub api_client_id: Option<Uuid>,
}

/// Looks a login name up (no tenant needed). The runtime role has no access to the
/// directory's table; `polku_login_lookup` returns the one row of this one name.
pub async fn find_login(conn: &mut AsyncPgConnection, login: &str) -> QueryResult<Option<DirectoryEntry>> {
    diesel::sql_query("SELECT organisation_id, user_id, api_client_id FROM polku_login_lookup($1)")
        .bind::<diesel::sql_types::Text, _>(login)
        .get_result(conn)
        .await
        .optional()
}

/// The user row as authentication needs it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub organisation_id: Uuid,
    /// Login name.
    pub email: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// fi, sv or en.
    pub language: String,
    /// Role names.
    pub roles: Vec<String>,
    /// argon2id hash; `None` until the user sets a password.
    pub password_hash: Option<String>,
    /// Encrypted TOTP secret.
    pub mfa_secret: Option<Vec<u8>>,
    /// When 2FA was enabled.
    pub mfa_enabled_at: Option<DateTime<Utc>>,
    /// Last TOTP time step accepted (replay protection).
    pub mfa_last_step: Option<i64>,
    /// When the account was deactivated.
    pub deactivated_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// A user of the current tenant.
pub async fn user(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<UserRow> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .await
}

/// Unit ids of a user.
pub async fn user_unit_ids(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<Uuid>> {
    user_units::table
        .filter(user_units::user_id.eq(user_id))
        .select(user_units::unit_id)
        .order(user_units::unit_id)
        .load(conn)
        .await
}

/// Organisation settings that authentication uses.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Whether every user must use two-factor authentication.
    pub require_mfa: bool,
    /// Access token lifetime.
    pub access_token_ttl_secs: i32,
    /// Session ends after this much inactivity.
    pub session_idle_timeout_secs: i32,
    /// Session ends after this long regardless.
    pub session_max_lifetime_secs: i32,
    /// Failed logins before the account locks.
    pub lockout_threshold: i32,
    /// How long a lock lasts.
    pub lockout_duration_secs: i32,
    /// Demo data.
    pub is_demo: bool,
    /// Daily distinct clients above which a user shows as unusual access.
    pub unusual_access_daily_clients: i32,
    /// Hours in which a diary entry's author edits it freely.
    pub diary_edit_window_hours: i32,
    /// Allowance per KTT participation day, in cents.
    pub allowance_rate_cents: i32,
    /// Electronic consents count as written ones for disclosures.
    pub electronic_consent_is_written: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The current tenant's organisation.
pub async fn organisation(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<OrganisationRow> {
    organisations::table
        .find(id)
        .select(OrganisationRow::as_select())
        .first(conn)
        .await
}

/// Creates a session and its first refresh token.
pub async fn create_session(
    conn: &mut AsyncPgConnection,
    organisation: &OrganisationRow,
    user_id: Uuid,
    session_id: Uuid,
    refresh_hash: &[u8],
    meta: &crate::http::RequestMeta,
) -> QueryResult<()> {
    let now = Utc::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(session_id),
            sessions::organisation_id.eq(organisation.id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_refreshed_at.eq(now),
            sessions::idle_expires_at
                .eq(now + Duration::seconds(organisation.session_idle_timeout_secs.into())),
            sessions::expires_at.eq(now + Duration::seconds(organisation.session_max_lifetime_secs.into())),
            sessions::source_address.eq(meta.source_address.as_deref()),
            sessions::user_agent.eq(meta.user_agent.as_deref()),
        ))
        .execute(conn)
        .await?;
    insert_refresh_token(conn, organisation.id, session_id, refresh_hash).await
}

async fn insert_refresh_token(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    session_id: Uuid,
    hash: &[u8],
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(hash),
            refresh_tokens::organisation_id.eq(organisation_id),
            refresh_tokens::session_id.eq(session_id),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// What a presented refresh token turned out to be.
#[derive(Debug)]
pub enum RefreshOutcome {
    /// Rotated: the session continues with a new refresh token.
    Rotated {
        /// The session's user.
        user_id: Uuid,
    },
    /// A spent token came back: the session has been revoked.
    Reused {
        /// The session's user.
        user_id: Uuid,
    },
    /// Unknown token, or the session is over.
    Invalid,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = sessions)]
struct SessionTimes {
    user_id: Uuid,
    revoked_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    idle_expires_at: DateTime<Utc>,
}

/// Spends a refresh token and stores its successor, extending the session's idle expiry.
pub async fn rotate_refresh_token(
    conn: &mut AsyncPgConnection,
    organisation: &OrganisationRow,
    session_id: Uuid,
    presented: &[u8],
    next: &[u8],
) -> QueryResult<RefreshOutcome> {
    let token: Option<(Uuid, Option<DateTime<Utc>>)> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(presented))
        .select((refresh_tokens::session_id, refresh_tokens::spent_at))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some((token_session, spent_at)) = token else {
        return Ok(RefreshOutcome::Invalid);
    };
    if token_session != session_id {
        return Ok(RefreshOutcome::Invalid);
    }
    let session: Option<SessionTimes> = sessions::table
        .find(session_id)
        .select(SessionTimes::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some(SessionTimes {
        user_id,
        revoked_at,
        expires_at,
        idle_expires_at,
    }) = session
    else {
        return Ok(RefreshOutcome::Invalid);
    };
    if spent_at.is_some() {
        revoke_sessions(conn, SessionFilter::One(session_id), "refresh_token_reuse").await?;
        return Ok(RefreshOutcome::Reused { user_id });
    }
    let now = Utc::now();
    if revoked_at.is_some() || expires_at <= now || idle_expires_at <= now {
        return Ok(RefreshOutcome::Invalid);
    }
    let active: bool = users::table
        .find(user_id)
        .select(users::deactivated_at.is_null())
        .first(conn)
        .await?;
    if !active {
        return Ok(RefreshOutcome::Invalid);
    }
    diesel::update(refresh_tokens::table.filter(refresh_tokens::token_hash.eq(presented)))
        .set(refresh_tokens::spent_at.eq(now))
        .execute(conn)
        .await?;
    insert_refresh_token(conn, organisation.id, session_id, next).await?;
    let idle = (now + Duration::seconds(organisation.session_idle_timeout_secs.into())).min(expires_at);
    diesel::update(sessions::table.find(session_id))
        .set((
            sessions::last_refreshed_at.eq(now),
            sessions::idle_expires_at.eq(idle),
        ))
        .execute(conn)
        .await?;
    Ok(RefreshOutcome::Rotated { user_id })
}

/// Which sessions to revoke.
#[derive(Debug, Clone, Copy)]
pub enum SessionFilter {
    /// One session.
    One(Uuid),
    /// Every session of a user.
    AllOfUser(Uuid),
    /// Every session of a user but one (password change).
    AllOfUserExcept(Uuid, Uuid),
}

/// Revokes live sessions; returns how many.
pub async fn revoke_sessions(
    conn: &mut AsyncPgConnection,
    which: SessionFilter,
    reason: &str,
) -> QueryResult<usize> {
    let live = sessions::revoked_at.is_null();
    let now = Utc::now();
    let values = (sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason));
    match which {
        SessionFilter::One(id) => {
            diesel::update(sessions::table.filter(sessions::id.eq(id).and(live)))
                .set(values)
                .execute(conn)
                .await
        }
        SessionFilter::AllOfUser(user) => {
            diesel::update(sessions::table.filter(sessions::user_id.eq(user).and(live)))
                .set(values)
                .execute(conn)
                .await
        }
        SessionFilter::AllOfUserExcept(user, keep) => {
            diesel::update(
                sessions::table.filter(sessions::user_id.eq(user).and(live).and(sessions::id.ne(keep))),
            )
            .set(values)
            .execute(conn)
            .await
        }
    }
}

/// Sets a user's password hash.
pub async fn set_password(conn: &mut AsyncPgConnection, user_id: Uuid, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(hash),
            users::password_changed_at.eq(Utc::now()),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Issues a one-time password-set token for a user.
pub async fn create_password_token(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    user_id: Uuid,
    hash: &[u8],
    valid_for: Duration,
) -> QueryResult<DateTime<Utc>> {
    let expires_at = Utc::now() + valid_for;
    diesel::insert_into(password_tokens::table)
        .values((
            password_tokens::token_hash.eq(hash),
            password_tokens::organisation_id.eq(organisation_id),
            password_tokens::user_id.eq(user_id),
            password_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(expires_at)
}

/// The user of an unused, unexpired password-set token.
pub async fn password_token_user(conn: &mut AsyncPgConnection, hash: &[u8]) -> QueryResult<Option<Uuid>> {
    password_tokens::table
        .filter(
            password_tokens::token_hash
                .eq(hash)
                .and(password_tokens::used_at.is_null())
                .and(password_tokens::expires_at.gt(Utc::now())),
        )
        .select(password_tokens::user_id)
        .first(conn)
        .await
        .optional()
}

/// Spends a password-set token; false if it was already spent (single use under races).
pub async fn spend_password_token(conn: &mut AsyncPgConnection, hash: &[u8]) -> QueryResult<bool> {
    let spent = diesel::update(
        password_tokens::table.filter(
            password_tokens::token_hash
                .eq(hash)
                .and(password_tokens::used_at.is_null())
                .and(password_tokens::expires_at.gt(Utc::now())),
        ),
    )
    .set(password_tokens::used_at.eq(Utc::now()))
    .execute(conn)
    .await?;
    Ok(spent == 1)
}

/// Invalidates every unused password-set token of a user.
pub async fn spend_all_password_tokens(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<()> {
    diesel::update(
        password_tokens::table.filter(
            password_tokens::user_id
                .eq(user_id)
                .and(password_tokens::used_at.is_null()),
        ),
    )
    .set(password_tokens::used_at.eq(Utc::now()))
    .execute(conn)
    .await
    .map(drop)
}

/// State of one throttle key.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleState {
    /// Seconds until the lock ends, if locked.
    pub locked_for_secs: Option<i64>,
}

/// Whether a throttle key is locked now.
pub async fn throttle_state(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<ThrottleState> {
    let locked_until: Option<Option<DateTime<Utc>>> = login_throttle::table
        .find(key)
        .select(login_throttle::locked_until)
        .first(conn)
        .await
        .optional()?;
    let now = Utc::now();
    let locked_for_secs = locked_until
        .flatten()
        .filter(|until| *until > now)
        .map(|until| (until - now).num_seconds().max(1));
    Ok(ThrottleState { locked_for_secs })
}

/// What counting one failure did to a throttle key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Counted; `locked` when it was the one that locked the key.
    Counted {
        /// This failure reached the threshold.
        locked: bool,
    },
    /// The key was already locked (by a parallel request, say): not counted, and the
    /// caller answers as for a locked key.
    AlreadyLocked {
        /// Seconds until the lock ends.
        secs: i64,
    },
}

/// Counts a failure against a key; locks it for `lock_for` once `threshold` failures fall
/// within one window. Check and count are one step under the key's row lock, so parallel
/// failures are counted one by one and none slips past the lock; locking does not reset
/// the count (a lock that has ended starts a new window).
pub async fn record_failure(
    conn: &mut AsyncPgConnection,
    key: &str,
    threshold: i32,
    lock_for: Duration,
) -> QueryResult<Failure> {
    let now = Utc::now();
    diesel::insert_into(login_throttle::table)
        .values((
            login_throttle::key.eq(key),
            login_throttle::failures.eq(0),
            login_throttle::window_started_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    let (failures, window_started_at, locked_until): (i32, DateTime<Utc>, Option<DateTime<Utc>>) =
        login_throttle::table
            .find(key)
            .select((
                login_throttle::failures,
                login_throttle::window_started_at,
                login_throttle::locked_until,
            ))
            .for_update()
            .first(conn)
            .await?;
    if let Some(until) = locked_until.filter(|until| *until > now) {
        return Ok(Failure::AlreadyLocked {
            secs: (until - now).num_seconds().max(1),
        });
    }
    // Failures older than one lock period, or from before an ended lock, start a new window.
    let fresh_window = window_started_at < now - lock_for || locked_until.is_some();
    let (failures, window_started_at) = if fresh_window {
        (1, now)
    } else {
        (failures + 1, window_started_at)
    };
    let locked = failures >= threshold;
    diesel::update(login_throttle::table.find(key))
        .set((
            login_throttle::failures.eq(failures),
            login_throttle::window_started_at.eq(window_started_at),
            login_throttle::locked_until.eq(locked.then(|| now + lock_for)),
        ))
        .execute(conn)
        .await?;
    Ok(Failure::Counted { locked })
}

/// Clears a key after a successful login, unless it is locked (a parallel failure may
/// have locked it since the login was checked): then the seconds the lock has left.
pub async fn clear_throttle(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<Option<i64>> {
    let now = Utc::now();
    let locked_until: Option<Option<DateTime<Utc>>> = login_throttle::table
        .find(key)
        .select(login_throttle::locked_until)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    if let Some(until) = locked_until.flatten().filter(|until| *until > now) {
        return Ok(Some((until - now).num_seconds().max(1)));
    }
    diesel::delete(login_throttle::table.find(key))
        .execute(conn)
        .await?;
    Ok(None)
}

/// Secret hash, scopes and the time the secret was issued, of a live client.
pub async fn api_client_credentials(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<(String, Vec<String>, DateTime<Utc>)>> {
    api_clients::table
        .filter(api_clients::id.eq(id).and(api_clients::revoked_at.is_null()))
        .select((
            api_clients::secret_hash,
            api_clients::scopes,
            api_clients::secret_rotated_at,
        ))
        .first(conn)
        .await
        .optional()
}

/// A live session of a user, as its owner sees it.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// Id.
    pub id: Uuid,
    /// Logged in at.
    pub created_at: DateTime<Utc>,
    /// Last renewed (the browser was in use).
    pub last_refreshed_at: DateTime<Utc>,
    /// Ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// Address it logged in from.
    pub source_address: Option<String>,
    /// Browser it logged in with.
    pub user_agent: Option<String>,
}

/// The user's live sessions (not revoked, not expired), newest first.
pub async fn live_sessions_of(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<SessionRow>> {
    let now = Utc::now();
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::idle_expires_at.gt(now))
        .order((sessions::created_at.desc(), sessions::id.desc()))
        .select(SessionRow::as_select())
        .load(conn)
        .await
}

/// Turns off a user's two-factor authentication and drops their recovery codes.
pub async fn disable_mfa(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::mfa_secret.eq(None::<Vec<u8>>),
            users::mfa_enabled_at.eq(None::<DateTime<Utc>>),
            users::mfa_last_step.eq(None::<i64>),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .await?;
    diesel::delete(
        crate::schema::recovery_codes::table.filter(crate::schema::recovery_codes::user_id.eq(user_id)),
    )
    .execute(conn)
    .await
    .map(drop)
}
