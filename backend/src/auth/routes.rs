//! Login, refresh, logout, the current user, and passwords.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use futures_util::FutureExt;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::actor::{Actor, BasicCredentials, Principal};
use super::api::{
    ChangePasswordRequest, DisableMfaRequest, LoginRequest, LoginResponse, MeResponse, MfaConfirmRequest,
    MfaEnabledResponse, MfaLoginRequest, MfaSetupResponse, MfaTicketConfirmRequest, MfaTicketRequest,
    OAuthError, OAuthTokenResponse, OrganisationSummary, SessionResponse, SetPasswordRequest, TokenRequest,
    TokenResponse,
};
use super::mfa;
use super::password;
use super::store::{self, OrganisationRow, RefreshOutcome, SessionFilter, UserRow};
use crate::audit::{self, AuditActor, AuditEvent, Category};
use crate::db;
use crate::error::responses::NotLoggedIn;
use crate::error::{ApiError, Problem};
use crate::http::{REFRESH_COOKIE, RefreshCookie, RequestMeta};
use crate::permissions::Role;
use crate::state::AppState;
use crate::tokens::{API_AUDIENCE, MFA_AUDIENCE, OpaqueToken, Subject, TokenKeys};

/// Name and path of the refresh-token cookie.
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";
/// Failures from one source address before it is throttled.
const ADDRESS_THRESHOLD: i32 = 100;
const ADDRESS_LOCK_SECS: i64 = 900;
/// Defaults for unknown login names (known ones use their organisation's policy).
const DEFAULT_LOCKOUT_THRESHOLD: i32 = 5;
const DEFAULT_LOCKOUT_SECS: i64 = 900;
/// Lifetime of the ticket between password and second factor.
const MFA_TICKET_SECS: i64 = 300;

/// Login names are email addresses, compared case-insensitively.
pub fn normalise_login(email: &str) -> String {
    email.trim().to_lowercase()
}

fn account_key(login_name: &str) -> String {
    let digest = Sha256::digest(login_name.as_bytes());
    format!(
        "account:{}",
        digest
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    )
}

fn address_key(meta: &RequestMeta) -> String {
    format!("address:{}", meta.source_address.as_deref().unwrap_or("unknown"))
}

/// Log in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in, or the second factor is needed", body = LoginResponse,
            headers(("Set-Cookie" = String, description = "The refresh token (HttpOnly)"))),
        (status = 401, description = "Wrong email or password (the same answer for both)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let login_name = normalise_login(&body.email);
    let (account, address) = (account_key(&login_name), address_key(&meta));

    let (entry, locked_for) = {
        let (login_name, account, address) = (login_name.clone(), account.clone(), address.clone());
        db::transaction(&state.pool, None, move |conn| {
            async move {
                let account = store::throttle_state(conn, &account).await?;
                let address = store::throttle_state(conn, &address).await?;
                let entry = store::find_login(conn, &login_name).await?;
                Ok((entry, account.locked_for_secs.max(address.locked_for_secs)))
            }
            .boxed()
        })
        .await?
    };
    if let Some(retry_after_secs) = locked_for {
        return Err(ApiError::TooManyRequests {
            retry_after_secs: retry_after_secs.unsigned_abs(),
        });
    }

    let found = match entry.and_then(|entry| entry.user_id.map(|user| (entry.organisation_id, user))) {
        Some((organisation_id, user_id)) => Some(
            db::transaction(&state.pool, Some(organisation_id), move |conn| {
                async move {
                    Ok((
                        store::user(conn, user_id.into()).await?,
                        store::organisation(conn, organisation_id).await?,
                    ))
                }
                .boxed()
            })
            .await?,
        ),
        None => None,
    };
    let stored_hash = found.as_ref().and_then(|(user, _)| user.password_hash.clone());
    // Bound the hashing work a request can cause; such a password can never be right.
    let too_long = body.password.expose_secret().len() > 4 * password::MAX_LENGTH;
    let verified = password::verify(body.password, if too_long { None } else { stored_hash }).await?;

    match found {
        Some((user, organisation)) if verified && user.deactivated_at.is_none() => {
            succeed_login(&state, &meta, account, user, organisation).await
        }
        other => Err(fail_login(&state, &meta, account, address, other).await),
    }
}

/// Which throttle keys a failure counts against, with the account's lockout policy.
struct Throttle {
    account: String,
    /// The source address; `None` for failures that already passed the address check
    /// (the second factor).
    address: Option<String>,
    threshold: i32,
    lock_secs: i64,
}

