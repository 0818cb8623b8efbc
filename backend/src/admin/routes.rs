//! Administration: staff accounts, units and organisation settings (admin role).

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::Duration;
use futures_util::FutureExt;
use uuid::Uuid;

use super::api::{
    ApiClientResponse, ApiClientSecretResponse, CreateApiClientRequest, CreateUserRequest,
    CreatedUserResponse, LinkDelivery, ListUnitsParams, ListUsersParams, OrganisationSettings,
    PasswordLinkResponse, UnitRequest, UnitResponse, UpdateMeRequest, UpdateOrganisationRequest,
    UpdateUserRequest, UserResponse, UserStatus,
};
use super::store::{self, ApiClientRow, NewUser, OrganisationChanges, UnitRow, UserFilter};
use crate::audit::{self, AuditActor, AuditEvent, Category};
use crate::auth::actor::Actor;
use crate::auth::api::MeResponse;
use crate::auth::store::{self as auth_store, OrganisationRow, SessionFilter, UserRow};
use crate::config::Settings;
use crate::db;
use crate::email::{Email, Mailer};
use crate::error::responses::{InvalidFields, NoSuchUser, NotAdmin, NotAllowed, NotLoggedIn, StaleIfMatch};
use crate::error::{ApiError, FieldError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::ids::{UnitId, UserId};
use crate::pagination::{Page, PageParams};
use crate::permissions::{Permission, Role, Scope};
use crate::state::AppState;
use crate::tokens::{OpaqueToken, hex_hash, random_secret};

/// How long an invitation or reset link works.
pub const PASSWORD_LINK_DAYS: i64 = 7;

fn user_response(user: UserRow, unit_ids: Vec<Uuid>) -> UserResponse {
    UserResponse {
        id: user.id,
        roles: user.roles.iter().filter_map(|name| Role::parse(name)).collect(),
        status: if user.deactivated_at.is_some() {
            UserStatus::Deactivated
        } else {
            UserStatus::Active
        },
        has_password: user.password_hash.is_some(),
        mfa_enabled: user.mfa_enabled_at.is_some(),
        email: user.email,
        display_name: user.display_name,
        language: user.language,
        unit_ids,
        created_at: user.created_at,
        deactivated_at: user.deactivated_at,
        version: user.version,
    }
}

fn unit_response(unit: UnitRow) -> UnitResponse {
    UnitResponse {
        id: unit.id,
        name: unit.name,
        closed_at: unit.closed_at,
        version: unit.version,
    }
}

fn role_names(roles: &[Role]) -> Vec<String> {
    let mut names: Vec<String> = roles.iter().map(|role| role.as_str().to_owned()).collect();
    names.sort();
    names.dedup();
    names
}

/// A display or unit name: trimmed, 1–200 characters.
fn name(field: &str, value: &str) -> Result<String, ApiError> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed.chars().any(char::is_control) {
        return Err(ApiError::invalid_field(
            field,
            "invalid_length",
            "Use 1–200 printable characters.",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Link for setting a password: the token travels in the fragment, never to a server log.
pub fn password_link(settings: &Settings, token: &str) -> String {
    let base = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.listen));
    format!("{}/set-password#token={token}", base.trim_end_matches('/'))
}

/// Either permission opens an endpoint that the admin and, for decisions that reach
/// client content, a manager share; the handler then requires what each change needs.
fn require_either(actor: &Actor, first: Permission, second: Permission) -> Result<(), ApiError> {
    if actor.can(second) {
        Ok(())
    } else {
        actor.require(first)
    }
}

/// Who may change roles (DESIGN §3, insiders): nobody their own; roles that reach client
/// content only someone with [`Permission::ClientAccessGrant`] (a manager) grants, though
/// the admin may take them away; every other role is the admin's.
fn check_role_change(
    actor: &Actor,
    user: UserId,
    current: &[String],
    next: &[String],
) -> Result<(), ApiError> {
    let changed: Vec<(&String, bool)> = next
        .iter()
        .filter(|role| !current.contains(role))
        .map(|role| (role, true))
        .chain(
            current
                .iter()
                .filter(|role| !next.contains(role))
                .map(|role| (role, false)),
        )
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    if actor.user_id().ok() == Some(user.into()) {
        return Err(ApiError::Forbidden);
    }
    for (name, added) in changed {
        match Role::parse(name) {
            Some(role) if role.reaches_client_content() && added => {
                actor.require(Permission::ClientAccessGrant)?;
            }
            Some(role) if role.reaches_client_content() => {
                require_either(actor, Permission::UsersManage, Permission::ClientAccessGrant)?;
            }
            _ => actor.require(Permission::UsersManage)?,
        }
    }
    Ok(())
}

/// Subject and text of the e-mail that carries a link, in the user's language.
fn link_message(language: &str, url: &str, invitation: bool) -> (&'static str, String) {
    let days = PASSWORD_LINK_DAYS;
    match (language, invitation) {
        ("sv", true) => (
            "Polku: ditt konto",
            format!(
                "Ett konto i Polku har skapats för dig. Välj ditt lösenord (länken gäller i {days} dagar och kan användas en gång):\n\n{url}\n"
            ),
        ),
        ("sv", false) => (
            "Polku: nytt lösenord",
            format!(
                "Välj ett nytt lösenord för Polku (länken gäller i {days} dagar och kan användas en gång):\n\n{url}\n\nOm du inte bad om det, kontakta din administratör.\n"
            ),
        ),
        ("en", true) => (
            "Polku: your account",
            format!(
                "An account in Polku has been created for you. Choose your password (the link works once, for {days} days):\n\n{url}\n"
            ),
        ),
        ("en", false) => (
            "Polku: new password",
            format!(
                "Choose a new password for Polku (the link works once, for {days} days):\n\n{url}\n\nIf you did not ask for this, tell your administrator.\n"
            ),
        ),
        (_, true) => (
            "Polku: tunnuksesi",
            format!(
                "Sinulle on luotu tunnus Polkuun. Valitse salasanasi (linkki toimii kerran, {days} päivää):\n\n{url}\n"
            ),
        ),
        (_, false) => (
            "Polku: uusi salasana",
            format!(
                "Valitse uusi salasana Polkuun (linkki toimii kerran, {days} päivää):\n\n{url}\n\nJos et pyytänyt tätä, kerro pääkäyttäjälle.\n"
            ),
        ),
    }
}

/// Delivers a new password link to its user: to their e-mail when the instance has
/// e-mail, otherwise into this one response. Called inside the transaction that stores
/// the link, so a link that could not be sent is not stored either; the event says how it
/// was delivered.
async fn deliver_link(
    settings: &Settings,
    user: &UserRow,
    token: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
    invitation: bool,
) -> Result<PasswordLinkResponse, ApiError> {
    let url = password_link(settings, token);
    let Some(mailer) = Mailer::of(settings) else {
        return Ok(PasswordLinkResponse {
            delivery: LinkDelivery::Shown,
            url: Some(url),
            expires_at,
        });
    };
    let to = Email::parse(&user.email)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a login that is not an e-mail address")))?;
    let (subject, body) = link_message(&user.language, &url, invitation);
    mailer.send(&to, subject, &body).await?;
    Ok(PasswordLinkResponse {
        delivery: LinkDelivery::Email,
        url: None,
        expires_at,
    })
}

fn delivery_name(delivery: LinkDelivery) -> &'static str {
    match delivery {
        LinkDelivery::Email => "email",
        LinkDelivery::Shown => "shown",
    }
}

async fn check_units(conn: &mut diesel_async::AsyncPgConnection, unit_ids: &[Uuid]) -> Result<(), ApiError> {
    let found = store::open_unit_ids(conn, unit_ids).await?;
    let missing: Vec<FieldError> = unit_ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !found.contains(id))
        .map(|(index, _)| FieldError::new(format!("unit_ids.{index}"), "unknown_unit", "No such open unit."))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(missing))
    }
}

