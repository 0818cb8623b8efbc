//! Clients that trickle or stall their request bodies cannot take the database pool from
//! everyone else.

use std::io::{Read, Write};
use std::net::TcpStream;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use polku::permissions::Role;
use polku_tests::TestApp;
use reqwest::StatusCode;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

/// Sends the head of an authenticated POST and half of its body, then stalls.
fn stall(address: &str, token: &str) -> TcpStream {
    let half = br#"{"last_name": "Hi"#;
    let head = format!(
        "POST /api/v1/clients/search HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        half.len() * 2
    );
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.write_all(head.as_bytes()).expect("head");
    stream.write_all(half).expect("half a body");
    stream.flush().expect("flush");
    stream
}

#[tokio::test]
async fn stalled_request_bodies_do_not_drain_the_pool() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Hidas kunta").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&user).await;
    let address = app.address.trim_start_matches("http://").to_owned();

    // 32 signed-in requests send half a body and stall (the test pool has 4 connections).
    let stalled: Vec<TcpStream> = (0..32).map(|_| stall(&address, &session.access_token)).collect();

    // Meanwhile everyone else is served: 200 ordinary authenticated requests, each needing
    // a connection from the pool.
    for i in 0..200 {
        let (status, body) = app.get_as(&session.access_token, "/api/v1/auth/me").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "ordinary request {i} while 32 bodies stall: {body}"
        );
    }

    // No session of the app's database sits idle in a transaction while the bodies stall
    // (before the fix, each stalled request held one, and PostgreSQL kept it open).
    let mut superuser = app.superuser().await;
    let idle: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    )
    .get_result(&mut superuser)
    .await
    .expect("pg_stat_activity");
    assert_eq!(idle.n, 0, "sessions idle in a transaction while bodies stall");

    // And a transaction left idle all the same would be ended by PostgreSQL: every
    // connection the app makes carries the session limits.
    let mut runtime = app.runtime_role().await;
    for (name, expected) in [
        ("idle_in_transaction_session_timeout", "10s"),
        ("statement_timeout", "30s"),
    ] {
        let setting: Setting = diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
            .get_result(&mut runtime)
            .await
            .expect("setting");
        assert_eq!(setting.value, expected, "{name}");
    }
    drop(stalled);
}

#[tokio::test]
async fn a_body_that_stalls_past_the_body_timeout_is_408_and_holds_nothing() {
    let app = TestApp::spawn_with(|settings| settings.body_timeout_secs = 1).await;
    let org = app.organisation("Hidas kunta").await;
    let user = app.user(&org, &[Role::Coach]).await;
    let session = app.session(&user).await;
    let address = app.address.trim_start_matches("http://").to_owned();

    let mut stream = stall(&address, &session.access_token);
    // The answer comes without the rest of the body (before the fix, never: the request
    // waited for its body, holding a connection, until this read gave up).
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("read timeout");
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .expect("an answer, then the connection closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("urn:polku:problem:request-timeout"), "{answer}");

    let (status, _) = app.get_as(&session.access_token, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK);
}