/// Counts a failed password or code against the account and the address, in the
/// caller's transaction, and records it (and a lock it caused). `Some(seconds)` when the
/// account or address was already locked: the caller answers 429 like a locked login,
/// not as a wrong password, so that exactly the threshold of failures is answered as such.
async fn count_failure(
    conn: &mut diesel_async::AsyncPgConnection,
    meta: &RequestMeta,
    throttle: &Throttle,
    organisation_id: Option<Uuid>,
    user_id: Option<Uuid>,
    action: &'static str,
) -> Result<Option<i64>, ApiError> {
    let account = store::record_failure(
        conn,
        &throttle.account,
        throttle.threshold,
        chrono::Duration::seconds(throttle.lock_secs),
    )
    .await?;
    let address = match &throttle.address {
        Some(address) => Some(
            store::record_failure(
                conn,
                address,
                ADDRESS_THRESHOLD,
                chrono::Duration::seconds(ADDRESS_LOCK_SECS),
            )
            .await?,
        ),
        None => None,
    };
    let event = |action| {
        let event = AuditEvent::new(organisation_id, Category::Auth, action, AuditActor::System);
        match user_id {
            Some(user) => event.about_user(user),
            None => event,
        }
    };
    audit::record(conn, meta, event(action)).await?;
    if account == (store::Failure::Counted { locked: true }) {
        let locked =
            event("account_locked").with(serde_json::json!({ "locked_for_secs": throttle.lock_secs }));
        audit::record(conn, meta, locked).await?;
    }
    let already = [Some(account), address]
        .into_iter()
        .flatten()
        .filter_map(|failure| match failure {
            store::Failure::AlreadyLocked { secs } => Some(secs),
            store::Failure::Counted { .. } => None,
        })
        .max();
    Ok(already)
}

/// Counts a failed login and answers it. Known and unknown names get the same answer.
async fn fail_login(
    state: &AppState,
    meta: &RequestMeta,
    account: String,
    address: String,
    known: Option<(UserRow, OrganisationRow)>,
) -> ApiError {
    let (organisation_id, user_id, threshold, lock_secs) = match &known {
        Some((user, organisation)) => (
            Some(organisation.id),
            Some(user.id),
            organisation.lockout_threshold,
            i64::from(organisation.lockout_duration_secs),
        ),
        None => (None, None, DEFAULT_LOCKOUT_THRESHOLD, DEFAULT_LOCKOUT_SECS),
    };
    let throttle = Throttle {
        account,
        address: Some(address),
        threshold,
        lock_secs,
    };
    let meta = meta.clone();
    let result = db::transaction(&state.pool, organisation_id, move |conn| {
        async move { count_failure(conn, &meta, &throttle, organisation_id, user_id, "login_failed").await }
            .boxed()
    })
    .await;
    match result {
        Ok(None) => ApiError::InvalidCredentials,
        Ok(Some(secs)) => ApiError::TooManyRequests {
            retry_after_secs: secs.unsigned_abs(),
        },
        Err(error) => error,
    }
}

async fn succeed_login(
    state: &AppState,
    meta: &RequestMeta,
    account: String,
    user: UserRow,
    organisation: OrganisationRow,
) -> Result<HttpResponse, ApiError> {
    if user.mfa_enabled_at.is_some() || organisation.require_mfa {
        let claims = TokenKeys::claims(
            Utc::now(),
            MFA_TICKET_SECS,
            MFA_AUDIENCE,
            Subject::User,
            user.id,
            organisation.id,
            None,
        );
        let mfa_token = state.keys.sign(&claims).map_err(internal)?;
        let response = if user.mfa_enabled_at.is_some() {
            LoginResponse::MfaRequired { mfa_token }
        } else {
            LoginResponse::MfaEnrolmentRequired { mfa_token }
        };
        return Ok(HttpResponse::Ok().json(response));
    }
    start_session(state, meta, Some(account), &user, &organisation).await
}

/// Opens a session for a fully authenticated user: the access token in the body, the
/// refresh token in the cookie.
pub async fn start_session(
    state: &AppState,
    meta: &RequestMeta,
    throttle_key: Option<String>,
    user: &UserRow,
    organisation: &OrganisationRow,
) -> Result<HttpResponse, ApiError> {
    let (tokens, cookie) = open_session(state, meta, throttle_key, user, organisation).await?;
    Ok(HttpResponse::Ok()
        .cookie(cookie)
        .json(LoginResponse::Authenticated(tokens)))
}

