use polku_tests::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_answers_without_touching_the_database() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_is_ok_on_a_migrated_database() {
    let app = TestApp::spawn().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn every_response_has_a_request_id_and_security_headers() {
    let app = TestApp::spawn().await;
    let first = app.get("/healthz").await;
    let second = app.get("/api/v1/nothing-here").await;
    for response in [&first, &second] {
        let headers = response.headers();
        let id = headers
            .get("x-request-id")
            .expect("x-request-id")
            .to_str()
            .unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "request id {id} is a UUID");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "HSTS is off unless configured"
        );
    }
    assert_ne!(first.headers()["x-request-id"], second.headers()["x-request-id"]);
}

#[tokio::test]
async fn cors_is_closed_by_default() {
    let app = TestApp::spawn().await;
    let response = app
        .request(reqwest::Method::OPTIONS, "/readyz")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("access-control-allow-origin").is_none());
    let response = app.get("/readyz").await;
    assert!(response.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn readyz_is_503_while_the_database_is_down_and_recovers_without_restart() {
    let mut app = TestApp::spawn_with_private_cluster().await;
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);

    app.stop_database();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0);
    let body = response.text().await.unwrap();
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["type"], "urn:polku:problem:database-unavailable");
    assert_eq!(problem["status"], 503);
    for internal in ["socket", "postgres", "connection refused", "No such file", "/tmp"] {
        assert!(
            !body.to_lowercase().contains(&internal.to_lowercase()),
            "body leaks {internal:?}: {body}"
        );
    }

    app.start_database().await;
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        status = app.get("/readyz").await.status();
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        status,
        StatusCode::OK,
        "the same server recovers once the database is back"
    );
}

#[tokio::test]
async fn readyz_is_503_on_a_database_that_is_not_migrated() {
    use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    use secrecy::ExposeSecret;
    let app = TestApp::spawn().await;
    let mut conn = AsyncPgConnection::establish(app.owner_url.expose_secret())
        .await
        .unwrap();
    conn.batch_execute("DELETE FROM __diesel_schema_migrations")
        .await
        .unwrap();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:polku:problem:database-not-migrated");
}
