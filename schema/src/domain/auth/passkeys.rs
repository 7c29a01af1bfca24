//! Passkeys (WebAuthn through webauthn-rs): a signed-in user registers one; anyone signs in
//! with one, starting from their email; a user lists and deletes theirs.
//!
//! Every ceremony's state is a row of `passkey_ceremonies` (five minutes, consumed by its
//! finish, successful or not), so an instance can finish what another began. A passkey is an
//! `authenticators` row: `credential_public_key` holds the serialised webauthn-rs `Passkey`,
//! and the `counter` column is authoritative (checked and advanced on every sign-in).
mod ceremonies;
mod credentials;
mod decoys;
pub mod registration;
pub mod sign_in;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::DatabaseTransaction;
use webauthn_rs::{Webauthn, WebauthnBuilder, prelude::Url};

pub use ceremonies::{CEREMONY_TTL, sweep};
pub use credentials::{DeviceType, PasskeyInfo, delete, list};

use super::settings::PasskeySettings;
use crate::domain::{AppError, AppResult, Reason};

/// What a client needs to run a ceremony in the browser: the id to finish it with, and the
/// options for `navigator.credentials.create` / `.get` (`{"publicKey": {…}}`).
#[derive(Debug, Clone)]
pub struct Ceremony {
    pub id: uuid::Uuid,
    pub options: serde_json::Value,
}

/// The relying party this service is, built once from the settings. An invalid setting does
/// not stop the service: it is logged at start, and every passkey operation then fails with
/// INTERNAL (the other ways of signing in keep working).
pub struct RelyingParty {
    webauthn: Result<Webauthn, String>,
    decoys: decoys::Decoys,
}

impl RelyingParty {
    /// `secret` seeds the decoy credentials shown for addresses without a passkey.
    pub fn new(settings: &PasskeySettings, secret: &[u8]) -> Self {
        let webauthn = build(settings);
        if let Err(problem) = &webauthn {
            tracing::error!(%problem, "passkeys are disabled: invalid WebAuthn settings");
        }
        Self {
            webauthn,
            decoys: decoys::Decoys::new(secret),
        }
    }

    fn webauthn(&self) -> AppResult<&Webauthn> {
        self.webauthn.as_ref().map_err(|problem| {
            AppError::Internal(format!("passkeys are not configured: {problem}").into())
        })
    }
}

/// Checks the settings and builds webauthn-rs's relying party from them.
pub fn build(settings: &PasskeySettings) -> Result<Webauthn, String> {
    let origin = Url::parse(&settings.origin)
        .map_err(|err| format!("APP_WEBAUTHN_ORIGIN {:?}: {err}", settings.origin))?;
    WebauthnBuilder::new(&settings.rp_id, &origin)
        .map(|builder| {
            builder.rp_name(&settings.rp_name).timeout(
                CEREMONY_TTL
                    .to_std()
                    .unwrap_or(webauthn_rs::DEFAULT_AUTHENTICATOR_TIMEOUT),
            )
        })
        .and_then(WebauthnBuilder::build)
        .map_err(|err| {
            format!(
                "APP_WEBAUTHN_RP_ID {:?} does not fit APP_WEBAUTHN_ORIGIN {:?}: {err}",
                settings.rp_id, settings.origin
            )
        })
}

/// Ends a finish's transaction: kept on success and on a refusal (the ceremony stays used
/// up, the failure audited), rolled back on an internal error.
async fn settle<T>(txn: DatabaseTransaction, result: AppResult<T>) -> AppResult<T> {
    if !matches!(result, Err(AppError::Internal(_))) {
        txn.commit().await?;
    }
    result
}

/// The message sent with a passkey refusal.
fn explain(reason: Reason) -> &'static str {
    match reason {
        Reason::PasskeyCeremonyExpired => "this passkey ceremony has expired; begin again",
        Reason::PasskeyCounterNotAdvanced => {
            "this passkey's signature counter did not advance: the assertion was replayed or the passkey cloned"
        }
        Reason::PasskeyRejected => "the passkey was not accepted",
        _ => "this passkey ceremony is unknown or already finished; begin again",
    }
}

/// A credential id as `authenticators.credential_id` stores it: base64url, unpadded.
fn encode_id(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

/// A client's credential JSON: an object, or the same object serialised into a string.
fn parse_credential<T: serde::de::DeserializeOwned>(credential: serde_json::Value) -> AppResult<T> {
    let credential = match credential {
        serde_json::Value::String(text) => serde_json::from_str(&text),
        other => serde_json::from_value(other),
    };
    credential.map_err(|err| {
        AppError::bad_input(
            "credential",
            format!("not a WebAuthn credential as the browser returns it: {err}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(rp_id: &str, origin: &str) -> PasskeySettings {
        PasskeySettings {
            rp_id: rp_id.into(),
            rp_name: "Test".into(),
            origin: origin.into(),
        }
    }

    #[test]
    fn the_relying_party_must_fit_its_origin() {
        assert!(build(&settings("localhost", "http://localhost:8000")).is_ok());
        assert!(build(&settings("example.com", "https://app.example.com")).is_ok());
        assert!(build(&settings("example.com", "https://evil.test")).is_err());
        assert!(build(&settings("localhost", "not a url")).is_err());
        let broken = RelyingParty::new(&settings("example.com", "https://evil.test"), b"k");
        assert_eq!(
            broken.webauthn().err().map(|err| err.code()),
            Some(crate::domain::ErrorCode::Internal)
        );
    }

    #[test]
    fn credential_json_may_come_as_an_object_or_a_string() {
        let object = serde_json::json!({ "a": 1 });
        let parsed: serde_json::Value = parse_credential(object.clone()).unwrap_or_default();
        assert_eq!(parsed, object);
        let parsed: serde_json::Value =
            parse_credential(serde_json::Value::String(object.to_string())).unwrap_or_default();
        assert_eq!(parsed, object);
        let bad = parse_credential::<Vec<u8>>(serde_json::json!({ "a": 1 }));
        assert!(
            matches!(bad, Err(AppError::BadUserInput { field: Some(f), .. }) if f == "credential")
        );
    }
}
