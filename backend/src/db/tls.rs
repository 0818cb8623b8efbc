//! TLS to PostgreSQL as the connection URL asks for it, with rustls: `sslmode=require`
//! (encrypted; the certificate is checked against `sslrootcert` when one is given),
//! `verify-ca` (the certificate chains to `sslrootcert`) and `verify-full` (it also names
//! the host connected to). `disable`, `allow` and `prefer` (and no `sslmode` at all)
//! connect without TLS, for the embedded cluster's unix socket and private networks.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use diesel::ConnectionError;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// What the URL's `sslmode` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No TLS (`disable`, `allow`, `prefer`, or none given).
    Plain,
    /// Encrypted; verified against `sslrootcert` only if one is given.
    Require,
    /// The certificate chains to `sslrootcert`; any host name.
    VerifyCa,
    /// The certificate chains to `sslrootcert` and names the host.
    VerifyFull,
}

/// Where to connect and how: the URL as tokio-postgres understands it, and the TLS
/// client configuration if TLS is asked for.
pub(super) struct Target {
    pub(super) config: tokio_postgres::Config,
    pub(super) tls: Option<ClientConfig>,
}

impl Target {
    /// Reads `sslmode` and `sslrootcert` from a `postgres://` URL (tokio-postgres knows
    /// neither `verify-*` nor `sslrootcert`) and passes the rest on unchanged.
    pub(super) fn parse(url: &str) -> Result<Self, ConnectionError> {
        let invalid = |message: String| ConnectionError::InvalidConnectionUrl(message);
        let mut parsed = url::Url::parse(url)
            .map_err(|error| invalid(format!("the database URL does not parse: {error}")))?;
        let mut mode = Mode::Plain;
        let mut root_cert: Option<PathBuf> = None;
        let mut rest: Vec<(String, String)> = Vec::new();
        for (key, value) in parsed.query_pairs() {
            match &*key {
                "sslmode" => {
                    mode = match &*value {
                        "disable" | "allow" | "prefer" => Mode::Plain,
                        "require" => Mode::Require,
                        "verify-ca" => Mode::VerifyCa,
                        "verify-full" => Mode::VerifyFull,
                        other => return Err(invalid(format!("unknown sslmode `{other}`"))),
                    };
                }
                "sslrootcert" => root_cert = Some(PathBuf::from(&*value)),
                _ => rest.push((key.into_owned(), value.into_owned())),
            }
        }
        set_query(&mut parsed, &rest);
        let mut config: tokio_postgres::Config = parsed
            .as_str()
            .parse()
            .map_err(|error: tokio_postgres::Error| invalid(error.to_string()))?;
        let tls = match mode {
            Mode::Plain => {
                config.ssl_mode(tokio_postgres::config::SslMode::Disable);
                None
            }
            _ => {
                config.ssl_mode(tokio_postgres::config::SslMode::Require);
                Some(client_config(mode, root_cert.as_deref()).map_err(invalid)?)
            }
        };
        Ok(Self { config, tls })
    }
}

/// Replaces the URL's query with `pairs`, percent-encoded as libpq and tokio-postgres
/// read them (a space as `%20`, never `+`).
pub(super) fn set_query(url: &mut url::Url, pairs: &[(String, String)]) {
    if pairs.is_empty() {
        url.set_query(None);
        return;
    }
    let query = pairs
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    url.set_query(Some(&query));
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The *ring* provider: pure Rust and assembly, no C toolchain or cmake to build (as
/// aws-lc-rs needs). It lacks the post-quantum key exchange, which rustls marks by
/// deprecating it.
#[expect(
    deprecated,
    reason = "ring's provider without post-quantum key exchange is enough for a database link"
)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn client_config(mode: Mode, root_cert: Option<&Path>) -> Result<ClientConfig, String> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?;
    let verifier: Arc<dyn ServerCertVerifier> = match (mode, root_cert) {
        (Mode::Plain | Mode::Require, None) => Arc::new(EncryptOnly {
            algorithms: provider.signature_verification_algorithms,
        }),
        (Mode::VerifyCa | Mode::VerifyFull, None) => {
            return Err(
                "sslmode=verify-ca and verify-full need sslrootcert=FILE (the CA certificate(s) \
                        in PEM; the system's bundle, e.g. /etc/ssl/certs/ca-certificates.crt, for a \
                        publicly signed server)"
                    .to_owned(),
            );
        }
        (_, Some(path)) => {
            let chain = chain_verifier(path, provider)?;
            if mode == Mode::VerifyFull {
                chain
            } else {
                // libpq's `require` with a root certificate is `verify-ca`.
                Arc::new(AnyName { inner: chain })
            }
        }
    };
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

fn chain_verifier(path: &Path, provider: Arc<CryptoProvider>) -> Result<Arc<dyn ServerCertVerifier>, String> {
    let mut roots = RootCertStore::empty();
    let certificates = CertificateDer::pem_file_iter(path)
        .map_err(|error| format!("Failed to read sslrootcert {}: {error}", path.display()))?;
    for certificate in certificates {
        let certificate =
            certificate.map_err(|error| format!("Failed to read sslrootcert {}: {error}", path.display()))?;
        roots
            .add(certificate)
            .map_err(|error| format!("Unusable certificate in {}: {error}", path.display()))?;
    }
    if roots.is_empty() {
        return Err(format!("sslrootcert {} holds no certificate", path.display()));
    }
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .map_err(|error| error.to_string())?;
    Ok(verifier)
}

/// `verify-ca`: the chain must verify; the name in the certificate need not match.
#[derive(Debug)]
struct AnyName {
    inner: Arc<dyn ServerCertVerifier>,
}

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// `require` without a root certificate: encrypted, but any certificate is accepted (as
/// libpq does); the handshake's signatures are still checked.
#[derive(Debug)]
struct EncryptOnly {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_parameters_are_read_and_the_rest_passed_on() {
        let target = Target::parse(
            "postgresql://polku_app@localhost:5433/polku?sslmode=require&application_name=x%20y",
        )
        .unwrap();
        assert!(target.tls.is_some());
        assert_eq!(target.config.get_application_name(), Some("x y"));
        assert_eq!(target.config.get_ports(), [5433]);

        let plain = Target::parse("postgresql://u@localhost/polku?host=%2Ftmp%2Frun&sslmode=prefer").unwrap();
        assert!(plain.tls.is_none());

        assert!(Target::parse("postgresql://u@localhost/polku?sslmode=verify-full").is_err());
        assert!(Target::parse("postgresql://u@localhost/polku?sslmode=sometimes").is_err());
        assert!(
            Target::parse("postgresql://u@localhost/polku?sslmode=verify-ca&sslrootcert=/nonexistent.pem")
                .is_err()
        );
    }
}