/// The one answer for an email that cannot become a login name, whoever has it.
const LOGIN_UNAVAILABLE: &str = "This address cannot be used as a login name. Use another address.";

/// Creates a user and issues the first password link, in the caller's transaction.
pub async fn create_user_in(
    conn: &mut diesel_async::AsyncPgConnection,
    meta: &RequestMeta,
    actor: AuditActor,
    user: NewUser,
) -> Result<(UserRow, Option<(OpaqueToken, chrono::DateTime<chrono::Utc>)>), ApiError> {
    check_units(conn, &user.unit_ids).await?;
    // Login names are unique across organisations. The request is judged as if the name
    // were free; only then does a taken name fail it, with one answer that says neither
    // whose the name is nor in which organisation (README, "Races and throttles").
    if store::login_taken(conn, &user.email).await? {
        return Err(ApiError::invalid_field(
            "email",
            "login_unavailable",
            LOGIN_UNAVAILABLE,
        ));
    }
    store::insert_user(conn, &user).await?;
    let link = if user.password_hash.is_none() {
        let token = OpaqueToken::generate(user.organisation_id, user.id)
            .map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
        let expires_at = auth_store::create_password_token(
            conn,
            user.organisation_id,
            user.id,
            &token.hash(),
            Duration::days(PASSWORD_LINK_DAYS),
        )
        .await?;
        Some((token, expires_at))
    } else {
        None
    };
    let event = AuditEvent::new(Some(user.organisation_id), Category::Admin, "user_created", actor)
        .about_user(user.id)
        .with(serde_json::json!({ "roles": user.roles, "unit_ids": user.unit_ids }));
    audit::record(conn, meta, event).await?;
    Ok((auth_store::user(conn, user.id.into()).await?, link))
}