async fn open_session(
    state: &AppState,
    meta: &RequestMeta,
    throttle_key: Option<String>,
    user: &UserRow,
    organisation: &OrganisationRow,
) -> Result<(TokenResponse, Cookie<'static>), ApiError> {
    let session_id = Uuid::now_v7();
    let refresh_token = OpaqueToken::generate(organisation.id, session_id).map_err(internal)?;
    let (user_id, org) = (user.id, organisation.clone());
    let (meta, hash) = (meta.clone(), refresh_token.hash());
    db::transaction(&state.pool, Some(organisation.id), move |conn| {
        async move {
            if let Some(key) = throttle_key
                && let Some(secs) = store::clear_throttle(conn, &key).await?
            {
                return Err(ApiError::TooManyRequests {
                    retry_after_secs: secs.unsigned_abs(),
                });
            }
            store::create_session(conn, &org, user_id, session_id, &hash, &meta).await?;
            let event = AuditEvent::new(
                Some(org.id),
                Category::Auth,
                "login_succeeded",
                AuditActor::User(user_id),
            )
            .about_user(user_id)
            .about(session_id);
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    let tokens = access_token(&state.keys, organisation, user.id, session_id)?;
    Ok((
        tokens,
        refresh_cookie(&refresh_token.token, organisation.session_max_lifetime_secs),
    ))
}

fn access_token(
    keys: &TokenKeys,
    organisation: &OrganisationRow,
    user_id: Uuid,
    session_id: Uuid,
) -> Result<TokenResponse, ApiError> {
    let ttl = i64::from(organisation.access_token_ttl_secs);
    let claims = TokenKeys::claims(
        Utc::now(),
        ttl,
        API_AUDIENCE,
        Subject::User,
        user_id,
        organisation.id,
        Some(session_id),
    );
    Ok(TokenResponse {
        access_token: keys.sign(&claims).map_err(internal)?,
        token_type: "Bearer",
        expires_in: ttl,
    })
}

fn refresh_cookie(token: &str, max_age_secs: i32) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token.to_owned())
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .path(REFRESH_COOKIE_PATH)
        .max_age(time::Duration::seconds(max_age_secs.into()))
        .finish()
}

fn expired_refresh_cookie() -> Cookie<'static> {
    let mut cookie = refresh_cookie("", 0);
    cookie.make_removal();
    cookie
}

fn internal(error: impl std::error::Error + Send + Sync + 'static) -> ApiError {
    ApiError::Internal(anyhow::Error::new(error))
}

/// Trade the refresh cookie for a new access token; the refresh token rotates. A refresh
/// token used twice revokes its whole session (theft detection).
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "A new access token; the cookie holds the next refresh token", body = TokenResponse),
        (status = 401, description = "No valid refresh token", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    meta: RequestMeta,
    cookie: RefreshCookie,
) -> Result<HttpResponse, ApiError> {
    let presented = cookie
        .0
        .as_deref()
        .and_then(OpaqueToken::parse)
        .ok_or(ApiError::Unauthenticated)?;
    let organisation_id = presented.organisation_id;
    let session_id = presented.id;
    let next = OpaqueToken::generate(organisation_id, session_id).map_err(internal)?;
    let (presented_hash, next_hash) = (presented.hash(), next.hash());
    let (outcome, organisation) = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let Ok(organisation) = store::organisation(conn, organisation_id).await else {
                return Ok((RefreshOutcome::Invalid, None));
            };
            let outcome =
                store::rotate_refresh_token(conn, &organisation, session_id, &presented_hash, &next_hash)
                    .await?;
            if let RefreshOutcome::Reused { user_id } = outcome {
                let event = AuditEvent::new(
                    Some(organisation_id),
                    Category::Auth,
                    "refresh_token_reused",
                    AuditActor::User(user_id),
                )
                .about_user(user_id)
                .about(session_id);
                audit::record(conn, &meta, event).await?;
            }
            Ok((outcome, Some(organisation)))
        }
        .boxed()
    })
    .await?;
    match (outcome, organisation) {
        (RefreshOutcome::Rotated { user_id }, Some(organisation)) => {
            let tokens = access_token(&state.keys, &organisation, user_id, session_id)?;
            Ok(HttpResponse::Ok()
                .cookie(refresh_cookie(
                    &next.token,
                    organisation.session_max_lifetime_secs,
                ))
                .json(tokens))
        }
        _ => Err(ApiError::Unauthenticated),
    }
}

/// End the current session; its access and refresh tokens stop working at once.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        NotLoggedIn,
    ),
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
) -> Result<HttpResponse, ApiError> {
    let Principal::User {
        id: user_id,
        session_id,
    } = actor.principal
    else {
        return Err(ApiError::Forbidden);
    };
    let organisation_id = actor.organisation_id;
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            store::revoke_sessions(conn, SessionFilter::One(session_id), "logout").await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Auth,
                "logout",
                AuditActor::User(user_id),
            )
            .about_user(user_id)
            .about(session_id);
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::NoContent()
        .cookie(expired_refresh_cookie())
        .finish())
}

