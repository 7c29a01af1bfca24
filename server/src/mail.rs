//! The mail transport behind the identity rules' `Mailer`: SMTP when configured, otherwise
//! a file outbox a developer or a test can read: one `.eml` per mail, named by the time it
//! was written (so `ls` lists them oldest first), its text in 7bit so a link stays whole on
//! its line, and each sign-in link also logged at INFO.
use std::path::PathBuf;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Body, Mailbox, header::ContentTransferEncoding, header::ContentType},
};
use schema::domain::auth::{Mail, Mailer};

use crate::config::MailConfig;

pub enum LettreMailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        host: String,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl LettreMailer {
    pub fn from_config(config: &MailConfig) -> anyhow::Result<Self> {
        let from: Mailbox = config.from.parse()?;
        Ok(match &config.smtp_url {
            Some(url) => Self::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())?.build(),
                host: url::Url::parse(url.expose())
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .unwrap_or_else(|| "the SMTP server".into()),
                from,
            },
            None => {
                std::fs::create_dir_all(&config.outbox_dir)?;
                Self::Outbox {
                    dir: config.outbox_dir.clone(),
                    from,
                }
            }
        })
    }

    /// Says at start-up where mail goes.
    pub fn log_destination(&self) {
        match self {
            Self::Smtp { host, .. } => tracing::info!(smtp_host = %host, "mail goes out by SMTP"),
            Self::Outbox { dir, .. } => tracing::info!(
                outbox = %dir.display(),
                "no SMTP server configured (APP_SMTP_URL): mail goes to the outbox, and each sign-in link is logged here"
            ),
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Self::Smtp { from, .. } | Self::Outbox { from, .. } => from,
        }
    }
}

/// 7bit when the text allows it (ASCII, lines within RFC 5322's 998 characters), so nothing
/// inside a link is encoded; otherwise base64, which a mail reader decodes whole. (lettre's
/// own choice turns quoted-printable past 76 characters, which breaks a link's token.)
fn body(text: String) -> Body {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let seven_bit = crlf.is_ascii()
        && !crlf.contains('\0')
        && !crlf.replace("\r\n", "").contains(['\r', '\n'])
        && crlf.split("\r\n").all(|line| line.len() <= 998);
    if seven_bit {
        Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::SevenBit)
    } else {
        Body::new_with_encoding(text.clone(), ContentTransferEncoding::Base64)
            .unwrap_or_else(|_| Body::new(text))
    }
}

#[async_trait::async_trait]
impl Mailer for LettreMailer {
    async fn send(&self, mail: Mail) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let message = Message::builder()
            .from(self.from().clone())
            .to(mail.to.parse()?)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body(mail.text))?;
        match self {
            Self::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
            Self::Outbox { dir, .. } => {
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
                    &uuid::Uuid::new_v4().simple().to_string()[..8]
                );
                tokio::fs::write(dir.join(name), message.formatted()).await?;
                if let Some(link) = &mail.link {
                    tracing::info!("sign-in link for {}: {link}", mail.to);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_link_stays_whole_on_its_line() {
        let link = format!("http://127.0.0.1:8000/sign-in?token={}", "a".repeat(80));
        let message = Message::builder()
            .from("a@example.com".parse().unwrap())
            .to("b@example.com".parse().unwrap())
            .subject("s")
            .body(body(format!("Open:\r\n\r\n{link}\r\n")))
            .unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.lines().any(|line| line == link), "{text}");
        assert!(text.contains("Content-Transfer-Encoding: 7bit"), "{text}");
    }
}
