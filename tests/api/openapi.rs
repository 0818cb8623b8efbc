//! The spec is served, browsable, and the committed copy matches the code.

use polku_tests::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn served_spec_is_the_generated_one() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let served: Value = response.json().await.unwrap();
    let generated = serde_json::to_value(polku::startup::spec()).unwrap();
    assert_eq!(served, generated);
    assert!(served["paths"]["/readyz"]["get"]["responses"]["503"].is_object());
    assert!(served["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn committed_spec_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("openapi/openapi.json exists")).unwrap();
    let generated = serde_json::to_value(polku::startup::spec()).unwrap();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `make openapi` and commit the result"
    );
}

#[tokio::test]
async fn api_docs_are_served_locally() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/docs/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://unpkg") && !html.contains("cdn"),
        "no CDN: {html}"
    );
    let initializer = app.get("/api/docs/swagger-initializer.js").await;
    assert_eq!(initializer.status(), StatusCode::OK);
    assert!(initializer.text().await.unwrap().contains("/api/openapi.json"));
}

#[tokio::test]
async fn api_docs_without_the_slash_redirects() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/docs").await;
    assert!(response.status().is_redirection());
    assert_eq!(response.headers()["location"], "/api/docs/");
}

/// Every `$ref` in the document points at something in it; a dangling one breaks the
/// frontend's type generation and any integrator's client generator.
#[test]
fn every_reference_in_the_spec_resolves() {
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    out.push(target);
                }
                map.values().for_each(|inner| refs(inner, out));
            }
            Value::Array(items) => items.iter().for_each(|inner| refs(inner, out)),
            _ => {}
        }
    }
    let spec = serde_json::to_value(polku::startup::spec()).unwrap();
    let mut found = Vec::new();
    refs(&spec, &mut found);
    assert!(found.len() > 10, "the spec uses references: {}", found.len());
    let dangling: Vec<&str> = found
        .into_iter()
        .filter(|target| {
            let pointer = target.strip_prefix('#').expect("local reference");
            spec.pointer(pointer).is_none()
        })
        .collect();
    assert!(dangling.is_empty(), "dangling references: {dangling:?}");
}