/// Create a personal account; the response holds a one-time link for setting the password.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created", body = CreatedUserResponse),
        NotLoggedIn,
        NotAdmin,
        InvalidFields,
    ),
)]
#[post("/admin/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::UsersManage)?;
    let body = body.into_inner();
    if body.roles.iter().any(|role| role.reaches_client_content()) {
        actor.require(Permission::ClientAccessGrant)?;
    }
    let email = Email::parse(&body.email)
        .ok_or_else(|| ApiError::invalid_field("email", "invalid_email", "Not an email address."))?;
    let display_name = name("display_name", &body.display_name)?;
    let user = NewUser {
        id: Uuid::now_v7(),
        organisation_id: actor.organisation_id,
        email: email.as_str().to_owned(),
        display_name,
        language: body
            .language
            .map_or("fi", |language| language.as_str())
            .to_owned(),
        roles: role_names(&body.roles),
        unit_ids: body.unit_ids,
        password_hash: None,
    };
    let audit_actor = actor.audit();
    let unit_ids = user.unit_ids.clone();
    let settings = state.settings.clone();
    let organisation_id = actor.organisation_id;
    let (row, invitation) = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (row, link) = create_user_in(conn, &meta, audit_actor, user).await?;
            let (token, expires_at) =
                link.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no invitation issued")))?;
            let invitation = deliver_link(&settings, &row, &token.token, expires_at, true).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "invitation_issued",
                audit_actor,
            )
            .about_user(row.id)
            .with(serde_json::json!({ "delivery": delivery_name(invitation.delivery) }));
            audit::record(conn, &meta, event).await?;
            Ok((row, invitation))
        }
        .boxed()
    })
    .await?;
    let mut unit_ids = unit_ids;
    unit_ids.sort();
    unit_ids.dedup();
    let response = CreatedUserResponse {
        invitation,
        user: user_response(row, unit_ids),
    };
    Ok(HttpResponse::Created()
        .insert_header(etag(response.user.version))
        .json(response))
}

/// List the organisation's staff accounts.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(ListUsersParams),
    responses(
        (status = 200, description = "A page of users, ordered by id", body = Page<UserResponse>),
        NotLoggedIn,
        NotAdmin,
    ),
)]
#[get("/admin/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    actor: Actor,
    params: web::Query<ListUsersParams>,
) -> Result<web::Json<Page<UserResponse>>, ApiError> {
    require_either(&actor, Permission::UsersManage, Permission::ClientAccessGrant)?;
    let params = params.into_inner();
    let limit = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .limit()?;
    let filter = UserFilter {
        active: params.status.map(|status| status == UserStatus::Active),
        role: params.role.map(|role| role.as_str().to_owned()),
        unit_id: params.unit_id,
        q: params
            .q
            .filter(|q| !q.trim().is_empty())
            .map(|q| q.trim().to_owned()),
    };
    let cursor = params.cursor;
    let (rows, units) = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let rows = store::list_users(conn, &filter, cursor, limit).await?;
            let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
            Ok((rows, store::units_of_users(conn, &ids).await?))
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |row| row.id,
        |row| {
            let unit_ids = units
                .iter()
                .filter(|(user, _)| *user == row.id)
                .map(|(_, unit)| *unit)
                .collect();
            user_response(row, unit_ids)
        },
    )))
}

