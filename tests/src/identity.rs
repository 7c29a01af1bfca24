//! Signing in through the public API, as a client would, for tests that need a user.
use serde_json::{Value, json};
use uuid::Uuid;

use crate::TestApp;

/// What a client holds after signing in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: Uuid,
    pub access_token: String,
    pub session_token: String,
}

impl SignedIn {
    pub fn from_payload(payload: &Value) -> Self {
        Self {
            user_id: payload["user"]["id"]
                .as_str()
                .and_then(|id| id.parse().ok())
                .expect("user.id"),
            access_token: payload["accessToken"]
                .as_str()
                .expect("accessToken")
                .to_owned(),
            session_token: payload["sessionToken"]
                .as_str()
                .expect("sessionToken")
                .to_owned(),
        }
    }
}

/// The address every test app makes an admin on sign-in (`APP_ADMIN_EMAILS`).
pub const ADMIN_EMAIL: &str = "admin@example.com";

pub const SIGN_IN_FIELDS: &str =
    "accessToken sessionToken expiresAt sessionExpiresAt user { id email emailVerified }";

impl TestApp {
    /// Asks for a sign-in link for `email` and returns the token the mail carries.
    pub async fn request_sign_in_link(&self, email: &str) -> String {
        self.graphql_with(
            "mutation($email: String!) { requestSignInLink(input: {email: $email}) { sent } }",
            json!({ "email": email }),
        )
        .await
        .assert_ok();
        self.outbox.sign_in_token(&email.trim().to_lowercase())
    }

    /// Signs in with a link token; the raw response, for tests of failures.
    pub async fn sign_in_with_link(&self, token: &str) -> crate::GqlResponse {
        let query = format!(
            "mutation($token: String!) {{ signInWithLink(input: {{token: $token}}) {{ {SIGN_IN_FIELDS} }} }}"
        );
        self.graphql_with(&query, json!({ "token": token })).await
    }

    /// Signs `email` in through a mailed link (creating the account on first sign-in).
    pub async fn sign_in(&self, email: &str) -> SignedIn {
        let token = self.request_sign_in_link(email).await;
        let response = self.sign_in_with_link(&token).await;
        SignedIn::from_payload(&response.assert_ok()["signInWithLink"])
    }

    /// Signs `email` in and passes every sign-up gate (terms, age): a user who may use
    /// the product.
    pub async fn member(&self, email: &str) -> SignedIn {
        let user = self.sign_in(email).await;
        let version = self
            .graphql("{ signUpRequirements { termsVersion } }")
            .await;
        let version = version.assert_ok()["signUpRequirements"]["termsVersion"].clone();
        self.graphql_as(
            &user.access_token,
            "mutation($v: String!) { acceptTerms(input: {version: $v}) { viewer { tosAccepted } } }",
            json!({ "v": version }),
        )
        .await
        .assert_ok();
        self.graphql_as(
            &user.access_token,
            r#"mutation { confirmAge(input: {birthDate: "1990-01-01"}) { viewer { ageVerified } } }"#,
            json!({}),
        )
        .await
        .assert_ok();
        user
    }
}

impl TestApp {
    /// Signs in the bootstrap admin.
    pub async fn admin(&self) -> SignedIn {
        self.sign_in(ADMIN_EMAIL).await
    }

    /// Has the admin grant `role` to `email` (until `expires_at`, if given), then signs
    /// them in afresh: a grant ends the user's earlier sessions.
    pub async fn user_with_role(
        &self,
        admin: &SignedIn,
        email: &str,
        role: &str,
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> SignedIn {
        let user = self.sign_in(email).await;
        self.graphql_as(
            &admin.access_token,
            "mutation($u: UUID!, $r: String!, $e: DateTime) { grantRole(input: {userId: $u, role: $r, expiresAt: $e}) { user { id } } }",
            json!({ "u": user.user_id, "r": role, "e": expires_at }),
        )
        .await
        .assert_ok();
        self.sign_in(email).await
    }
}
