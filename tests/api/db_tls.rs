//! TLS to PostgreSQL, as the connection URL asks for it, against a real server with
//! `ssl=on` that refuses connections without TLS.

use polku::db;
use polku::embedded::{EmbeddedPostgres, TlsListener};
use polku_tests::{TestApp, embedded_options};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use reqwest::StatusCode;
use secrecy::SecretString;

/// A CA and a server certificate for `localhost` only, signed by it: (CA PEM, server
/// certificate PEM, server key PEM).
fn certificates() -> (String, String, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "Polku test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_certificate = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);

    let server_key = KeyPair::generate().unwrap();
    let mut server = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    server.distinguished_name.push(DnType::CommonName, "localhost");
    let server_certificate = server.signed_by(&server_key, &issuer).unwrap();
    (
        ca_certificate.pem(),
        server_certificate.pem(),
        server_key.serialize_pem(),
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn connections_to_postgres_use_verified_tls_when_the_url_asks() {
    let dir = tempfile::Builder::new()
        .prefix("polku-test-tls-")
        .tempdir()
        .unwrap();
    let (ca, certificate, key) = certificates();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let port = free_port();
    let cluster = EmbeddedPostgres::start_with_tls(
        &dir.path().join("data"),
        &embedded_options(),
        &TlsListener {
            port,
            certificate_pem: certificate,
            key_pem: key,
        },
    )
    .await
    .expect("PostgreSQL with ssl=on");
    let url = |user: &str, host: &str, query: &str| {
        SecretString::from(format!("postgresql://{user}@{host}:{port}/polku?{query}"))
    };
    let verify_full = format!("sslmode=verify-full&sslrootcert={}", ca_file.display());

    // verify-full to the name in the certificate: migrations (owner) and the server's
    // pool (runtime role) both connect, and the server is ready.
    let owner = url("polku_owner", "localhost", &verify_full);
    let app_url = url("polku_app", "localhost", &verify_full);
    db::run_migrations(&owner).await.expect("migrations over TLS");
    let app = TestApp::spawn_on(owner.clone(), app_url.clone()).await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    db::connect_as_owner(&owner)
        .await
        .expect("owner connection over TLS");

    // verify-full to a name the certificate does not hold fails; verify-ca (the chain
    // only) to the same address works.
    let wrong_name = db::connect_as_app(&url("polku_app", "127.0.0.1", &verify_full)).await;
    let Err(error) = wrong_name else {
        panic!("verify-full connected to a name not in the certificate");
    };
    let error = format!("{error:#}");
    assert!(error.contains("certificate"), "{error}");
    let verify_ca = format!("sslmode=verify-ca&sslrootcert={}", ca_file.display());
    db::connect_as_app(&url("polku_app", "127.0.0.1", &verify_ca))
        .await
        .expect("verify-ca checks the chain, not the name");

    // A CA that did not sign the server's certificate is refused.
    let (other_ca, _, _) = certificates();
    let other_ca_file = dir.path().join("other-ca.pem");
    std::fs::write(&other_ca_file, other_ca).unwrap();
    let other = format!("sslmode=verify-full&sslrootcert={}", other_ca_file.display());
    assert!(
        db::connect_as_app(&url("polku_app", "localhost", &other))
            .await
            .is_err()
    );

    // Without TLS the server (hostssl only) refuses the connection.
    for plain in ["", "sslmode=disable", "sslmode=prefer"] {
        assert!(
            db::connect_as_app(&url("polku_app", "localhost", plain))
                .await
                .is_err(),
            "connected without TLS ({plain:?})"
        );
    }
    drop(app);
    cluster.stop().unwrap();
}