async fn load_user(state: &AppState, organisation_id: Uuid, id: Uuid) -> Result<UserResponse, ApiError> {
    let (row, units) = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            Ok((
                auth_store::user(conn, id.into()).await?,
                auth_store::user_unit_ids(conn, id).await?,
            ))
        }
        .boxed()
    })
    .await?;
    Ok(user_response(row, units))
}

/// One staff account.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserResponse, headers(("ETag" = String))),
        NotLoggedIn,
        NotAdmin,
        (status = 404, description = "No such user in this organisation", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/admin/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    require_either(&actor, Permission::UsersManage, Permission::ClientAccessGrant)?;
    let user = load_user(&state, actor.organisation_id, id.into_inner().into()).await?;
    Ok(HttpResponse::Ok().insert_header(etag(user.version)).json(user))
}

/// Change an account's name, roles, units or language. Send `If-Match` with the ETag to
/// refuse a stale write (412).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id"), ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "Updated", body = UserResponse, headers(("ETag" = String))),
        NotLoggedIn,
        NotAdmin,
        NoSuchUser,
        (status = 409, description = "Deactivated, or it would remove the last admin", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/admin/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<UserId>,
    if_match: IfMatch,
    body: web::Json<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    require_either(&actor, Permission::UsersManage, Permission::ClientAccessGrant)?;
    let id = id.into_inner();
    let body = body.into_inner();
    if body.display_name.is_some() || body.unit_ids.is_some() || body.language.is_some() {
        actor.require(Permission::UsersManage)?;
    }
    let display_name = body
        .display_name
        .as_deref()
        .map(|value| name("display_name", value))
        .transpose()?;
    let roles = body.roles.as_deref().map(role_names);
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let current = auth_store::user(conn, id).await?;
            if_match.check(current.version)?;
            if current.deactivated_at.is_some() {
                return Err(ApiError::Conflict("The account is deactivated.".to_owned()));
            }
            if let Some(roles) = &roles
                && current.roles.iter().any(|role| role == "admin")
                && !roles.iter().any(|role| role == "admin")
                && store::active_admin_count(conn).await? <= 1
            {
                return Err(ApiError::Conflict(
                    "The organisation must keep at least one admin.".to_owned(),
                ));
            }
            if let Some(roles) = &roles {
                check_role_change(&actor, id, &current.roles, roles)?;
            }
            if let Some(unit_ids) = &body.unit_ids {
                check_units(conn, unit_ids).await?;
                store::replace_units(conn, organisation_id, id.into(), unit_ids).await?;
            }
            store::update_user(
                conn,
                id,
                display_name.as_deref(),
                roles.as_deref(),
                body.language.map(|l| l.as_str()),
            )
            .await?;
            let mut fields = Vec::new();
            for (field, changed) in [
                ("display_name", display_name.is_some()),
                ("roles", roles.is_some()),
                ("unit_ids", body.unit_ids.is_some()),
                ("language", body.language.is_some()),
            ] {
                if changed {
                    fields.push(field);
                }
            }
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "user_updated",
                audit_actor,
            )
            .about_user(id.into())
            .with(serde_json::json!({ "fields": fields, "roles": roles }));
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    let user = load_user(&state, organisation_id, id.into()).await?;
    Ok(HttpResponse::Ok().insert_header(etag(user.version)).json(user))
}

/// End of duties: the account can never log in again, every session and token stops at
/// once, and the login name is released. Past actions stay attributable.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "Deactivated", body = UserResponse),
        NotLoggedIn,
        NotAdmin,
        NoSuchUser,
        (status = 409, description = "Already deactivated, or the last admin", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/admin/users/{id}/deactivate")]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::UsersManage)?;
    let id = id.into_inner();
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let by = actor.user_id().ok();
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let current = auth_store::user(conn, id).await?;
            if current.deactivated_at.is_some() {
                return Err(ApiError::Conflict(
                    "The account is already deactivated.".to_owned(),
                ));
            }
            if current.roles.iter().any(|role| role == "admin") && store::active_admin_count(conn).await? <= 1
            {
                return Err(ApiError::Conflict(
                    "The organisation must keep at least one admin.".to_owned(),
                ));
            }
            store::deactivate_user(conn, id, by).await?;
            let ended =
                auth_store::revoke_sessions(conn, SessionFilter::AllOfUser(id.into()), "deactivated").await?;
            auth_store::spend_all_password_tokens(conn, id.into()).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "user_deactivated",
                audit_actor,
            )
            .about_user(id.into())
            .with(serde_json::json!({ "sessions_ended": ended }));
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    let user = load_user(&state, organisation_id, id.into()).await?;
    Ok(HttpResponse::Ok().insert_header(etag(user.version)).json(user))
}

