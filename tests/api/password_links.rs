//! Links for setting a password that an admin produces for someone else travel to that
//! person's e-mail, never through the admin — unless the instance has no e-mail, and then
//! the event says the link was shown.

use polku::permissions::Role;
use polku_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn token_in(text: &str) -> String {
    let start = text.rfind("#token=").expect("a link in the mail") + "#token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.')
        .collect()
}

#[tokio::test]
async fn a_password_link_for_another_user_goes_to_their_email_not_to_the_admin() {
    let mail = tempfile::tempdir().unwrap();
    let outbox = mail.path().join("outbox");
    let command = format!("cat >> '{}'", outbox.display());
    let app = TestApp::spawn_with(|settings| {
        settings.mail_command = vec!["sh".to_owned(), "-c".to_owned(), command];
        settings.mail_from = "polku@kunta.test".to_owned();
    })
    .await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;

    // An invitation.
    let (status, created) = admin
        .post(
            "/api/v1/admin/users",
            &json!({"email": "uusi@kunta.test", "display_name": "Uusi Ohjaaja", "roles": ["coach"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["invitation"]["delivery"], "email", "{created}");
    assert!(created["invitation"].get("url").is_none(), "{created}");
    let sent = std::fs::read_to_string(&outbox).unwrap();
    assert!(sent.contains("To: uusi@kunta.test"), "{sent}");

    // A manager's MFA reset and a new link: the admin learns neither the link nor its token.
    let manager = app.user(&org, &[Role::Manager]).await;
    let (status, _) = admin
        .post(
            &format!("/api/v1/admin/users/{}/reset-mfa", manager.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, link) = admin
        .post(
            &format!("/api/v1/admin/users/{}/password-link", manager.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert_eq!(link["delivery"], "email", "{link}");
    assert!(link.get("url").is_none(), "{link}");
    assert!(!link.to_string().contains("token"), "{link}");

    let sent = std::fs::read_to_string(&outbox).unwrap();
    let to_manager = &sent[sent.rfind("To: ").unwrap()..];
    assert!(
        to_manager.starts_with(&format!("To: {}", manager.email)),
        "{sent}"
    );
    let token = token_in(to_manager);
    let response = app
        .request(Method::POST, "/api/v1/auth/password/set")
        .json(&json!({"token": token, "new_password": "ilves kiipeää korkealle puuhun"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "the mailed link works");

    let events = app.events_where(org.id, "action = 'password_link_issued'").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["details"]["delivery"], "email", "{}", events[0]);
}

#[tokio::test]
async fn without_email_the_link_is_shown_once_and_the_event_says_so() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let admin = app.sign_in(&org, &[Role::Admin]).await;
    let coach = app.user(&org, &[Role::Coach]).await;
    let (status, link) = admin
        .post(
            &format!("/api/v1/admin/users/{}/password-link", coach.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert_eq!(link["delivery"], "shown", "{link}");
    assert!(link["url"].as_str().unwrap().contains("#token="));
    let events = app.events_where(org.id, "action = 'password_link_issued'").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["details"]["delivery"], "shown", "{}", events[0]);
}
