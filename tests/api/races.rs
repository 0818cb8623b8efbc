//! Races and throttles: what parallel requests and proxies must not get around.

use diesel_async::SimpleAsyncConnection;
use futures_util::future::join_all;
use polku::auth::mfa::current_code;
use polku::permissions::Role;
use polku_tests::TestApp;
use polku_tests::fixtures::PASSWORD;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn count(statuses: &[StatusCode], wanted: StatusCode) -> usize {
    statuses.iter().filter(|status| **status == wanted).count()
}

#[tokio::test]
async fn the_same_totp_code_logs_in_once_even_in_parallel() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let (secret, _, _) = crate::mfa::enrol(&app, &user).await;
    // Forget the step the enrolment used, so the current code is fresh for this login; and
    // let the replays that fail not lock the account before the one that wins logs in.
    app.superuser()
        .await
        .batch_execute(
            "UPDATE users SET mfa_last_step = mfa_last_step - 10; \
             UPDATE organisations SET lockout_threshold = 50",
        )
        .await
        .unwrap();
    for round in 0..3 {
        let mut tickets = Vec::new();
        for _ in 0..12 {
            tickets.push(crate::mfa::ticket(&app, &user, "mfa_required").await);
        }
        let code = current_code(&secret).unwrap();
        let statuses: Vec<StatusCode> = join_all(tickets.iter().map(|ticket| {
            app.request(Method::POST, "/api/v1/auth/login/mfa")
                .json(&json!({"mfa_token": ticket, "code": code}))
                .send()
        }))
        .await
        .into_iter()
        .map(|response| response.unwrap().status())
        .collect();
        assert_eq!(count(&statuses, StatusCode::OK), 1, "round {round}: {statuses:?}");
        // Again with a fresh step and no lock from the replays.
        app.superuser()
            .await
            .batch_execute("UPDATE users SET mfa_last_step = mfa_last_step - 10; DELETE FROM login_throttle")
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_get_exactly_the_threshold_of_401s() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let statuses: Vec<StatusCode> = join_all((0..40).map(|_| app.login(&user.email, "väärä salasana")))
        .await
        .into_iter()
        .map(|response| response.status())
        .collect();
    // The organisation's default lockout threshold is 5.
    assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 5, "{statuses:?}");
    assert_eq!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS),
        35,
        "{statuses:?}"
    );
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "locked even for the right password"
    );
}

#[tokio::test]
async fn a_wrong_current_password_is_throttled_like_a_login() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&user).await;
    let change = async |current: &str| {
        let body = json!({"current_password": current, "new_password": "ilves kiipeää korkealle puuhun"});
        app.send_as(
            &session.access_token,
            Method::POST,
            "/api/v1/auth/password",
            &body,
        )
        .await
    };
    for _ in 0..5 {
        assert_eq!(change("väärä salasana").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, body) = change(PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the same lock as a login's"
    );
}

#[tokio::test]
async fn rotating_a_secret_refuses_tokens_minted_before_it() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let (_, created) = admin
        .create_api_client(&json!({"name": "PAR", "scopes": ["units:read"]}))
        .await;
    let old_token = app.integrator_token(&created).await;
    assert_eq!(app.get_as(&old_token, "/api/v1/units").await.0, StatusCode::OK);
    let id = created["client"]["id"].as_str().unwrap();
    let (status, rotated) = admin
        .post(
            &format!("/api/v1/admin/api-clients/{id}/rotate-secret"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    assert_eq!(
        app.get_as(&old_token, "/api/v1/units").await.0,
        StatusCode::UNAUTHORIZED,
        "minted with the old secret"
    );
    let new_token = app.integrator_token(&rotated).await;
    assert_eq!(app.get_as(&new_token, "/api/v1/units").await.0, StatusCode::OK);
}

async fn login_via_proxy(app: &TestApp, email: &str, password: &str, forwarded: &str) -> StatusCode {
    app.request(Method::POST, "/api/v1/auth/login")
        .header("x-forwarded-for", forwarded)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn the_client_address_is_the_right_most_forwarded_entry_that_is_not_a_trusted_proxy() {
    let app = TestApp::spawn_with(|settings| {
        settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap(), "10.9.0.0/16".parse().unwrap()];
    })
    .await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    // The client wrote the left-most entry itself; the proxies appended the rest.
    let status = login_via_proxy(&app, &user.email, "väärä", "6.6.6.6, 192.0.2.7, 10.9.3.4").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let events = app.events_where(org.id, "action = 'login_failed'").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["source_address"], "192.0.2.7", "{}", events[0]);

    // Without trusted proxies the header is ignored: the peer is the client.
    let direct = TestApp::spawn().await;
    let org = direct.organisation("Kunta B").await;
    let user = direct.user(&org, &[Role::Coach]).await;
    login_via_proxy(&direct, &user.email, "väärä", "192.0.2.7").await;
    let events = direct.events_where(org.id, "action = 'login_failed'").await;
    assert_eq!(events[0]["source_address"], "127.0.0.1", "{}", events[0]);
}

#[tokio::test]
async fn one_address_behind_a_shared_proxy_cannot_lock_everyone_out() {
    let app = TestApp::spawn_with(|settings| {
        settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    // One address tries many names until it is throttled ...
    let mut throttled = false;
    for attempt in 0..150 {
        let status = login_via_proxy(
            &app,
            &format!("arvaus{attempt}@kunta.test"),
            "väärä",
            "6.6.6.6, 192.0.2.66",
        )
        .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            throttled = true;
            break;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert!(throttled, "the address is throttled");
    // ... and so stays, whatever it writes as the left-most entry ...
    assert_eq!(
        login_via_proxy(&app, &user.email, PASSWORD, "203.0.113.1, 192.0.2.66").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ... while a colleague behind the same proxy logs in.
    assert_eq!(
        login_via_proxy(&app, &user.email, PASSWORD, "192.0.2.8").await,
        StatusCode::OK
    );
}
