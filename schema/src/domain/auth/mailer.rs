//! Outgoing mail as the rules see it; the host supplies the transport (SMTP or a file outbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The link the mail exists to deliver, if any (the host may log it for local use).
    pub link: Option<String>,
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: Mail) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;
}
