//! Every malformed input gets one RFC 9457 problem+json shape.

use polku_tests::TestApp;
use polku_tests::probe::JSON_LIMIT;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

async fn problem(response: Response, status: StatusCode, problem_type: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], format!("urn:polku:problem:{problem_type}"));
    assert_eq!(body["status"], status.as_u16());
    assert!(body["title"].is_string() && body["detail"].is_string(), "{body}");
    body
}

fn echo(app: &TestApp) -> reqwest::RequestBuilder {
    app.request(Method::POST, "/api/_probe/echo")
}

#[tokio::test]
async fn a_valid_body_passes_the_shared_extractors() {
    let app = TestApp::spawn().await;
    let response = echo(&app)
        .json(&json!({"name": "Aino", "count": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"name": "Aino", "count": 3})
    );
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = TestApp::spawn().await;
    let response = echo(&app)
        .header("content-type", "application/json")
        .body(r#"{"name": "Aino", "count": "#)
        .send()
        .await
        .unwrap();
    problem(response, StatusCode::BAD_REQUEST, "malformed-json").await;
}

#[tokio::test]
async fn unknown_field_is_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let response = echo(&app)
        .json(&json!({"name": "Aino", "count": 3, "admin": true}))
        .send()
        .await
        .unwrap();
    let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(body["errors"][0]["field"], "admin");
    assert_eq!(body["errors"][0]["code"], "unknown_field");
}

#[tokio::test]
async fn missing_field_and_wrong_type_are_422() {
    let app = TestApp::spawn().await;
    let response = echo(&app).json(&json!({"count": 3})).send().await.unwrap();
    let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(body["errors"][0]["field"], "name");
    assert_eq!(body["errors"][0]["code"], "required");

    let response = echo(&app)
        .json(&json!({"name": "Aino", "count": -1}))
        .send()
        .await
        .unwrap();
    let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(body["errors"][0]["code"], "invalid_value");
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let app = TestApp::spawn().await;
    let response = echo(&app)
        .header("content-type", "text/plain")
        .body(r#"{"name": "Aino", "count": 3}"#)
        .send()
        .await
        .unwrap();
    problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
    )
    .await;
}

#[tokio::test]
async fn oversized_body_is_413() {
    let app = TestApp::spawn().await;
    let big = "x".repeat(JSON_LIMIT + 1);
    let response = echo(&app)
        .json(&json!({"name": big, "count": 1}))
        .send()
        .await
        .unwrap();
    let body = problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large").await;
    assert!(body["detail"].as_str().unwrap().contains(&JSON_LIMIT.to_string()));
}

#[tokio::test]
async fn oversized_chunked_body_is_413() {
    let app = TestApp::spawn().await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(b"{\"name\":\"".to_vec()),
        Ok(vec![b'x'; JSON_LIMIT + 1]),
        Ok(b"\",\"count\":1}".to_vec()),
    ];
    let response = echo(&app)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_stream(chunks)))
        .send()
        .await
        .unwrap();
    problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large").await;
}

fn futures_stream(
    chunks: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    futures_util::stream::iter(chunks)
}

#[tokio::test]
async fn bad_path_parameter_is_400() {
    let app = TestApp::spawn().await;
    let ok = app
        .get(&format!("/api/_probe/items/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let response = app.get("/api/_probe/items/not-a-uuid").await;
    problem(response, StatusCode::BAD_REQUEST, "invalid-path-parameter").await;
}

#[tokio::test]
async fn bad_query_parameter_is_400() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get("/api/_probe/items?limit=10").await.status(),
        StatusCode::OK
    );
    for query in ["limit=ten", "limit=-1", "limit=10&sort=evil", ""] {
        let response = app.get(&format!("/api/_probe/items?{query}")).await;
        problem(response, StatusCode::BAD_REQUEST, "invalid-query-parameter").await;
    }
}

#[tokio::test]
async fn unknown_api_route_is_404_problem_not_the_spa() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/nothing", "/api/v2/clients", "/api", "/api/"] {
        let response = app.get(path).await;
        problem(response, StatusCode::NOT_FOUND, "not-found").await;
    }
    let response = app
        .request(Method::DELETE, "/api/v1/nothing")
        .send()
        .await
        .unwrap();
    problem(response, StatusCode::NOT_FOUND, "not-found").await;
}

#[tokio::test]
async fn unsupported_method_is_a_404_problem_too() {
    let app = TestApp::spawn().await;
    for (method, path) in [
        (Method::PUT, "/api/_probe/echo"),
        (Method::POST, "/readyz"),
        (Method::POST, "/clients"),
    ] {
        let response = app.request(method, path).send().await.unwrap();
        problem(response, StatusCode::NOT_FOUND, "not-found").await;
    }
}
