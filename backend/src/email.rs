//! `Email`: a login name that has been checked and normalised; and [`Mailer`], which
//! sends the few e-mails Polku sends (links for setting a password) through the
//! instance's mail command.

use std::process::Stdio;
use std::time::Duration;

use anyhow::Context;
use tokio::io::AsyncWriteExt;
use validator::ValidateEmail;

use crate::config::Settings;

/// How long the mail command may take before the send counts as failed. The send happens
/// inside the transaction that stores the link, so it stays well below the database's
/// idle-in-transaction limit (`POLKU_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS`, 10 s by default):
/// the command is meant to hand the message to a local queue (sendmail, msmtp), not to
/// talk to a remote server while a connection waits.
const SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses user input; `None` when it is not an email address.
    pub fn parse(input: &str) -> Option<Self> {
        let normalised = input.trim().to_lowercase();
        (normalised.len() <= 254 && normalised.validate_email()).then_some(Self(normalised))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The instance's way of sending e-mail: a `sendmail -t`-like command.
#[derive(Debug, Clone)]
pub struct Mailer {
    command: Vec<String>,
    from: String,
}

impl Mailer {
    /// The configured mailer; `None` when the instance has no e-mail (`mail_command` empty).
    pub fn of(settings: &Settings) -> Option<Self> {
        (!settings.mail_command.is_empty()).then(|| Self {
            command: settings.mail_command.clone(),
            from: settings.mail_from.clone(),
        })
    }

    /// Sends a plain-text message to one address; an error when the command cannot be run,
    /// fails or takes too long.
    pub async fn send(&self, to: &Email, subject: &str, body: &str) -> anyhow::Result<()> {
        let message = self.message(to, subject, body);
        let (program, arguments) = self
            .command
            .split_first()
            .context("Failed to send e-mail: the mail command is empty")?;
        let mut child = tokio::process::Command::new(program)
            .args(arguments)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("Failed to start the mail command {program}"))?;
        let mut stdin = child
            .stdin
            .take()
            .context("Failed to open the mail command's input")?;
        let run = async move {
            stdin.write_all(message.as_bytes()).await?;
            drop(stdin);
            child.wait().await
        };
        let status = tokio::time::timeout(SEND_TIMEOUT, run)
            .await
            .context("The mail command timed out")?
            .context("Failed to run the mail command")?;
        anyhow::ensure!(status.success(), "The mail command failed: {status}");
        Ok(())
    }

    /// An RFC 5322 message. Addresses are parsed [`Email`]s (no line breaks) and subjects
    /// fixed ASCII, so no header can be injected.
    fn message(&self, to: &Email, subject: &str, body: &str) -> String {
        let subject: String = subject
            .chars()
            .filter(|c| c.is_ascii() && !c.is_ascii_control())
            .collect();
        format!(
            "From: {}\r\nTo: {}\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
            self.from.replace(['\r', '\n'], ""),
            to.as_str(),
            body.replace('\n', "\r\n"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_refuses_non_addresses() {
        assert_eq!(
            Email::parse("  Aino.Virtanen@Kunta.FI ").unwrap().as_str(),
            "aino.virtanen@kunta.fi"
        );
        for bad in [
            "",
            "aino",
            "aino@",
            "@kunta.fi",
            "a b@kunta.fi",
            &format!("{}@kunta.fi", "a".repeat(250)),
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }
}