/// End every session of a user without deactivating the account.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Sessions ended"),
        NotLoggedIn,
        NotAdmin,
        NoSuchUser,
    ),
)]
#[post("/admin/users/{id}/end-sessions")]
pub async fn end_sessions(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::UsersManage)?;
    let id = id.into_inner();
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            auth_store::user(conn, id).await?;
            let ended =
                auth_store::revoke_sessions(conn, SessionFilter::AllOfUser(id.into()), "ended_by_admin")
                    .await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "sessions_ended",
                audit_actor,
            )
            .about_user(id.into())
            .with(serde_json::json!({ "sessions_ended": ended }));
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Issue a new one-time link for setting the password (forgotten password, lost
/// invitation); earlier links stop working. The link goes to the user's e-mail; only when
/// the instance has no e-mail is it in the response (once, and the log says so).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The link", body = PasswordLinkResponse),
        NotLoggedIn,
        NotAdmin,
        NoSuchUser,
        (status = 409, description = "The account is deactivated", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/admin/users/{id}/password-link")]
pub async fn password_link_for_user(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<web::Json<PasswordLinkResponse>, ApiError> {
    actor.require(Permission::UsersManage)?;
    let id = id.into_inner();
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let token = OpaqueToken::generate(organisation_id, id.into())
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
    let hash = token.hash();
    let settings = state.settings.clone();
    let link = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let user = auth_store::user(conn, id).await?;
            if user.deactivated_at.is_some() {
                return Err(ApiError::Conflict("The account is deactivated.".to_owned()));
            }
            auth_store::spend_all_password_tokens(conn, id.into()).await?;
            let expires_at = auth_store::create_password_token(
                conn,
                organisation_id,
                id.into(),
                &hash,
                Duration::days(PASSWORD_LINK_DAYS),
            )
            .await?;
            let link = deliver_link(&settings, &user, &token.token, expires_at, false).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "password_link_issued",
                audit_actor,
            )
            .about_user(id.into())
            .with(serde_json::json!({ "delivery": delivery_name(link.delivery) }));
            audit::record(conn, &meta, event).await?;
            Ok(link)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(link))
}

/// Turn off a user's two-factor authentication (lost phone); they enrol again at the next
/// login if the organisation requires it.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Reset"),
        NotLoggedIn,
        NotAdmin,
        NoSuchUser,
    ),
)]
#[post("/admin/users/{id}/reset-mfa")]
pub async fn reset_mfa(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::UsersManage)?;
    let id = id.into_inner();
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            auth_store::user(conn, id).await?;
            store::reset_mfa(conn, id).await?;
            let event = AuditEvent::new(Some(organisation_id), Category::Admin, "mfa_reset", audit_actor)
                .about_user(id.into());
            audit::record(conn, &meta, event).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The organisation's units.
#[utoipa::path(
    tag = "units",
    security(("bearer" = []), ("oauth2" = ["units:read"])),
    params(ListUnitsParams),
    responses(
        (status = 200, description = "A page of units, ordered by id", body = Page<UnitResponse>),
        NotLoggedIn,
        NotAllowed,
    ),
)]
#[get("/units")]
pub async fn list_units(
    state: web::Data<AppState>,
    actor: Actor,
    params: web::Query<ListUnitsParams>,
) -> Result<web::Json<Page<UnitResponse>>, ApiError> {
    actor.require(Permission::UnitsRead)?;
    let params = params.into_inner();
    let limit = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .limit()?;
    let (include_closed, cursor) = (params.include_closed.unwrap_or(false), params.cursor);
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move { Ok(store::list_units(conn, include_closed, cursor, limit).await?) }.boxed()
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |row| row.id,
        unit_response,
    )))
}

