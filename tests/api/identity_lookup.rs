//! Searching by identity code is a use of the identity code: it needs the reveal
//! permission, every lookup is logged (hit, miss, refused or throttled), a burst of misses
//! is refused with 429 and shows in the DPO's report of unusual access, and the masks show
//! no more than the birth date (identity code) and the country and last two characters
//! (IBAN).

use polku_tests::world::{Staff, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The client's code: the attacker sees `131052-****` and knows she is a woman.
const CODE: &str = "131052-308T";

async fn world() -> World {
    World::builder("Hakukunta").with(&[Staff::Dpo]).spawn().await
}

/// Every identity code that a masked code `DDMMYYC****` and the sex leave possible:
/// individual numbers 002–899 of the right parity, each with its check character.
fn candidates(masked: &str, even: bool) -> Vec<String> {
    const CHECK: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let (date, sign) = (&masked[..6], &masked[6..7]);
    (2..=899u32)
        .filter(|n| (n % 2 == 0) == even)
        .map(|n| {
            let number: u64 = format!("{date}{n:03}").parse().unwrap();
            let check = CHECK[usize::try_from(number % 31).unwrap()] as char;
            format!("{date}{sign}{n:03}{check}")
        })
        .collect()
}

/// Creates the client and returns its masked code as a list shows it.
async fn client_with_code(w: &World) -> String {
    let (status, body) = w
        .coach()
        .create_client(&json!({"unit_id": w.org.unit_id, "first_names": "Aino",
                                "last_name": "Tunnuksellinen", "personal_identity_code": CODE,
                                "iban": "FI21 1234 5600 0007 85"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["personal_identity_code"].as_str().unwrap().to_owned()
}

fn outcomes(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["details"]["outcome"].as_str().unwrap_or("?"))
        .collect()
}

#[tokio::test]
async fn an_integrator_without_reveal_cannot_recover_an_identity_code() {
    let w = world().await;
    let masked = client_with_code(&w).await;
    assert_eq!(masked, "131052-****");
    let integrator = w.integrator(&["clients:read"]).await;
    // It sees the client and the mask, like any reader.
    let (status, list) = integrator.get("/api/v1/clients").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["items"][0]["personal_identity_code"], masked);

    let candidates = candidates(&masked, true);
    assert!(candidates.len() > 400 && candidates.iter().any(|c| c == CODE));
    for candidate in &candidates {
        let (status, body) = integrator
            .search_clients(&json!({"personal_identity_code": candidate}))
            .await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::TOO_MANY_REQUESTS,
            "{candidate}: {status} {body}"
        );
        assert!(!body.to_string().contains("Tunnuksellinen"));
    }
    // Every attempt is in the log as a lookup by identity code, refused.
    let events = w
        .app
        .events_where(
            w.org.id,
            "category = 'client' AND action = 'lookup' AND actor_api_client_id IS NOT NULL",
        )
        .await;
    assert_eq!(events.len(), candidates.len());
    assert!(outcomes(&events).iter().all(|o| *o == "refused"));
    assert!(
        events
            .iter()
            .all(|e| e["fields"] == json!(["personal_identity_code"]))
    );
    // The DPO sees the refused lookups as unusual access.
    let (status, report) = w.dpo().get("/api/v1/audit/unusual-access").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let lookups = report["identity_code_lookups"].as_array().unwrap();
    assert_eq!(lookups.len(), 1, "{report}");
    assert!(lookups[0]["api_client_id"].is_string());
    assert_eq!(lookups[0]["refused"], candidates.len());
}

#[tokio::test]
async fn a_burst_of_identity_code_misses_is_throttled_long_before_success() {
    let w = world().await;
    let masked = client_with_code(&w).await;
    let coach = w.coach();
    let candidates = candidates(&masked, true);
    let position = candidates.iter().position(|c| c == CODE).unwrap();
    assert!(position > polku::clients::lookup::MISSES_PER_WINDOW as usize * 10);

    let mut first_throttled = None;
    for (index, candidate) in candidates.iter().enumerate().take(position + 1) {
        let response = coach
            .request(Method::POST, "/api/v1/clients/search")
            .json(&json!({"personal_identity_code": candidate}))
            .send()
            .await
            .unwrap();
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            first_throttled.get_or_insert(index);
            let retry_after: u64 = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .expect("Retry-After");
            assert!((1..=u64::from(polku::clients::lookup::WINDOW_SECONDS)).contains(&retry_after));
            assert_eq!(response.headers()["content-type"], "application/problem+json");
        } else {
            assert_eq!(status, StatusCode::OK, "{candidate}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["items"], json!([]), "{candidate} found before the throttle");
            assert!(first_throttled.is_none(), "a lookup after the throttle answered");
        }
    }
    // Throttled after the allowed misses, and the right code never answered.
    assert_eq!(
        first_throttled,
        Some(polku::clients::lookup::MISSES_PER_WINDOW as usize)
    );
    // Every attempt is in the log: the misses, then the refusals.
    let events = w
        .app
        .events_where(
            w.org.id,
            &format!(
                "category = 'client' AND action = 'lookup' AND actor_user_id = '{}'",
                coach.id()
            ),
        )
        .await;
    assert_eq!(events.len(), position + 1);
    let outcomes = outcomes(&events);
    let allowed = polku::clients::lookup::MISSES_PER_WINDOW as usize;
    assert!(outcomes[..allowed].iter().all(|o| *o == "miss"), "{outcomes:?}");
    assert!(
        outcomes[allowed..].iter().all(|o| *o == "throttled"),
        "{outcomes:?}"
    );
    // A name search still works; the throttle is on identity codes.
    let (status, _) = coach.search_clients(&json!({"q": "Tunnuksellinen"})).await;
    assert_eq!(status, StatusCode::OK);
    // The burst is in the DPO's report of unusual access.
    let (status, report) = w.dpo().get("/api/v1/audit/unusual-access").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let lookups = report["identity_code_lookups"].as_array().unwrap();
    assert_eq!(lookups.len(), 1, "{report}");
    assert_eq!(lookups[0]["user_id"], coach.id().to_string());
    assert_eq!(lookups[0]["misses"], allowed);
    assert_eq!(lookups[0]["refused"], position + 1 - allowed);
}

#[tokio::test]
async fn a_permitted_lookup_is_logged_hit_or_miss() {
    let w = world().await;
    client_with_code(&w).await;
    let coach = w.coach();
    let (status, found) = coach
        .search_clients(&json!({"personal_identity_code": "131052-310V"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["items"], json!([]));
    let (status, found) = coach
        .search_clients(&json!({"personal_identity_code": CODE}))
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let id = found["items"][0]["id"].as_str().unwrap().to_owned();
    let events = w
        .app
        .events_where(w.org.id, "category = 'client' AND action = 'lookup'")
        .await;
    assert_eq!(outcomes(&events), ["miss", "hit"]);
    assert_eq!(events[0]["client_ids"], json!([]));
    assert_eq!(events[1]["client_ids"], json!([id]));
    assert!(
        events.iter().all(|e| e["actor_user_id"] == coach.id().to_string()
            && e["fields"] == json!(["personal_identity_code"]))
    );
    // An integrator given `clients:lookup` besides `clients:read` looks up too, logged.
    let integrator = w.integrator(&["clients:read", "clients:lookup"]).await;
    let (status, found) = integrator
        .search_clients(&json!({"personal_identity_code": CODE}))
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["items"][0]["id"], id.as_str());
    let events = w
        .app
        .events_where(w.org.id, "action = 'lookup' AND actor_api_client_id IS NOT NULL")
        .await;
    assert_eq!(outcomes(&events), ["hit"]);
    // An invalid code reveals nothing and is refused before any search.
    let (status, _) = coach
        .search_clients(&json!({"personal_identity_code": "131052-308U"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn masks_show_the_birth_date_and_the_accounts_country_and_last_two() {
    let w = world().await;
    let masked = client_with_code(&w).await;
    assert_eq!(masked, "131052-****");
    let (_, list) = w.coach().get("/api/v1/clients").await;
    assert_eq!(list["items"][0]["iban"], "FI** **** **** **** 85");
}
