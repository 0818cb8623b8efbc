//! Sessions: login, refresh rotation and theft detection, logout, passwords, lockout.

use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use polku::permissions::Role;
use polku_tests::TestApp;
use polku_tests::fixtures::{PASSWORD, refresh_set_cookie, refresh_token_of};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn login_returns_an_access_token_and_an_http_only_refresh_cookie() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let coach = app.user(&org, &[Role::Coach, Role::Sensitive]).await;

    let response = app.login(&coach.email.to_uppercase(), PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = refresh_set_cookie(&response).unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(attribute), "{attribute} missing in {cookie}");
    }
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "authenticated");
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_i64().unwrap() <= 900);
    assert!(
        body.get("refresh_token").is_none(),
        "the refresh token travels only in the cookie"
    );

    let (status, me) = app
        .get_as(body["access_token"].as_str().unwrap(), "/api/v1/auth/me")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["id"], coach.id.to_string());
    assert_eq!(me["organisation"]["id"], org.id.to_string());
    assert_eq!(me["roles"], json!(["coach", "sensitive"]));
    let permissions = me["permissions"].as_array().unwrap();
    assert!(permissions.contains(&json!("clients_read_own_units")));
    assert!(permissions.contains(&json!("sensitive_history")));
    assert!(!permissions.contains(&json!("users_manage")));
    assert_eq!(me["unit_ids"], json!([org.unit_id]));
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_identical_answers() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;

    let wrong = app.login(&user.email, "not the password at all").await;
    let unknown = app.login("nobody@nowhere.test", "not the password at all").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (wrong, unknown): (Value, Value) = (wrong.json().await.unwrap(), unknown.json().await.unwrap());
    assert_eq!(wrong, unknown);
    assert_eq!(wrong["type"], "urn:polku:problem:invalid-credentials");
}