/// The signed-in user: organisation, roles and permissions (the UI hides what is not allowed).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The current user", body = MeResponse),
        NotLoggedIn,
        (status = 403, description = "API clients have no user", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/auth/me")]
pub async fn me(state: web::Data<AppState>, actor: Actor) -> Result<web::Json<MeResponse>, ApiError> {
    actor.user_id()?;
    let organisation_id = actor.organisation_id;
    let user = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move { me_of(conn, &actor).await }.boxed()
    })
    .await?;
    Ok(web::Json(user))
}

/// The signed-in user as the UI sees it.
pub async fn me_of(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
) -> Result<MeResponse, ApiError> {
    let user = store::user(conn, actor.user_id()?.into()).await?;
    let organisation = store::organisation(conn, actor.organisation_id).await?;
    Ok(MeResponse {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        language: user.language,
        organisation: OrganisationSummary {
            id: organisation.id,
            name: organisation.name,
        },
        roles: actor.roles.clone(),
        permissions: actor.permissions.clone(),
        unit_ids: actor.unit_ids.iter().copied().map(Into::into).collect(),
        mfa_enabled: user.mfa_enabled_at.is_some(),
        mfa_required: organisation.require_mfa,
    })
}

/// Checks the signed-in user's password again before a change that takes over or weakens
/// the account, with the login's throttle: whoever holds a session cannot guess its
/// password. A wrong one answers 422 on `current_password`; `failure_action` is logged.
async fn reauthenticate(
    state: &AppState,
    meta: &RequestMeta,
    organisation_id: Uuid,
    user_id: Uuid,
    current_password: SecretString,
    failure_action: &'static str,
) -> Result<(UserRow, OrganisationRow), ApiError> {
    let address = address_key(meta);
    let (user, organisation, locked_for) = {
        let address = address.clone();
        db::transaction(&state.pool, Some(organisation_id), move |conn| {
            async move {
                let user = store::user(conn, user_id.into()).await?;
                let organisation = store::organisation(conn, organisation_id).await?;
                let account = store::throttle_state(conn, &account_key(&user.email)).await?;
                let address = store::throttle_state(conn, &address).await?;
                Ok((
                    user,
                    organisation,
                    account.locked_for_secs.max(address.locked_for_secs),
                ))
            }
            .boxed()
        })
        .await?
    };
    if let Some(secs) = locked_for {
        return Err(ApiError::TooManyRequests {
            retry_after_secs: secs.unsigned_abs(),
        });
    }
    if !password::verify(current_password, user.password_hash.clone()).await? {
        let throttle = Throttle {
            account: account_key(&user.email),
            address: Some(address),
            threshold: organisation.lockout_threshold,
            lock_secs: organisation.lockout_duration_secs.into(),
        };
        let audit_meta = meta.clone();
        let already = db::transaction(&state.pool, Some(organisation_id), move |conn| {
            async move {
                count_failure(
                    conn,
                    &audit_meta,
                    &throttle,
                    Some(organisation_id),
                    Some(user_id),
                    failure_action,
                )
                .await
            }
            .boxed()
        })
        .await?;
        if let Some(secs) = already {
            return Err(ApiError::TooManyRequests {
                retry_after_secs: secs.unsigned_abs(),
            });
        }
        return Err(ApiError::invalid_field(
            "current_password",
            "wrong_password",
            "The current password is wrong.",
        ));
    }
    Ok((user, organisation))
}