/// Create a unit.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = UnitRequest,
    responses(
        (status = 201, description = "Created", body = UnitResponse),
        NotLoggedIn,
        NotAdmin,
        (status = 409, description = "An open unit has that name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/admin/units")]
pub async fn create_unit(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<UnitRequest>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::UnitsManage)?;
    let unit_name = name("name", &body.name)?;
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let unit = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let unit = store::insert_unit(conn, organisation_id, UnitId::new(), &unit_name).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "unit_created",
                audit_actor,
            )
            .about(unit.id);
            audit::record(conn, &meta, event).await?;
            Ok(unit)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(unit.version))
        .json(unit_response(unit)))
}

/// Rename a unit.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Unit id"), ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    request_body = UnitRequest,
    responses(
        (status = 200, description = "Renamed", body = UnitResponse),
        NotLoggedIn,
        NotAdmin,
        (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An open unit has that name", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/admin/units/{id}")]
pub async fn rename_unit(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<UnitId>,
    if_match: IfMatch,
    body: web::Json<UnitRequest>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::UnitsManage)?;
    let unit_name = name("name", &body.name)?;
    let id = id.into_inner();
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let unit = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            if_match.check(store::unit(conn, id).await?.version)?;
            let unit = store::rename_unit(conn, id, &unit_name).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "unit_renamed",
                audit_actor,
            )
            .about(id.into());
            audit::record(conn, &meta, event).await?;
            Ok(unit)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(unit.version))
        .json(unit_response(unit)))
}

/// Close a unit: it keeps its history but takes no new members.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Unit id")),
    responses(
        (status = 200, description = "Closed", body = UnitResponse),
        NotLoggedIn,
        NotAdmin,
        (status = 404, description = "No such open unit", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/admin/units/{id}/close")]
pub async fn close_unit(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<UnitId>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::UnitsManage)?;
    let id = id.into_inner();
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let unit = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let unit = store::close_unit(conn, id).await?;
            let event = AuditEvent::new(Some(organisation_id), Category::Admin, "unit_closed", audit_actor)
                .about(id.into());
            audit::record(conn, &meta, event).await?;
            Ok(unit)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(unit.version))
        .json(unit_response(unit)))
}

fn settings_response(organisation: OrganisationRow) -> OrganisationSettings {
    OrganisationSettings {
        id: organisation.id,
        name: organisation.name,
        require_mfa: organisation.require_mfa,
        access_token_ttl_secs: organisation.access_token_ttl_secs,
        session_idle_timeout_secs: organisation.session_idle_timeout_secs,
        session_max_lifetime_secs: organisation.session_max_lifetime_secs,
        lockout_threshold: organisation.lockout_threshold,
        lockout_duration_secs: organisation.lockout_duration_secs,
        unusual_access_daily_clients: organisation.unusual_access_daily_clients,
        diary_edit_window_hours: organisation.diary_edit_window_hours,
        allowance_rate_cents: organisation.allowance_rate_cents,
        electronic_consent_is_written: organisation.electronic_consent_is_written,
        version: organisation.version,
    }
}

/// The organisation's settings.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Settings", body = OrganisationSettings),
        NotLoggedIn,
        NotAdmin,
    ),
)]
#[get("/admin/organisation")]
pub async fn get_organisation(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::OrganisationManage)?;
    let id = actor.organisation_id;
    let organisation = db::transaction(&state.pool, Some(id), move |conn| {
        async move { Ok(auth_store::organisation(conn, id).await?) }.boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(organisation.version))
        .json(settings_response(organisation)))
}

fn in_range(field: &str, value: Option<i32>, low: i32, high: i32, errors: &mut Vec<FieldError>) {
    if let Some(value) = value
        && !(low..=high).contains(&value)
    {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("Use {low}–{high}."),
        ));
    }
}

