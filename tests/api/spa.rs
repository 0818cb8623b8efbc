//! The built single-page app is served at `/` with client-side-route fallback.

use polku_tests::TestApp;
use polku_tests::fixtures::content_type;
use reqwest::StatusCode;

#[tokio::test]
async fn root_serves_index_html_revalidated() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).starts_with("text/html"));
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(response.text().await.unwrap().contains("<div id=\"root\">"));
}

#[tokio::test]
async fn client_side_routes_fall_back_to_index_html() {
    let app = TestApp::spawn().await;
    let index = std::fs::read_to_string(app.frontend_dir.join("index.html")).unwrap();
    for path in [
        "/clients",
        "/clients/0192f0c1-aaaa-7bbb-8ccc-123456789abc/periods",
        "/fi/asetukset?tab=2",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache");
        assert_eq!(response.text().await.unwrap(), index, "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year() {
    let app = TestApp::spawn().await;
    let response = app.get("/assets/index-abc123.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(content_type(&response).contains("javascript"));
}

#[tokio::test]
async fn a_missing_asset_is_404_not_the_app() {
    let app = TestApp::spawn().await;
    let response = app.get("/assets/index-missing.js").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn path_traversal_does_not_escape_the_frontend_directory() {
    let app = TestApp::spawn().await;
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/assets/..%2f..%2fetc%2fpasswd",
    ] {
        let response = app.get(path).await;
        let body = response.text().await.unwrap();
        assert!(!body.contains("root:"), "{path} leaked a file");
        assert!(!body.contains("[workspace]"), "{path} leaked a file");
    }
}