/// Change one's own password; every other session of the user ends.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        NotLoggedIn,
        (status = 422, description = "Wrong current password, or a weak new one", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords (the login's lockout); see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let Principal::User {
        id: user_id,
        session_id,
    } = actor.principal
    else {
        return Err(ApiError::Forbidden);
    };
    let organisation_id = actor.organisation_id;
    let body = body.into_inner();
    let (user, _) = reauthenticate(
        &state,
        &meta,
        organisation_id,
        user_id,
        body.current_password,
        "password_change_failed",
    )
    .await?;
    password::check_strength(
        "new_password",
        body.new_password.expose_secret(),
        &[&user.email, &user.display_name],
    )?;
    let hash = password::hash(body.new_password).await?;
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            store::set_password(conn, user_id, &hash).await?;
            let ended = store::revoke_sessions(
                conn,
                SessionFilter::AllOfUserExcept(user_id, session_id),
                "password_changed",
            )
            .await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Auth,
                "password_changed",
                AuditActor::User(user_id),
            )
            .about_user(user_id)
            .with(serde_json::json!({ "sessions_ended": ended }));
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Set a password with a one-time link from an invitation or an admin's reset. The link
/// works once and expires; every session of the user ends.
#[utoipa::path(
    tag = "auth",
    request_body = SetPasswordRequest,
    responses(
        (status = 204, description = "Password set; log in with it"),
        (status = 410, description = "The link is unknown, used or expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Weak password", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/password/set")]
pub async fn set_password(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<SetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let token = OpaqueToken::parse(&body.token).ok_or(ApiError::LinkExpired)?;
    let organisation_id = token.organisation_id;
    let hash = token.hash();
    let lookup = hash.clone();
    let user = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            match store::password_token_user(conn, &lookup).await? {
                Some(user_id) => Ok(Some(store::user(conn, user_id.into()).await?)),
                None => Ok(None),
            }
        }
        .boxed()
    })
    .await?
    .filter(|user| user.id == token.id && user.deactivated_at.is_none())
    .ok_or(ApiError::LinkExpired)?;
    password::check_strength(
        "new_password",
        body.new_password.expose_secret(),
        &[&user.email, &user.display_name],
    )?;
    let password_hash = password::hash(body.new_password).await?;
    let user_id = user.id;
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            if !store::spend_password_token(conn, &hash).await? {
                return Err(ApiError::LinkExpired);
            }
            store::set_password(conn, user_id, &password_hash).await?;
            store::revoke_sessions(conn, SessionFilter::AllOfUser(user_id), "password_set").await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Auth,
                "password_set",
                AuditActor::User(user_id),
            )
            .about_user(user_id);
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Turn off one's own two-factor authentication (the password asked again). Refused while
/// the organisation requires it.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = DisableMfaRequest,
    responses(
        (status = 204, description = "Turned off; the recovery codes no longer work"),
        NotLoggedIn,
        (status = 409, description = "Not on, or the organisation requires it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords (the login's lockout); see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/mfa/disable")]
pub async fn mfa_disable(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<DisableMfaRequest>,
) -> Result<HttpResponse, ApiError> {
    let user_id = actor.user_id()?;
    let organisation_id = actor.organisation_id;
    let (user, organisation) = reauthenticate(
        &state,
        &meta,
        organisation_id,
        user_id,
        body.into_inner().current_password,
        "mfa_disable_failed",
    )
    .await?;
    if organisation.require_mfa {
        return Err(ApiError::Conflict(
            "Your organisation requires two-factor authentication.".to_owned(),
        ));
    }
    if user.mfa_enabled_at.is_none() {
        return Err(ApiError::Conflict(
            "Two-factor authentication is not on.".to_owned(),
        ));
    }
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            store::disable_mfa(conn, user_id).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Auth,
                "mfa_disabled",
                AuditActor::User(user_id),
            )
            .about_user(user_id);
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user's live sessions (browsers where they are logged in), newest first.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Live sessions", body = Vec<SessionResponse>),
        NotLoggedIn,
        (status = 403, description = "API clients have no sessions", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/auth/sessions")]
pub async fn list_sessions(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<web::Json<Vec<SessionResponse>>, ApiError> {
    let Principal::User {
        id: user_id,
        session_id,
    } = actor.principal
    else {
        return Err(ApiError::Forbidden);
    };
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move { Ok(store::live_sessions_of(conn, user_id).await?) }.boxed()
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|row| SessionResponse {
                current: row.id == session_id,
                id: row.id,
                created_at: row.created_at,
                last_refreshed_at: row.last_refreshed_at,
                expires_at: row.expires_at,
                source_address: row.source_address,
                user_agent: row.user_agent,
            })
            .collect(),
    ))
}

/// End one of one's own sessions (a browser left logged in elsewhere); its tokens stop
/// working at once. Ending the current session logs out.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Session id")),
    responses(
        (status = 204, description = "Ended"),
        NotLoggedIn,
        (status = 403, description = "API clients have no sessions", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such live session of this user", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/sessions/{id}/end")]
pub async fn end_session(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let Principal::User {
        id: user_id,
        session_id,
    } = actor.principal
    else {
        return Err(ApiError::Forbidden);
    };
    let target = id.into_inner();
    let organisation_id = actor.organisation_id;
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            // Only the user's own live sessions: another's answers 404 like a missing one.
            let own = store::live_sessions_of(conn, user_id).await?;
            if !own.iter().any(|session| session.id == target) {
                return Err(ApiError::NotFound);
            }
            store::revoke_sessions(conn, SessionFilter::One(target), "ended_by_user").await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Auth,
                "session_ended",
                AuditActor::User(user_id),
            )
            .about_user(user_id)
            .about(target);
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    let mut response = HttpResponse::NoContent();
    if target == session_id {
        response.cookie(expired_refresh_cookie());
    }
    Ok(response.finish())
}