/// Change organisation settings: 2FA requirement, session lengths, lockout policy, whether
/// electronic consents count as written ones for disclosures.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    request_body = UpdateOrganisationRequest,
    responses(
        (status = 200, description = "Updated", body = OrganisationSettings),
        NotLoggedIn,
        NotAdmin,
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/admin/organisation")]
pub async fn update_organisation(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    body: web::Json<UpdateOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::OrganisationManage)?;
    let body = body.into_inner();
    let mut errors = Vec::new();
    in_range(
        "access_token_ttl_secs",
        body.access_token_ttl_secs,
        60,
        900,
        &mut errors,
    );
    in_range(
        "session_idle_timeout_secs",
        body.session_idle_timeout_secs,
        300,
        86_400,
        &mut errors,
    );
    in_range(
        "session_max_lifetime_secs",
        body.session_max_lifetime_secs,
        3600,
        604_800,
        &mut errors,
    );
    in_range("lockout_threshold", body.lockout_threshold, 3, 50, &mut errors);
    in_range(
        "lockout_duration_secs",
        body.lockout_duration_secs,
        60,
        86_400,
        &mut errors,
    );
    in_range(
        "unusual_access_daily_clients",
        body.unusual_access_daily_clients,
        1,
        10_000,
        &mut errors,
    );
    in_range(
        "diary_edit_window_hours",
        body.diary_edit_window_hours,
        0,
        720,
        &mut errors,
    );
    in_range(
        "allowance_rate_cents",
        body.allowance_rate_cents,
        0,
        100_000,
        &mut errors,
    );
    let new_name = match body.name.as_deref().map(|value| name("name", value)).transpose() {
        Ok(value) => value,
        Err(ApiError::Validation(mut more)) => {
            errors.append(&mut more);
            None
        }
        Err(other) => return Err(other),
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let changes = OrganisationChanges {
        name: new_name,
        require_mfa: body.require_mfa,
        access_token_ttl_secs: body.access_token_ttl_secs,
        session_idle_timeout_secs: body.session_idle_timeout_secs,
        session_max_lifetime_secs: body.session_max_lifetime_secs,
        lockout_threshold: body.lockout_threshold,
        lockout_duration_secs: body.lockout_duration_secs,
        unusual_access_daily_clients: body.unusual_access_daily_clients,
        diary_edit_window_hours: body.diary_edit_window_hours,
        allowance_rate_cents: body.allowance_rate_cents,
        electronic_consent_is_written: body.electronic_consent_is_written,
    };
    let id = actor.organisation_id;
    let audit_actor = actor.audit();
    let organisation = db::transaction(&state.pool, Some(id), move |conn| {
        async move {
            if_match.check(auth_store::organisation(conn, id).await?.version)?;
            store::update_organisation(conn, id, &changes).await?;
            let event = AuditEvent::new(
                Some(id),
                Category::Admin,
                "organisation_settings_changed",
                audit_actor,
            )
            .with(serde_json::json!({
                "require_mfa": changes.require_mfa,
                "electronic_consent_is_written": changes.electronic_consent_is_written,
            }));
            audit::record(conn, &meta, event).await?;
            Ok(auth_store::organisation(conn, id).await?)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(organisation.version))
        .json(settings_response(organisation)))
}

fn api_client_response(row: ApiClientRow) -> ApiClientResponse {
    ApiClientResponse {
        id: row.id,
        name: row.name,
        client_id: row.client_id,
        scopes: row.scopes.iter().filter_map(|name| Scope::parse(name)).collect(),
        created_at: row.created_at,
        secret_rotated_at: row.secret_rotated_at,
        revoked_at: row.revoked_at,
    }
}

fn new_secret() -> Result<(String, String), ApiError> {
    let secret = random_secret(32).map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
    let hash = hex_hash(&secret);
    Ok((secret, hash))
}

/// Create an API client for an integrator. The secret is in this response only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateApiClientRequest,
    responses(
        (status = 201, description = "Created; store the secret now", body = ApiClientSecretResponse),
        NotLoggedIn,
        NotAdmin,
        InvalidFields,
    ),
)]
#[post("/admin/api-clients")]
pub async fn create_api_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<CreateApiClientRequest>,
) -> Result<HttpResponse, ApiError> {
    // Client scopes are a manager's decision; the rest the admin's.
    if body.scopes.iter().any(|scope| scope.reaches_client_content()) {
        actor.require(Permission::ClientAccessGrant)?;
    } else {
        actor.require(Permission::ApiClientsManage)?;
    }
    let client_name = name("name", &body.name)?;
    if body.scopes.is_empty() {
        return Err(ApiError::invalid_field(
            "scopes",
            "required",
            "Grant at least one scope.",
        ));
    }
    let mut scopes: Vec<String> = body
        .scopes
        .iter()
        .map(|scope| scope.as_str().to_owned())
        .collect();
    scopes.sort();
    scopes.dedup();
    let (secret, hash) = new_secret()?;
    let id = Uuid::now_v7();
    let client_id = format!("polku_{}", id.simple());
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let created_by = actor.user_id().ok();
    let new = store::NewApiClient {
        id,
        organisation_id,
        name: client_name,
        client_id,
        secret_hash: hash,
        scopes: scopes.clone(),
        created_by,
    };
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let row = store::insert_api_client(conn, &new).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "api_client_created",
                audit_actor,
            )
            .about(id)
            .with(serde_json::json!({ "scopes": scopes }));
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().json(ApiClientSecretResponse {
        client: api_client_response(row),
        client_secret: secret,
    }))
}

