//! A user's own account: turning two-factor authentication off where the organisation
//! allows, and seeing and ending their own sessions.

use polku::permissions::Role;
use polku_tests::TestApp;
use polku_tests::fixtures::{PASSWORD, field_codes};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::mfa::{enrol, ticket};

#[tokio::test]
async fn a_user_turns_two_factors_off_with_the_password_unless_the_organisation_requires_it() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let user = app.user(&org, &[Role::Coach]).await;
    let (_, codes, _) = enrol(&app, &user).await;
    let mfa_token = ticket(&app, &user, "mfa_required").await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login/mfa")
        .json(&json!({"mfa_token": mfa_token, "code": codes[0]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    let token = body["access_token"].as_str().unwrap().to_owned();
    let (_, me) = app.get_as(&token, "/api/v1/auth/me").await;
    assert_eq!(me["mfa_enabled"], true);
    assert_eq!(me["mfa_required"], false);

    // A wrong password changes nothing.
    let (status, problem) = app
        .send_as(
            &token,
            Method::POST,
            "/api/v1/auth/mfa/disable",
            &json!({"current_password": "not the password at all"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        field_codes(&problem),
        vec![("current_password".to_owned(), "wrong_password".to_owned())]
    );
    ticket(&app, &user, "mfa_required").await;

    // While the organisation requires it, it stays on.
    let (status, _) = admin.update_organisation(&json!({"require_mfa": true})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = app.get_as(&token, "/api/v1/auth/me").await;
    assert_eq!(me["mfa_required"], true);
    let (status, problem) = app
        .send_as(
            &token,
            Method::POST,
            "/api/v1/auth/mfa/disable",
            &json!({"current_password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    ticket(&app, &user, "mfa_required").await;

    let (status, _) = admin.update_organisation(&json!({"require_mfa": false})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .send_as(
            &token,
            Method::POST,
            "/api/v1/auth/mfa/disable",
            &json!({"current_password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // The password alone logs in again, and the old recovery codes are gone.
    app.session(&user).await;
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM recovery_codes WHERE user_id = '{}'",
            user.id
        ))
        .await,
        0
    );
    let events = app.events_where(org.id, "action = 'mfa_disabled'").await;
    assert_eq!(events.len(), 1);
    // Turning off what is off is a conflict.
    let (status, _) = app
        .send_as(
            &token,
            Method::POST,
            "/api/v1/auth/mfa/disable",
            &json!({"current_password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_user_sees_their_own_live_sessions_and_ends_another_one() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let other = app.user(&org, &[Role::Coach]).await;
    let laptop = app.session(&user).await;
    let phone = app.session(&user).await;
    let someone_else = app.session(&other).await;

    let (status, sessions) = app.get_as(&laptop.access_token, "/api/v1/auth/sessions").await;
    assert_eq!(status, StatusCode::OK, "{sessions}");
    let sessions = sessions.as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2, "only the user's own: {sessions:?}");
    let current: Vec<_> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    let phone_id = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Another user's session answers 404 like a missing one, and stays live.
    let (_, theirs) = app
        .get_as(&someone_else.access_token, "/api/v1/auth/sessions")
        .await;
    let their_id = theirs[0]["id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .send_as(
            &laptop.access_token,
            Method::POST,
            &format!("/api/v1/auth/sessions/{their_id}/end"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get_as(&someone_else.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );

    let (status, _) = app
        .send_as(
            &laptop.access_token,
            Method::POST,
            &format!("/api/v1/auth/sessions/{phone_id}/end"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_as(&phone.access_token, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED,
        "the ended session's token stops working at once"
    );
    assert_eq!(
        app.refresh(&phone.refresh_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (_, sessions) = app.get_as(&laptop.access_token, "/api/v1/auth/sessions").await;
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert_eq!(
        app.events_where(org.id, "action = 'session_ended'").await.len(),
        1
    );
}