/// Roles a user holds, parsed.
pub fn roles_of(user: &UserRow) -> Vec<Role> {
    user.roles.iter().filter_map(|name| Role::parse(name)).collect()
}

fn oauth_error(status: actix_web::http::StatusCode, error: &'static str, description: &str) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if error == "invalid_client" {
        response.insert_header((actix_web::http::header::WWW_AUTHENTICATE, "Basic realm=\"polku\""));
    }
    response.json(OAuthError {
        error,
        error_description: description.to_owned(),
    })
}

/// OAuth2 client-credentials grant for integrators' API clients (RFC 6749 §4.4).
#[utoipa::path(
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = OAuthTokenResponse),
        (status = 400, description = "invalid_request, unsupported_grant_type or invalid_scope", body = OAuthError),
        (status = 401, description = "invalid_client", body = OAuthError),
        (status = 429, description = "Too many failures from this address", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/oauth/token")]
pub async fn oauth_token(
    state: web::Data<AppState>,
    meta: RequestMeta,
    basic: BasicCredentials,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    use actix_web::http::StatusCode;
    let Ok(form) = serde_urlencoded::from_bytes::<TokenRequest>(&body) else {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The body must be a form.",
        ));
    };
    if form.grant_type.as_deref() != Some("client_credentials") {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Use grant_type=client_credentials.",
        ));
    }
    let credentials = match (basic.0, form.client_id, form.client_secret) {
        (Some(basic), None, None) => basic,
        (None, Some(id), Some(secret)) => (id, secret),
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Send the credentials one way only.",
            ));
        }
        _ => {
            return Ok(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Client credentials are required.",
            ));
        }
    };
    let address = address_key(&meta);
    let (client_id, secret) = credentials;
    let (entry, locked_for) = {
        let (client_id, address) = (client_id.clone(), address.clone());
        db::transaction(&state.pool, None, move |conn| {
            async move {
                let locked = store::throttle_state(conn, &address).await?.locked_for_secs;
                Ok((store::find_login(conn, &client_id).await?, locked))
            }
            .boxed()
        })
        .await?
    };
    if let Some(retry_after_secs) = locked_for {
        return Err(ApiError::TooManyRequests {
            retry_after_secs: retry_after_secs.unsigned_abs(),
        });
    }
    let client = entry.and_then(|entry| entry.api_client_id.map(|id| (entry.organisation_id, id)));
    let presented = crate::tokens::hex_hash(&secret);
    let found = match client {
        Some((organisation_id, id)) => {
            db::transaction(&state.pool, Some(organisation_id), move |conn| {
                async move {
                    let credentials = store::api_client_credentials(conn, id).await?;
                    Ok(credentials.map(|(hash, scopes, issued)| (organisation_id, id, hash, scopes, issued)))
                }
                .boxed()
            })
            .await?
        }
        None => None,
    };
    let Some((organisation_id, id, _, granted, secret_issued)) =
        found.filter(|(_, _, hash, _, _)| crate::tokens::same_hash(hash, &presented))
    else {
        let meta = meta.clone();
        db::transaction(&state.pool, None, move |conn| {
            async move {
                store::record_failure(
                    conn,
                    &address,
                    ADDRESS_THRESHOLD,
                    chrono::Duration::seconds(ADDRESS_LOCK_SECS),
                )
                .await?;
                let event =
                    AuditEvent::new(None, Category::Auth, "api_client_auth_failed", AuditActor::System);
                audit::record(conn, &meta, event).await?;
                Ok(())
            }
            .boxed()
        })
        .await?;
        return Ok(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Unknown client or wrong secret.",
        ));
    };
    let scopes: Vec<String> = match form
        .scope
        .as_deref()
        .map(str::trim)
        .filter(|scope| !scope.is_empty())
    {
        None => granted.clone(),
        Some(requested) => {
            let requested: Vec<String> = requested
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if let Some(unknown) = requested.iter().find(|scope| !granted.contains(scope)) {
                return Ok(oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    &format!("The client is not granted the scope {unknown}."),
                ));
            }
            requested
        }
    };
    let scope = scopes.join(" ");
    let (meta, scope_for_audit) = (meta.clone(), scopes.clone());
    let organisation = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            // A lock that landed meanwhile stays; this client proved its secret.
            store::clear_throttle(conn, &address).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Auth,
                "api_client_token_issued",
                AuditActor::ApiClient(id),
            )
            .about(id)
            .with(serde_json::json!({ "scopes": scope_for_audit }));
            audit::record(conn, &meta, event).await?;
            Ok(store::organisation(conn, organisation_id).await?)
        }
        .boxed()
    })
    .await?;
    let ttl = i64::from(organisation.access_token_ttl_secs);
    let mut claims = TokenKeys::claims(
        Utc::now(),
        ttl,
        API_AUDIENCE,
        Subject::ApiClient,
        id,
        organisation_id,
        None,
    );
    claims.scope = Some(scope.clone());
    claims.srt = Some(secret_issued.timestamp_micros());
    let access_token = state.keys.sign(&claims).map_err(internal)?;
    Ok(HttpResponse::Ok()
        .insert_header(("pragma", "no-cache"))
        .json(OAuthTokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: ttl,
            scope,
        }))
}

