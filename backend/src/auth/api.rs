//! Wire types of authentication.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::permissions::{Permission, Role};

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The login name (email address).
    #[schema(example = "aino.virtanen@kunta.fi")]
    pub email: String,
    /// The password.
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// The second step of a login with two-factor authentication.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaLoginRequest {
    /// `mfa_token` from the first step.
    pub mfa_token: String,
    /// A 6-digit code from the authenticator app, or an unused recovery code.
    pub code: String,
}

/// A new access token. The refresh token travels only in the `polku_refresh` cookie
/// (HttpOnly, Secure, SameSite=Strict, path `/api/v1/auth`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// Result of a login step.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LoginResponse {
    /// Logged in.
    Authenticated(TokenResponse),
    /// The password was right; send a second-factor code to `/auth/login/mfa`.
    MfaRequired {
        /// Short-lived ticket for the second step.
        mfa_token: String,
    },
    /// The organisation requires two-factor authentication and the user has none yet:
    /// enrol through `/auth/login/mfa-setup` and `/auth/login/mfa-confirm`.
    MfaEnrolmentRequired {
        /// Short-lived ticket for enrolment.
        mfa_token: String,
    },
}

/// The signed-in user, for the UI.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    /// User id.
    pub id: Uuid,
    /// Login name.
    pub email: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// UI language (`fi`, `sv`, `en`).
    pub language: String,
    /// The user's organisation.
    pub organisation: OrganisationSummary,
    /// Roles held.
    pub roles: Vec<Role>,
    /// Everything the roles allow; the UI hides what is not here.
    pub permissions: Vec<Permission>,
    /// Units the user works in.
    pub unit_ids: Vec<Uuid>,
    /// Whether two-factor authentication is enabled.
    pub mfa_enabled: bool,
    /// Whether the organisation requires two-factor authentication (then it cannot be
    /// turned off).
    pub mfa_required: bool,
}

/// Id and name of an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationSummary {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// Change one's own password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The current password.
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
    /// The new password: 12–128 characters, not easy to guess.
    #[schema(value_type = String, format = Password)]
    pub new_password: SecretString,
}

/// Turn off one's own two-factor authentication.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableMfaRequest {
    /// The current password, asked again because this weakens the account.
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
}

/// One of the signed-in user's live sessions: a browser where they are logged in.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    /// Session id.
    pub id: Uuid,
    /// Logged in at.
    pub created_at: DateTime<Utc>,
    /// Last renewed (the browser was in use).
    pub last_refreshed_at: DateTime<Utc>,
    /// Ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// The address it logged in from.
    pub source_address: Option<String>,
    /// The browser it logged in with (its `User-Agent`).
    pub user_agent: Option<String>,
    /// Whether this is the session making the request.
    pub current: bool,
}

/// Set a password with a one-time link (invitation or reset).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPasswordRequest {
    /// The token from the link.
    pub token: String,
    /// The new password: 12–128 characters, not easy to guess.
    #[schema(value_type = String, format = Password)]
    pub new_password: SecretString,
}

/// OAuth2 token request (`application/x-www-form-urlencoded`). Client credentials go in
/// HTTP Basic authentication or in the form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: Option<String>,
    /// The API client's `client_id`.
    pub client_id: Option<String>,
    /// The API client's secret.
    pub client_secret: Option<String>,
    /// Space-separated scopes wanted (default: all granted to the client).
    pub scope: Option<String>,
}

/// OAuth2 access token for an API client.
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthTokenResponse {
    /// JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until expiry.
    pub expires_in: i64,
    /// Space-separated scopes granted.
    pub scope: String,
}

/// OAuth2 error (RFC 6749 §5.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `unsupported_grant_type` or `invalid_scope`.
    pub error: &'static str,
    /// Explanation.
    pub error_description: String,
}

/// Start enrolling an authenticator app during login (organisation requires 2FA).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaTicketRequest {
    /// `mfa_token` from the login response.
    pub mfa_token: String,
}

/// Confirm an authenticator app with a code during login.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaTicketConfirmRequest {
    /// `mfa_token` from the login response.
    pub mfa_token: String,
    /// A current 6-digit code from the app.
    pub code: String,
}

/// Confirm an authenticator app with a code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaConfirmRequest {
    /// A current 6-digit code from the app.
    pub code: String,
}

/// What an authenticator app needs (also as a QR code of `otpauth_uri`).
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaSetupResponse {
    /// The shared secret, base32, for manual entry.
    pub secret: String,
    /// `otpauth://totp/...` URI for a QR code.
    pub otpauth_uri: String,
}

/// Two-factor authentication enabled.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaEnabledResponse {
    /// One-time recovery codes, shown only now; each works once if the phone is lost.
    pub recovery_codes: Vec<String>,
    /// The new session, when enrolment completed a login.
    pub session: Option<TokenResponse>,
}
