//! The client side of the passkey tests: the GraphQL calls a browser app makes around
//! `navigator.credentials`, with a software authenticator in the browser's place.
use entity::authenticators;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::{GqlResponse, SignedIn, TestApp};
use webauthn_authenticator_rs::{
    WebauthnAuthenticator,
    prelude::{CreationChallengeResponse, RequestChallengeResponse, Url},
    softpasskey::SoftPasskey,
};

/// What the authenticator says the page's origin is (the app's default relying party).
pub const ORIGIN: &str = "http://localhost:8000";

pub const PASSKEY_FIELDS: &str = "id createdAt deviceType backedUp transports";

pub fn origin() -> Url {
    Url::parse(ORIGIN).unwrap()
}

/// A software passkey that performs user verification.
pub fn authenticator() -> SoftPasskey {
    SoftPasskey::new(true)
}

pub async fn begin_registration(app: &TestApp, user: &SignedIn) -> (String, Value) {
    let response = app
        .graphql_as(
            &user.access_token,
            "mutation { beginPasskeyRegistration { ceremonyId options } }",
            json!({}),
        )
        .await;
    let begun = &response.assert_ok()["beginPasskeyRegistration"];
    (
        begun["ceremonyId"].as_str().unwrap().to_owned(),
        begun["options"].clone(),
    )
}

pub async fn finish_registration(
    app: &TestApp,
    user: &SignedIn,
    ceremony: &str,
    credential: &Value,
) -> GqlResponse {
    let query = format!(
        "mutation($id: UUID!, $c: JSON!) {{ finishPasskeyRegistration(input: {{ceremonyId: $id, credential: $c}}) {{ passkey {{ {PASSKEY_FIELDS} }} }} }}"
    );
    app.graphql_as(
        &user.access_token,
        &query,
        json!({ "id": ceremony, "c": credential }),
    )
    .await
}

/// Registers a passkey on `key` for `user`; returns the stored passkey's fields.
pub async fn register(app: &TestApp, user: &SignedIn, key: &mut SoftPasskey) -> Value {
    let (ceremony, options) = begin_registration(app, user).await;
    let options: CreationChallengeResponse = serde_json::from_value(options).unwrap();
    let credential = key.do_registration(origin(), options).unwrap();
    let credential = serde_json::to_value(&credential).unwrap();
    let response = finish_registration(app, user, &ceremony, &credential).await;
    response.assert_ok()["finishPasskeyRegistration"]["passkey"].clone()
}

pub async fn begin_sign_in(app: &TestApp, email: &str) -> (String, Value) {
    let response = app
        .graphql_with(
            "mutation($e: String!) { beginPasskeySignIn(input: {email: $e}) { ceremonyId options } }",
            json!({ "e": email }),
        )
        .await;
    let begun = &response.assert_ok()["beginPasskeySignIn"];
    (
        begun["ceremonyId"].as_str().unwrap().to_owned(),
        begun["options"].clone(),
    )
}

pub async fn finish_sign_in(app: &TestApp, ceremony: &str, credential: &Value) -> GqlResponse {
    app.graphql_with(
        "mutation($id: UUID!, $c: JSON!) { finishPasskeySignIn(input: {ceremonyId: $id, credential: $c}) { accessToken sessionToken expiresAt sessionExpiresAt user { id email } } }",
        json!({ "id": ceremony, "c": credential }),
    )
    .await
}

/// Begins a sign-in for `email` and has `key` answer it: the ceremony and the assertion.
pub async fn assertion(app: &TestApp, email: &str, key: &mut SoftPasskey) -> (String, Value) {
    let (ceremony, options) = begin_sign_in(app, email).await;
    let options: RequestChallengeResponse = serde_json::from_value(options).unwrap();
    let credential = key.do_authentication(origin(), options).unwrap();
    (ceremony, serde_json::to_value(&credential).unwrap())
}

#[track_caller]
pub fn assert_refused(response: &GqlResponse, code: &str, reason: &str) {
    assert_eq!(response.error_codes(), [code], "{}", response.body);
    assert_eq!(response.extensions()["reason"], reason, "{}", response.body);
}

pub async fn viewer_passkeys(app: &TestApp, access_token: &str) -> Vec<Value> {
    let query = format!("{{ viewer {{ passkeys {{ {PASSKEY_FIELDS} }} }} }}");
    let response = app.graphql_as(access_token, &query, json!({})).await;
    response.assert_ok()["viewer"]["passkeys"]
        .as_array()
        .unwrap()
        .clone()
}

pub async fn stored_counter(app: &TestApp, passkey: &Value) -> i64 {
    let id: uuid::Uuid = passkey["id"].as_str().unwrap().parse().unwrap();
    authenticators::Entity::find_by_id(id)
        .one(&app.database.db)
        .await
        .unwrap()
        .unwrap()
        .counter
}