/// The organisation's API clients (never their secrets).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of API clients", body = Page<ApiClientResponse>),
        NotLoggedIn,
        NotAdmin,
    ),
)]
#[get("/admin/api-clients")]
pub async fn list_api_clients(
    state: web::Data<AppState>,
    actor: Actor,
    params: web::Query<PageParams>,
) -> Result<web::Json<Page<ApiClientResponse>>, ApiError> {
    require_either(
        &actor,
        Permission::ApiClientsManage,
        Permission::ClientAccessGrant,
    )?;
    let limit = params.limit()?;
    let cursor = params.cursor;
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move { Ok(store::list_api_clients(conn, cursor, limit).await?) }.boxed()
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |row| row.id,
        api_client_response,
    )))
}

/// Issue a new secret; the old one stops working at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "API client id")),
    responses(
        (status = 200, description = "The new secret, shown once", body = ApiClientSecretResponse),
        NotLoggedIn,
        NotAdmin,
        (status = 404, description = "No such live client", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/admin/api-clients/{id}/rotate-secret")]
pub async fn rotate_api_client_secret(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<ApiClientSecretResponse>, ApiError> {
    require_either(
        &actor,
        Permission::ApiClientsManage,
        Permission::ClientAccessGrant,
    )?;
    let id = id.into_inner();
    let (secret, hash) = new_secret()?;
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            // Whoever rotates holds the new secret: for a client with client scopes, a
            // manager.
            let current = store::live_api_client(conn, id).await?;
            if current
                .scopes
                .iter()
                .filter_map(|name| Scope::parse(name))
                .any(Scope::reaches_client_content)
            {
                actor.require(Permission::ClientAccessGrant)?;
            } else {
                actor.require(Permission::ApiClientsManage)?;
            }
            let row = store::rotate_api_client_secret(conn, id, &hash).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "api_client_secret_rotated",
                audit_actor,
            )
            .about(id);
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(ApiClientSecretResponse {
        client: api_client_response(row),
        client_secret: secret,
    }))
}

/// Revoke an API client: its tokens stop working at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "API client id")),
    responses(
        (status = 200, description = "Revoked", body = ApiClientResponse),
        NotLoggedIn,
        NotAdmin,
        (status = 404, description = "No such live client", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/admin/api-clients/{id}/revoke")]
pub async fn revoke_api_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<ApiClientResponse>, ApiError> {
    require_either(
        &actor,
        Permission::ApiClientsManage,
        Permission::ClientAccessGrant,
    )?;
    let id = id.into_inner();
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let row = store::revoke_api_client(conn, id).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "api_client_revoked",
                audit_actor,
            )
            .about(id);
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(api_client_response(row)))
}

/// Change one's own preferences (the UI language, which the UI then starts in).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The current user, changed", body = MeResponse),
        NotLoggedIn,
        (status = 403, description = "API clients have no user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown language or field", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/auth/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<UpdateMeRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let user_id = actor.user_id()?;
    let organisation_id = actor.organisation_id;
    let language = body.into_inner().language;
    let user = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            store::update_user(conn, user_id.into(), None, None, Some(language.as_str())).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Auth,
                "preferences_changed",
                AuditActor::User(user_id),
            )
            .about_user(user_id)
            .with(serde_json::json!({ "language": language.as_str() }));
            audit::record(conn, &meta, event).await?;
            crate::auth::routes::me_of(conn, &actor).await
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(user))
}
