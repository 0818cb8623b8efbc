//! Integrators: API clients, the client-credentials grant, scopes.

use base64::Engine;
use polku::permissions::Role;
use polku_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn an_api_client_gets_scoped_tokens_that_work_only_for_its_scopes() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let (status, created) = admin
        .create_api_client(&json!({"name": "PAR", "scopes": ["units:read"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let client_id = created["client"]["client_id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();

    let (status, issued) = app
        .oauth_token(&[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    assert_eq!(issued["token_type"], "Bearer");
    assert_eq!(issued["scope"], "units:read");
    let access = issued["access_token"].as_str().unwrap();
    let (status, units) = app.get_as(access, "/api/v1/units").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(units["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get_as(access, "/api/v1/admin/users").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as(access, "/api/v1/auth/me").await.0,
        StatusCode::FORBIDDEN
    );

    // HTTP Basic works too.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"));
    let response = app
        .request(Method::POST, "/api/v1/oauth/token")
        .header("authorization", format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // The list never shows a secret.
    let (_, list) = admin.get("/api/v1/admin/api-clients").await;
    assert!(!list.to_string().contains(&secret));
    assert!(!list.to_string().contains("secret_hash"));
}

/// Form fields, expected status, expected `error`.
type Case<'a> = (Vec<(&'a str, &'a str)>, StatusCode, &'a str);

#[tokio::test]
async fn token_endpoint_errors_follow_rfc_6749() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let (_, created) = admin
        .create_api_client(&json!({"name": "PAR", "scopes": ["units:read"]}))
        .await;
    let client_id = created["client"]["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();

    let cases: Vec<Case> = vec![
        (
            vec![
                ("grant_type", "password"),
                ("client_id", client_id),
                ("client_secret", secret),
            ],
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
        ),
        (
            vec![("grant_type", "client_credentials")],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", "wrong"),
            ],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", "polku_nobody"),
                ("client_secret", secret),
            ],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
                ("scope", "statistics:read"),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_scope",
        ),
    ];
    for (form, status, error) in cases {
        let (got, body) = app.oauth_token(&form).await;
        assert_eq!(
            (got, body["error"].as_str().unwrap_or_default()),
            (status, error),
            "{form:?}: {body}"
        );
    }
}

#[tokio::test]
async fn rotating_the_secret_and_revoking_the_client_take_effect_at_once() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    // Attendance reaches clients: a manager's integration (and secret) to manage.
    let admin = app.sign_in(&org, &[Role::Manager]).await;
    let (_, created) = admin
        .create_api_client(&json!({"name": "Palkat", "scopes": ["units:read", "attendance:write"]}))
        .await;
    let id = created["client"]["id"].as_str().unwrap();
    let client_id = created["client"]["client_id"].as_str().unwrap();
    let old_secret = created["client_secret"].as_str().unwrap();

    let (status, rotated) = admin
        .post(
            &format!("/api/v1/admin/api-clients/{id}/rotate-secret"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let new_secret = rotated["client_secret"].as_str().unwrap();
    let form = |secret: &str| {
        vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", client_id.to_owned()),
            ("client_secret", secret.to_owned()),
        ]
    };
    let old: Vec<(&str, String)> = form(old_secret);
    let old: Vec<(&str, &str)> = old.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.oauth_token(&old).await.0, StatusCode::UNAUTHORIZED);
    let new: Vec<(&str, String)> = form(new_secret);
    let new: Vec<(&str, &str)> = new.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, issued) = app.oauth_token(&new).await;
    assert_eq!(status, StatusCode::OK);
    let access = issued["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get_as(&access, "/api/v1/units").await.0, StatusCode::OK);

    let (status, _) = admin
        .post(&format!("/api/v1/admin/api-clients/{id}/revoke"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.get_as(&access, "/api/v1/units").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.oauth_token(&new).await.0, StatusCode::UNAUTHORIZED);
}
