//! Tokens that must not work, accounts that end, and sessions that end everywhere.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use polku::permissions::Role;
use polku::tokens::{AccessClaims, MFA_AUDIENCE, TokenKeys};
use polku_tests::TestApp;
use polku_tests::fixtures::PASSWORD;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn forge(secret: &[u8], claims: &AccessClaims) -> String {
    TokenKeys::new(secret).sign(claims).unwrap()
}

#[tokio::test]
async fn forged_expired_and_misdirected_tokens_are_rejected() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let user = app.user(&org, &[Role::Admin]).await;
    let session = app.session(&user).await;
    assert_eq!(
        app.get_as(&session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );

    let parts: Vec<&str> = session.access_token.split('.').collect();
    let claims: AccessClaims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let secret = app.token_secret.as_bytes();
    let with = |change: &dyn Fn(&mut AccessClaims)| {
        let mut claims = claims.clone();
        change(&mut claims);
        claims
    };

    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let mut tampered_claims = claims.clone();
    tampered_claims.sub = uuid::Uuid::now_v7();
    let tampered_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&tampered_claims).unwrap());
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .unwrap();

    let attacks: Vec<(&str, String)> = vec![
        ("alg none", format!("{none_header}.{}.", parts[1])),
        (
            "alg none with signature",
            format!("{none_header}.{}.{}", parts[1], parts[2]),
        ),
        (
            "wrong key",
            forge(b"another secret of at least thirty-two bytes!", &claims),
        ),
        ("other algorithm", hs512),
        (
            "tampered payload",
            format!("{}.{tampered_payload}.{}", parts[0], parts[2]),
        ),
        (
            "wrong audience",
            forge(secret, &with(&|c| c.aud = MFA_AUDIENCE.to_owned())),
        ),
        (
            "wrong issuer",
            forge(secret, &with(&|c| c.iss = "someone-else".to_owned())),
        ),
        (
            "expired",
            forge(
                secret,
                &with(&|c| {
                    c.iat -= 3600;
                    c.exp = Utc::now().timestamp() - 60
                }),
            ),
        ),
        ("no session", forge(secret, &with(&|c| c.sid = None))),
        (
            "unknown session",
            forge(secret, &with(&|c| c.sid = Some(uuid::Uuid::now_v7()))),
        ),
        (
            "another organisation",
            forge(secret, &with(&|c| c.org = uuid::Uuid::now_v7())),
        ),
        (
            "another user's session",
            forge(secret, &with(&|c| c.sub = uuid::Uuid::now_v7())),
        ),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (name, token) in attacks {
        let (status, body) = app.get_as(&token, "/api/v1/auth/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(body["type"], "urn:polku:problem:unauthenticated", "{name}");
    }
    let response = app
        .request(Method::GET, "/api/v1/auth/me")
        .header("authorization", "Basic Zm9vOmJhcg==")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // The real token still works: nothing above changed state.
    assert_eq!(
        app.get_as(&session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_deactivated_user_is_out_at_once_for_good_and_their_login_name_is_released() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let leaver = app.user(&org, &[Role::Coach]).await;
    let leaver_session = app.session(&leaver).await;

    let (status, body) = admin
        .post(
            &format!("/api/v1/admin/users/{}/deactivate", leaver.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "deactivated");

    assert_eq!(
        app.get_as(&leaver_session.access_token, "/api/v1/auth/me")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.refresh(&leaver_session.refresh_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&leaver.email, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // The login name can be given to a new person.
    let (status, body) = admin
        .post(
            "/api/v1/admin/users",
            &json!({"email": leaver.email, "display_name": "Seuraaja", "roles": ["coach"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The old account stays, attributable.
    let (status, old) = admin.get(&format!("/api/v1/admin/users/{}", leaver.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(old["status"], "deactivated");
    assert!(old["deactivated_at"].is_string());
}

#[tokio::test]
async fn an_admin_can_end_a_users_sessions_without_deactivating() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&user).await;
    let (status, _) = admin
        .post(
            &format!("/api/v1/admin/users/{}/end-sessions", user.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_as(&session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status(),
        StatusCode::OK,
        "the account itself stays"
    );
}

#[tokio::test]
async fn deactivation_on_one_instance_stops_the_token_on_another_at_the_next_request() {
    let a = TestApp::spawn().await;
    let b = a.another_instance().await;
    let org = a.organisation("Kunta A").await;
    let admin = a.session(&a.user(&org, &[Role::Admin]).await).await;
    let user = a.user(&org, &[Role::Coach]).await;
    let session = a.session(&user).await;
    assert_eq!(
        b.get_as(&session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK,
        "B accepts A's token"
    );

    let (status, _) = a
        .send_as(
            &admin.access_token,
            Method::POST,
            &format!("/api/v1/admin/users/{}/deactivate", user.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        b.get_as(&session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin_user = app.user(&org, &[Role::Admin]).await;
    let admin = app.session(&admin_user).await;
    let (status, _) = app
        .send_as(
            &admin.access_token,
            Method::POST,
            &format!("/api/v1/admin/users/{}/deactivate", admin_user.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app
        .send_as(
            &admin.access_token,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", admin_user.id),
            &json!({"roles": ["coach"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        app.get_as(&admin.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_stale_if_match_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let user = app.user(&org, &[Role::Coach]).await;
    let path = format!("/api/v1/admin/users/{}", user.id);
    let response = admin.request(Method::GET, &path).send().await.unwrap();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();

    let first = admin
        .request(Method::PATCH, &path)
        .header("if-match", &etag)
        .json(&json!({"display_name": "Ensimmäinen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_ne!(first.headers()["etag"].to_str().unwrap(), etag);
    let stale = admin
        .request(Method::PATCH, &path)
        .header("if-match", &etag)
        .json(&json!({"display_name": "Toinen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let (_, now) = admin.get(&path).await;
    assert_eq!(now["display_name"], "Ensimmäinen");
    let bad = admin
        .request(Method::PATCH, &path)
        .header("if-match", "yesterday")
        .json(&json!({"display_name": "Kolmas"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

/// Authentication begins the transaction the handler continues; a request that ends
/// before the handler takes it (a 403, a 422) rolls it back, so no connection goes back to
/// the pool inside a transaction, and the next requests work.
#[tokio::test]
async fn a_request_that_fails_after_authentication_leaves_no_open_transaction() {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let app = TestApp::spawn().await;
    let org = app.organisation("Transaktiokunta").await;
    let coach = app.user_in_units(&org, &[Role::Coach], &[org.unit_id]).await;
    let coach = app.session(&coach).await;
    for _ in 0..20 {
        let (status, _) = app.get_as(&coach.access_token, "/api/v1/audit/events").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app
            .send_as(
                &coach.access_token,
                Method::POST,
                "/api/v1/clients",
                &json!({"unit_id": org.unit_id,
                "first_names": "", "last_name": "X", "birth_date": "1990-01-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut db = app.superuser().await;
    let open: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND usename <> current_user
           AND state LIKE 'idle in transaction%'",
    )
    .get_result(&mut db)
    .await
    .unwrap();
    assert_eq!(open.n, 0);
    let (status, me) = app.get_as(&coach.access_token, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let client = app.client(&coach.access_token, org.unit_id, "Jatkuu").await;
    let (status, _) = app
        .get_as(&coach.access_token, &format!("/api/v1/clients/{client}"))
        .await;
    assert_eq!(status, StatusCode::OK);
}