/// The user and organisation of a valid second-factor ticket.
fn mfa_ticket(state: &AppState, token: &str) -> Result<(Uuid, Uuid), ApiError> {
    let claims = state
        .keys
        .verify(token, MFA_AUDIENCE)
        .ok_or(ApiError::Unauthenticated)?;
    if claims.kind != Subject::User {
        return Err(ApiError::Unauthenticated);
    }
    Ok((claims.sub, claims.org))
}

enum SecondFactor {
    Accepted(Box<(UserRow, OrganisationRow, String)>),
    Rejected,
    Locked(i64),
}

/// Second step of a login: a TOTP code or an unused recovery code. Failures count
/// towards the account's lockout like wrong passwords.
#[utoipa::path(
    tag = "auth",
    request_body = MfaLoginRequest,
    responses(
        (status = 200, description = "Logged in", body = LoginResponse),
        (status = 401, description = "Invalid ticket or code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failures; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/login/mfa")]
pub async fn login_mfa(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<MfaLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (user_id, organisation_id) = mfa_ticket(&state, &body.mfa_token)?;
    let (cipher, audit_meta) = (state.cipher.clone(), meta.clone());
    let outcome = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let user = store::user(conn, user_id.into()).await?;
            let organisation = store::organisation(conn, organisation_id).await?;
            let sealed = user.mfa_secret.clone().filter(|_| user.mfa_enabled_at.is_some());
            let (Some(sealed), None) = (sealed, user.deactivated_at) else {
                return Err(ApiError::Unauthenticated);
            };
            let account = account_key(&user.email);
            if let Some(secs) = store::throttle_state(conn, &account).await?.locked_for_secs {
                return Ok(SecondFactor::Locked(secs));
            }
            let meta = audit_meta;
            let event = |action| {
                AuditEvent::new(
                    Some(organisation_id),
                    Category::Auth,
                    action,
                    AuditActor::User(user_id),
                )
                .about_user(user_id)
            };
            let step = mfa::verify_code(&cipher, &sealed, &user, &body.code, user.mfa_last_step)?;
            let fresh = match step {
                Some(step) => mfa::accept_step(conn, user_id, step, false).await?,
                None => false,
            };
            if !fresh {
                if mfa::use_recovery_code(conn, user_id, &body.code).await? {
                    audit::record(conn, &meta, event("mfa_recovery_code_used")).await?;
                } else {
                    let throttle = Throttle {
                        account: account.clone(),
                        address: None,
                        threshold: organisation.lockout_threshold,
                        lock_secs: organisation.lockout_duration_secs.into(),
                    };
                    let already = count_failure(
                        conn,
                        &meta,
                        &throttle,
                        Some(organisation_id),
                        Some(user_id),
                        "mfa_failed",
                    )
                    .await?;
                    return Ok(already.map_or(SecondFactor::Rejected, SecondFactor::Locked));
                }
            }
            Ok(SecondFactor::Accepted(Box::new((user, organisation, account))))
        }
        .boxed()
    })
    .await?;
    match outcome {
        SecondFactor::Accepted(accepted) => {
            let (user, organisation, account) = *accepted;
            start_session(&state, &meta, Some(account), &user, &organisation).await
        }
        SecondFactor::Rejected => Err(ApiError::InvalidCredentials),
        SecondFactor::Locked(secs) => Err(ApiError::TooManyRequests {
            retry_after_secs: secs.unsigned_abs(),
        }),
    }
}

async fn begin_enrolment(
    state: &AppState,
    organisation_id: Uuid,
    user_id: Uuid,
) -> Result<MfaSetupResponse, ApiError> {
    let cipher = state.cipher.clone();
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let user = store::user(conn, user_id.into()).await?;
            if user.mfa_enabled_at.is_some() {
                return Err(ApiError::Conflict(
                    "Two-factor authentication is already on; an admin can reset it.".to_owned(),
                ));
            }
            let (sealed, secret, otpauth_uri) = mfa::new_secret(&cipher, &user)?;
            mfa::store_pending_secret(conn, user_id, &sealed).await?;
            Ok(MfaSetupResponse { secret, otpauth_uri })
        }
        .boxed()
    })
    .await
}