async fn lock_account(app: &TestApp, email: &str, attempts: usize) {
    for _ in 0..attempts {
        assert_eq!(
            app.login(email, "not the password at all").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn an_account_locks_after_repeated_failures_and_unlocks_after_the_period() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;

    lock_account(&app, &user.email, 5).await;
    let locked = app.login(&user.email, PASSWORD).await;
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password is refused while locked"
    );
    let retry_after: i64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");

    // The lock period passes.
    let mut db = app.superuser().await;
    db.batch_execute("UPDATE login_throttle SET locked_until = now() - interval '1 second'")
        .await
        .unwrap();
    assert_eq!(app.login(&user.email, PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_login_names_lock_exactly_like_known_ones() {
    let app = TestApp::spawn().await;
    lock_account(&app, "nobody@nowhere.test", 5).await;
    let response = app.login("nobody@nowhere.test", "not the password at all").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn the_lockout_threshold_is_the_organisations_setting() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.user(&org, &[Role::Admin]).await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&admin).await;
    let (status, _) = app
        .by(&session)
        .update_organisation(&json!({"lockout_threshold": 3}))
        .await;
    assert_eq!(status, StatusCode::OK);
    lock_account(&app, &user.email, 3).await;
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_revokes_the_session() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&user).await;

    let first = app.refresh(&session.refresh_token).await;
    assert_eq!(first.status(), StatusCode::OK);
    let next = refresh_token_of(&refresh_set_cookie(&first).unwrap());
    assert_ne!(next, session.refresh_token);
    let body: Value = first.json().await.unwrap();
    let fresh_access = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get_as(&fresh_access, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );

    // The spent token comes back: someone copied it. The whole session ends.
    assert_eq!(
        app.refresh(&session.refresh_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_as(&fresh_access, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_as(&session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.refresh(&next).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_and_foreign_refresh_tokens_are_401() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.request(Method::POST, "/api/v1/auth/refresh")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    for token in [
        "garbage",
        "a.b.c",
        &format!(
            "{}.{}.{}",
            uuid::Uuid::now_v7().simple(),
            uuid::Uuid::now_v7().simple(),
            "x".repeat(43)
        ),
    ] {
        assert_eq!(
            app.refresh(token).await.status(),
            StatusCode::UNAUTHORIZED,
            "{token}"
        );
    }
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&user).await;
    let other = app.session(&user).await;

    let response = app
        .authed(Method::POST, "/api/v1/auth/logout", &session.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(refresh_set_cookie(&response).unwrap().contains("Max-Age=0"));
    assert_eq!(
        app.get_as(&session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.refresh(&session.refresh_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_as(&other.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK,
        "other sessions go on"
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_old_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&user).await;
    let other = app.session(&user).await;
    let new_password = "hirvi juoksee metsän reunalla";

    let (status, body) = app
        .send_as(
            &session.access_token,
            Method::POST,
            "/api/v1/auth/password",
            &json!({"current_password": "wrong wrong wrong", "new_password": new_password}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["code"], "wrong_password");

    let (status, body) = app
        .send_as(
            &session.access_token,
            Method::POST,
            "/api/v1/auth/password",
            &json!({"current_password": PASSWORD, "new_password": "salasana123"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "new_password");

    let response = app
        .authed(Method::POST, "/api/v1/auth/password", &session.access_token)
        .json(&json!({"current_password": PASSWORD, "new_password": new_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_as(&session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(&other.access_token, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&user.email, new_password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_user_chooses_their_language_and_nothing_else() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&user).await;
    let (status, me) = app
        .send_as(
            &session.access_token,
            Method::PATCH,
            "/api/v1/auth/me",
            &json!({"language": "sv"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["language"], "sv");
    assert_eq!(me["roles"], json!(["coach"]));
    let (_, me) = app.get_as(&session.access_token, "/api/v1/auth/me").await;
    assert_eq!(me["language"], "sv");
    let events = app.events_where(org.id, "action = 'preferences_changed'").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["details"]["language"], "sv");

    // An unknown language, or anything but the language (roles!), changes nothing.
    for body in [
        json!({"language": "de"}),
        json!({"language": "en", "roles": ["admin"]}),
        json!({}),
    ] {
        let (status, problem) = app
            .send_as(&session.access_token, Method::PATCH, "/api/v1/auth/me", &body)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
    }
    let (_, me) = app.get_as(&session.access_token, "/api/v1/auth/me").await;
    assert_eq!(me["language"], "sv");
    assert_eq!(me["roles"], json!(["coach"]));
}

#[tokio::test]
async fn an_invitation_link_sets_the_password_once_and_expires() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let (status, created) = admin
        .post(
            "/api/v1/admin/users",
            &json!({"email": "Uusi.Ohjaaja@Kunta.test", "display_name": "Uusi Ohjaaja",
                    "roles": ["coach"], "unit_ids": [org.unit_id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["user"]["email"], "uusi.ohjaaja@kunta.test");
    assert_eq!(created["user"]["has_password"], false);
    let url = created["invitation"]["url"].as_str().unwrap();
    let token = url.split("#token=").nth(1).unwrap();
    assert_eq!(
        app.login("uusi.ohjaaja@kunta.test", "").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let set = |password: &'static str| {
        app.request(Method::POST, "/api/v1/auth/password/set")
            .json(&json!({"token": token, "new_password": password}))
            .send()
    };
    assert_eq!(
        set("lyhyt").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        set("ilves kiipeää korkealle puuhun").await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.login("uusi.ohjaaja@kunta.test", "ilves kiipeää korkealle puuhun")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        set("toinen yritys samalla linkillä").await.unwrap().status(),
        StatusCode::GONE,
        "single use"
    );

    // A fresh link, expired.
    let user_id = created["user"]["id"].as_str().unwrap();
    let (status, link) = admin
        .post(
            &format!("/api/v1/admin/users/{user_id}/password-link"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let token = link["url"]
        .as_str()
        .unwrap()
        .split("#token=")
        .nth(1)
        .unwrap()
        .to_owned();
    let mut db = app.superuser().await;
    db.batch_execute("UPDATE password_tokens SET expires_at = now() - interval '1 second'")
        .await
        .unwrap();
    let response = app
        .request(Method::POST, "/api/v1/auth/password/set")
        .json(&json!({"token": token, "new_password": "karhu nukkuu talven yli"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
}

#[tokio::test]
async fn failed_and_successful_logins_are_recorded_without_the_password() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    app.login(&user.email, "not the password at all").await;
    app.session(&user).await;

    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        action: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        everything: String,
    }
    let mut db = app.superuser().await;
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT action, row_to_json(audit_events)::text AS everything FROM audit_events \
         WHERE category = 'auth' ORDER BY id",
    )
    .load(&mut db)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|row| row.action.as_str()).collect();
    assert_eq!(actions, ["login_failed", "login_succeeded"]);
    for row in &rows {
        assert!(row.everything.contains(&user.id.to_string()));
        assert!(
            row.everything.contains("127.0.0.1"),
            "source address: {}",
            row.everything
        );
        assert!(!row.everything.contains("not the password") && !row.everything.contains(PASSWORD));
    }
}

#[tokio::test]
async fn a_source_address_is_throttled_after_many_failures_across_names() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Coach]).await;
    // Spread over many names, so no single account locks first.
    for attempt in 0..100 {
        let response = app
            .login(&format!("guess{attempt}@nowhere.test"), "not the password at all")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let response = app.login(&user.email, PASSWORD).await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the address is throttled, also for right passwords"
    );
    assert!(response.headers().contains_key("retry-after"));
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:polku:problem:too-many-requests");
}
