//! Outgoing e-mail through SMTP (lettre): the platform's server (plain SMTP on loopback)
//! or a tenant's own, with its TLS mode and login (`mail_settings`).

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::SmtpSettings;
use crate::error::{AppError, AppResult};

/// Whether `text` is an e-mail address the mailer can send to (RFC 5321 shape, as lettre
/// parses it); every form that takes an address checks it with this.
pub fn is_address(text: &str) -> bool {
    text.parse::<lettre::Address>().is_ok()
}

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// A file attached to a message.
pub struct MailFile {
    pub name: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Mailer {
    pub fn new(s: &SmtpSettings) -> AppResult<Self> {
        let from = s
            .from
            .parse::<Mailbox>()
            .map_err(|e| AppError::Internal(format!("APP_SMTP__FROM {:?}: {e}", s.from)))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
            .port(s.port)
            .build();
        Ok(Self { transport, from })
    }

    /// A tenant's server: `tls` is none, starttls or tls; a login is sent only when given.
    pub fn custom(
        host: &str,
        port: u16,
        tls: &str,
        login: Option<(String, String)>,
        from: &str,
    ) -> AppResult<Self> {
        use lettre::transport::smtp::authentication::Credentials;
        let from = from.parse::<Mailbox>().map_err(|e| {
            AppError::validation("senderAddress", format!("not an e-mail address: {e}"))
        })?;
        let unusable = |e: lettre::transport::smtp::Error| {
            AppError::validation("host", format!("cannot be used: {e}"))
        };
        let mut builder = match tls {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(unusable)?,
            "starttls" => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(unusable)?
            }
            _ => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        }
        .port(port)
        .timeout(Some(std::time::Duration::from_secs(20)));
        if let Some((user, password)) = login {
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Sends a text message with optional attachments.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        files: Vec<MailFile>,
    ) -> AppResult<()> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| AppError::validation("email", format!("not an e-mail address: {e}")))?;
        let mut body = MultiPart::mixed().singlepart(SinglePart::plain(text.to_owned()));
        for f in files {
            let ct = ContentType::parse(&f.content_type)
                .map_err(|e| AppError::Internal(format!("content type {}: {e}", f.content_type)))?;
            body = body.singlepart(Attachment::new(f.name).body(f.body, ct));
        }
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(body)
            .map_err(|e| AppError::Mail(format!("build message: {e}")))?;
        self.transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| AppError::Mail(format!("send: {e}")))
    }
}