async fn confirm_enrolment(
    state: &AppState,
    meta: &RequestMeta,
    organisation_id: Uuid,
    user_id: Uuid,
    code: String,
) -> Result<(Vec<String>, UserRow, OrganisationRow), ApiError> {
    let (cipher, meta) = (state.cipher.clone(), meta.clone());
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let user = store::user(conn, user_id.into()).await?;
            if user.mfa_enabled_at.is_some() {
                return Err(ApiError::Conflict(
                    "Two-factor authentication is already on.".to_owned(),
                ));
            }
            let sealed = user
                .mfa_secret
                .clone()
                .ok_or_else(|| ApiError::Conflict("Start the setup first.".to_owned()))?;
            let step = mfa::verify_code(&cipher, &sealed, &user, &code, None)?.ok_or_else(|| {
                ApiError::invalid_field("code", "invalid_code", "The code is wrong or expired.")
            })?;
            if !mfa::accept_step(conn, user_id, step, true).await? {
                return Err(ApiError::invalid_field(
                    "code",
                    "invalid_code",
                    "The code is wrong or expired.",
                ));
            }
            let codes = mfa::new_recovery_codes(conn, organisation_id, user_id).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Auth,
                "mfa_enabled",
                AuditActor::User(user_id),
            )
            .about_user(user_id);
            audit::record(conn, &meta, event).await?;
            let organisation = store::organisation(conn, organisation_id).await?;
            Ok((codes, store::user(conn, user_id.into()).await?, organisation))
        }
        .boxed()
    })
    .await
}

/// Start enrolling an authenticator app (two-factor authentication).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Secret for the app; confirm with a code", body = MfaSetupResponse),
        NotLoggedIn,
        (status = 409, description = "Already enabled", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/mfa/setup")]
pub async fn mfa_setup(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<web::Json<MfaSetupResponse>, ApiError> {
    let user_id = actor.user_id()?;
    Ok(web::Json(
        begin_enrolment(&state, actor.organisation_id, user_id).await?,
    ))
}

/// Confirm the authenticator app with a code; returns one-time recovery codes.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = MfaConfirmRequest,
    responses(
        (status = 200, description = "Enabled", body = MfaEnabledResponse),
        NotLoggedIn,
        (status = 409, description = "Already enabled, or no setup started", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong code", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/mfa/confirm")]
pub async fn mfa_confirm(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<MfaConfirmRequest>,
) -> Result<web::Json<MfaEnabledResponse>, ApiError> {
    let user_id = actor.user_id()?;
    let (recovery_codes, _, _) = confirm_enrolment(
        &state,
        &meta,
        actor.organisation_id,
        user_id,
        body.into_inner().code,
    )
    .await?;
    Ok(web::Json(MfaEnabledResponse {
        recovery_codes,
        session: None,
    }))
}

/// During a login that requires two-factor authentication: start enrolling an app.
#[utoipa::path(
    tag = "auth",
    request_body = MfaTicketRequest,
    responses(
        (status = 200, description = "Secret for the app", body = MfaSetupResponse),
        (status = 401, description = "Invalid ticket", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already enabled", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/login/mfa-setup")]
pub async fn login_mfa_setup(
    state: web::Data<AppState>,
    body: web::Json<MfaTicketRequest>,
) -> Result<web::Json<MfaSetupResponse>, ApiError> {
    let (user_id, organisation_id) = mfa_ticket(&state, &body.mfa_token)?;
    Ok(web::Json(
        begin_enrolment(&state, organisation_id, user_id).await?,
    ))
}

/// During a login that requires two-factor authentication: confirm the app and log in.
#[utoipa::path(
    tag = "auth",
    request_body = MfaTicketConfirmRequest,
    responses(
        (status = 200, description = "Enabled and logged in; the cookie holds the refresh token", body = MfaEnabledResponse),
        (status = 401, description = "Invalid ticket", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already enabled, or no setup started", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong code", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/auth/login/mfa-confirm")]
pub async fn login_mfa_confirm(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<MfaTicketConfirmRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (user_id, organisation_id) = mfa_ticket(&state, &body.mfa_token)?;
    let (recovery_codes, user, organisation) =
        confirm_enrolment(&state, &meta, organisation_id, user_id, body.code).await?;
    if user.deactivated_at.is_some() {
        return Err(ApiError::Unauthenticated);
    }
    let account = account_key(&user.email);
    let (tokens, cookie) = open_session(&state, &meta, Some(account), &user, &organisation).await?;
    Ok(HttpResponse::Ok().cookie(cookie).json(MfaEnabledResponse {
        recovery_codes,
        session: Some(tokens),
    }))
}
