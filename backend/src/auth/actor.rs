//! `Actor`: the authenticated caller of a request. Extracting it verifies the access
//! token and checks, in the database, that its session (or API client) is still live —
//! on every request, on every instance, with no cache that could serve a revoked one.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use diesel_async::{AnsiTransactionManager, TransactionManager};
use uuid::Uuid;

use super::store;
use crate::db;
use crate::error::ApiError;
use crate::ids::UnitId;
use crate::permissions::{Permission, Role, Scope, permissions_of_roles, permissions_of_scopes};
use crate::state::AppState;
use crate::tokens::{API_AUDIENCE, Subject};

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A staff member in a session.
    User {
        /// The user.
        id: Uuid,
        /// The session the token belongs to.
        session_id: Uuid,
    },
    /// An integrator's API client.
    ApiClient {
        /// The API client.
        id: Uuid,
    },
}

/// An authenticated caller and what it may do. Handlers take it as an argument and ask
/// for permissions by name.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The caller's organisation: the tenant of everything it touches.
    pub organisation_id: Uuid,
    /// User or API client.
    pub principal: Principal,
    /// Roles (users) — empty for API clients.
    pub roles: Vec<Role>,
    /// Scopes (API clients) — empty for users.
    pub scopes: Vec<Scope>,
    /// Units a user works in (limits coaches to their own units).
    pub unit_ids: Vec<UnitId>,
    /// Everything the roles or scopes allow.
    pub permissions: Vec<Permission>,
}

impl Actor {
    /// Whether the actor holds a permission.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// 403 unless the actor holds the permission.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(ApiError::MissingPermission(permission))
        }
    }

    /// The user id, for actions only people can take (403 for API clients).
    pub fn user_id(&self) -> Result<Uuid, ApiError> {
        match self.principal {
            Principal::User { id, .. } => Ok(id),
            Principal::ApiClient { .. } => Err(ApiError::Forbidden),
        }
    }

    /// The acting user and API client as separate columns (one of them is set).
    pub fn audit_ids(&self) -> (Option<Uuid>, Option<Uuid>) {
        match self.principal {
            Principal::User { id, .. } => (Some(id), None),
            Principal::ApiClient { id } => (None, Some(id)),
        }
    }

    /// How the audit log names this actor.
    pub fn audit(&self) -> crate::audit::AuditActor {
        match self.principal {
            Principal::User { id, .. } => crate::audit::AuditActor::User(id),
            Principal::ApiClient { id } => crate::audit::AuditActor::ApiClient(id),
        }
    }
}

/// `client_id` and `client_secret` from HTTP Basic authentication (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Default)]
pub struct BasicCredentials(pub Option<(String, String)>);

impl FromRequest for BasicCredentials {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        use base64::Engine;
        let credentials = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .and_then(|(_, encoded)| {
                base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .ok()
            })
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| {
                text.split_once(':')
                    .map(|(id, secret)| (id.to_owned(), secret.to_owned()))
            });
        std::future::ready(Ok(Self(credentials)))
    }
}

/// The bearer token of a request, if it has one.
pub fn bearer_token(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequest for Actor {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let token = bearer_token(req).map(str::to_owned);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no application state")))?;
            let claims = token
                .and_then(|token| state.keys.verify(&token, API_AUDIENCE))
                .ok_or(ApiError::Unauthenticated)?;
            let organisation_id = claims.org;
            match claims.kind {
                Subject::User => {
                    let session_id = claims.sid.ok_or(ApiError::Unauthenticated)?;
                    let user_id = claims.sub;
                    let mut conn = db::connection(&state.pool).await?;
                    let begun = db::in_request_scope();
                    if begun {
                        AnsiTransactionManager::begin_transaction(&mut *conn).await?;
                    }
                    let live = store::live_session(&mut conn, organisation_id, session_id, user_id).await?;
                    let Some(live) = live else {
                        if begun {
                            AnsiTransactionManager::rollback_transaction(&mut *conn).await?;
                        }
                        return Err(ApiError::Unauthenticated);
                    };
                    if begun {
                        db::hand_over(organisation_id, conn);
                    }
                    let roles: Vec<Role> = live.roles.iter().filter_map(|name| Role::parse(name)).collect();
                    Ok(Actor {
                        organisation_id,
                        principal: Principal::User {
                            id: user_id,
                            session_id,
                        },
                        permissions: permissions_of_roles(&roles),
                        roles,
                        scopes: Vec::new(),
                        unit_ids: live.unit_ids,
                    })
                }
                Subject::ApiClient => {
                    let client_id = claims.sub;
                    let granted: Vec<String> = claims
                        .scope
                        .as_deref()
                        .unwrap_or_default()
                        .split(' ')
                        .map(str::to_owned)
                        .collect();
                    let mut conn = db::connection(&state.pool).await?;
                    let begun = db::in_request_scope();
                    if begun {
                        AnsiTransactionManager::begin_transaction(&mut *conn).await?;
                    }
                    let minted_against = claims.srt.and_then(chrono::DateTime::from_timestamp_micros);
                    let scopes =
                        store::live_api_client_scopes(&mut conn, organisation_id, client_id, minted_against)
                            .await?;
                    let Some(scopes) = scopes else {
                        if begun {
                            AnsiTransactionManager::rollback_transaction(&mut *conn).await?;
                        }
                        return Err(ApiError::Unauthenticated);
                    };
                    if begun {
                        db::hand_over(organisation_id, conn);
                    }
                    // What the token was granted, as far as the client still holds it.
                    let scopes: Vec<Scope> = scopes
                        .iter()
                        .filter(|name| granted.contains(name))
                        .filter_map(|name| Scope::parse(name))
                        .collect();
                    Ok(Actor {
                        organisation_id,
                        principal: Principal::ApiClient { id: client_id },
                        permissions: permissions_of_scopes(&scopes),
                        roles: Vec::new(),
                        scopes,
                        unit_ids: Vec::new(),
                    })
                }
            }
        })
    }
}
