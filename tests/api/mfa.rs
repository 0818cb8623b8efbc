//! Two-factor authentication: enrolment, login with a code, replay, recovery codes,
//! the organisation requirement and the admin reset.

use polku::auth::mfa::current_code;
use polku::permissions::Role;
use polku_tests::TestApp;
use polku_tests::fixtures::{PASSWORD, User, refresh_set_cookie};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    let response = app.request(Method::POST, path).json(&body).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Enrols `user` and returns (secret, recovery codes, the code used to confirm).
pub(crate) async fn enrol(app: &TestApp, user: &User) -> (String, Vec<String>, String) {
    let session = app.session(user).await;
    let (status, setup) = app
        .send_as(
            &session.access_token,
            Method::POST,
            "/api/v1/auth/mfa/setup",
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(
        setup["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Polku:")
    );
    let (status, body) = app
        .send_as(
            &session.access_token,
            Method::POST,
            "/api/v1/auth/mfa/confirm",
            &json!({"code": "000000"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let code = current_code(&secret).unwrap();
    let (status, enabled) = app
        .send_as(
            &session.access_token,
            Method::POST,
            "/api/v1/auth/mfa/confirm",
            &json!({"code": code}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{enabled}");
    let codes: Vec<String> = enabled["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes, code)
}

pub(crate) async fn ticket(app: &TestApp, user: &User, expected: &str) -> String {
    let response = app.login(&user.email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        refresh_set_cookie(&response).is_none(),
        "no session before the second factor"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], expected, "{body}");
    body["mfa_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_login_with_two_factors_needs_a_fresh_code_or_an_unused_recovery_code() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let (_, recovery, enrolment_code) = enrol(&app, &user).await;

    let mfa_token = ticket(&app, &user, "mfa_required").await;
    // The ticket is not an access token.
    assert_eq!(
        app.get_as(&mfa_token, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = post(
        &app,
        "/api/v1/auth/login/mfa",
        json!({"mfa_token": mfa_token, "code": "123456"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The code used at enrolment was spent then.
    let (status, _) = post(
        &app,
        "/api/v1/auth/login/mfa",
        json!({"mfa_token": mfa_token, "code": enrolment_code}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a code works once");

    let (status, body) = post(
        &app,
        "/api/v1/auth/login/mfa",
        json!({"mfa_token": mfa_token, "code": recovery[0]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "authenticated");
    assert_eq!(
        app.get_as(body["access_token"].as_str().unwrap(), "/api/v1/auth/me")
            .await
            .1["mfa_enabled"],
        true
    );

    let (status, _) = post(
        &app,
        "/api/v1/auth/login/mfa",
        json!({"mfa_token": mfa_token, "code": recovery[0]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a recovery code works once");
    let (status, _) = post(
        &app,
        "/api/v1/auth/login/mfa",
        json!({"mfa_token": mfa_token, "code": recovery[1].to_uppercase()}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn guessing_codes_locks_the_account() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    enrol(&app, &user).await;
    let mfa_token = ticket(&app, &user, "mfa_required").await;
    for guess in 0..5 {
        let (status, _) = post(
            &app,
            "/api/v1/auth/login/mfa",
            json!({"mfa_token": mfa_token, "code": format!("{guess:06}")}),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = post(
        &app,
        "/api/v1/auth/login/mfa",
        json!({"mfa_token": mfa_token, "code": "999999"}),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_organisation_can_require_two_factors_and_users_enrol_at_login() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let user = app.user(&org, &[Role::Coach]).await;
    let (status, _) = admin.update_organisation(&json!({"require_mfa": true})).await;
    assert_eq!(status, StatusCode::OK);

    let mfa_token = ticket(&app, &user, "mfa_enrolment_required").await;
    let (status, setup) = post(
        &app,
        "/api/v1/auth/login/mfa-setup",
        json!({"mfa_token": mfa_token}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let code = current_code(setup["secret"].as_str().unwrap()).unwrap();
    let response = app
        .request(Method::POST, "/api/v1/auth/login/mfa-confirm")
        .json(&json!({"mfa_token": mfa_token, "code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(refresh_set_cookie(&response).is_some());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["recovery_codes"].as_array().unwrap().len(), 10);
    let access = body["session"]["access_token"].as_str().unwrap();
    assert_eq!(app.get_as(access, "/api/v1/auth/me").await.0, StatusCode::OK);

    // Next time the code is asked.
    ticket(&app, &user, "mfa_required").await;
}

#[tokio::test]
async fn an_admin_reset_turns_two_factors_off() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let user = app.user(&org, &[Role::Coach]).await;
    enrol(&app, &user).await;
    ticket(&app, &user, "mfa_required").await;
    let (status, _) = admin
        .post(&format!("/api/v1/admin/users/{}/reset-mfa", user.id), &json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.session(&user).await;
}
