//! Sign-in options for an address that has no passkey (or no account): shaped like real
//! ones, listing credential ids derived from the address with a server key (webauthn-rs's
//! fake-credential generator, which mimics how many passkeys real accounts have), so the
//! answer is the same on every ask and does not tell whether the account exists. Finishing
//! such a ceremony fails like a wrong passkey does.
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde_json::json;
use sha2::Sha256;
use webauthn_rs::{
    fake::{FakePasskeyDistribution, WebauthnFakeCredentialGenerator},
    prelude::RequestChallengeResponse,
};

use super::{CEREMONY_TTL, encode_id};
use crate::domain::{AppError, AppResult};

/// The transports browsers report for the platform passkeys most accounts hold.
const TRANSPORTS: [&str; 2] = ["hybrid", "internal"];

pub(super) struct Decoys {
    generator: Option<WebauthnFakeCredentialGenerator<FakePasskeyDistribution>>,
}

impl Decoys {
    pub(super) fn new(secret: &[u8]) -> Self {
        let key = Hmac::<Sha256>::new_from_slice(secret)
            .map(|mut mac| {
                mac.update(b"passkey decoy credentials");
                mac.finalize().into_bytes().to_vec()
            })
            .ok();
        Self {
            generator: key.and_then(|key| WebauthnFakeCredentialGenerator::new(&key).ok()),
        }
    }

    /// Options for `navigator.credentials.get` that no credential can satisfy here.
    pub(super) fn options(&self, rp_id: &str, email: &str) -> AppResult<serde_json::Value> {
        let ids = self
            .generator
            .as_ref()
            .and_then(|generator| generator.generate(email.as_bytes()).ok())
            .unwrap_or_default();
        let mut challenge = [0u8; 32];
        rand::rng().fill_bytes(&mut challenge);
        let options = json!({
            "publicKey": {
                "challenge": encode_id(&challenge),
                "timeout": CEREMONY_TTL.num_milliseconds(),
                "rpId": rp_id,
                "allowCredentials": ids.iter().map(|id| json!({
                    "type": "public-key",
                    "id": encode_id(id),
                    "transports": TRANSPORTS,
                })).collect::<Vec<_>>(),
                "userVerification": "required",
            }
        });
        // Through webauthn-rs's own type, so the JSON is written exactly as real options are.
        serde_json::from_value::<RequestChallengeResponse>(options)
            .and_then(|options| serde_json::to_value(&options))
            .map_err(AppError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_the_same_decoy_credentials_on_every_ask() {
        let decoys = Decoys::new(b"a server secret of some length");
        let ids = |email: &str| {
            decoys.options("localhost", email).map(|options| {
                options["publicKey"]["allowCredentials"]
                    .as_array()
                    .map(|list| list.iter().map(|c| c["id"].clone()).collect::<Vec<_>>())
                    .unwrap_or_default()
            })
        };
        let first = ids("ada@example.com").ok();
        assert!(first.is_some());
        assert_eq!(first, ids("ada@example.com").ok());
        let options = decoys.options("localhost", "ada@example.com").ok();
        let options = options.unwrap_or_default();
        assert_eq!(options["publicKey"]["rpId"], "localhost");
        assert_eq!(options["publicKey"]["userVerification"], "required");
        assert_ne!(
            options["publicKey"]["challenge"],
            decoys
                .options("localhost", "ada@example.com")
                .unwrap_or_default()["publicKey"]["challenge"],
            "every ceremony has its own challenge"
        );
    }
}
