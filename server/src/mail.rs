//! The mail transport behind the identity rules' `Mailer`: SMTP when configured, otherwise
//! a file outbox (one `.eml` per mail) that a developer or a test can read.
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Body, Mailbox, header::ContentType},
};
use schema::domain::auth::{Mail, Mailer};

use crate::config::MailConfig;

pub enum LettreMailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        transport: AsyncFileTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

impl LettreMailer {
    pub fn from_config(config: &MailConfig) -> anyhow::Result<Self> {
        let from: Mailbox = config.from.parse()?;
        Ok(match &config.smtp_url {
            Some(url) => Self::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())?.build(),
                from,
            },
            None => {
                std::fs::create_dir_all(&config.outbox_dir)?;
                Self::Outbox {
                    transport: AsyncFileTransport::new(&config.outbox_dir),
                    from,
                }
            }
        })
    }

    fn from(&self) -> &Mailbox {
        match self {
            Self::Smtp { from, .. } | Self::Outbox { from, .. } => from,
        }
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
            .body(Body::new(mail.text))?;
        match self {
            Self::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
            Self::Outbox { transport, .. } => {
                transport.send(message).await?;
            }
        }
        Ok(())
    }
}
