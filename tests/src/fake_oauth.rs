//! A small OAuth 2.0 provider served on loopback by the test itself: it issues codes bound
//! to the PKCE challenge of the authorization URL the app built, refuses a token exchange
//! whose verifier does not match, and answers userinfo for the access tokens it issued.
use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use axum::{
    Form, Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use schema::domain::auth::settings::OAuthProvider;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Who the provider says a user is.
#[derive(Debug, Clone)]
pub struct Profile {
    pub sub: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

impl Profile {
    pub fn verified(sub: &str, email: &str) -> Self {
        Self {
            sub: sub.into(),
            email: Some(email.into()),
            email_verified: true,
            name: Some("Provider Name".into()),
        }
    }
}

struct Grant {
    challenge: String,
    redirect_uri: String,
    profile: Profile,
}

#[derive(Default)]
struct Books {
    codes: HashMap<String, Grant>,
    tokens: HashMap<String, Profile>,
    refused_verifiers: u32,
}

#[derive(Clone)]
pub struct FakeProvider {
    addr: SocketAddr,
    books: Arc<Mutex<Books>>,
}

const CLIENT_ID: &str = "test-client";
const CLIENT_SECRET: &str = "test-secret";

impl FakeProvider {
    pub async fn start() -> Self {
        let books = Arc::new(Mutex::new(Books::default()));
        let router = Router::new()
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(books.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake provider");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move { axum::serve(listener, router).await.ok() });
        Self { addr, books }
    }

    /// The provider's settings as the app is configured with them.
    pub fn settings(&self, name: &str) -> OAuthProvider {
        OAuthProvider {
            name: name.into(),
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            authorize_url: format!("http://{}/authorize", self.addr),
            token_url: format!("http://{}/token", self.addr),
            userinfo_url: format!("http://{}/userinfo", self.addr),
            emails_url: None,
            scopes: vec!["openid".into(), "email".into()],
        }
    }

    /// The user approves at the provider: a code bound to the URL's PKCE challenge and
    /// callback page, as the provider would append to the redirect.
    pub fn approve(&self, authorization_url: &str, profile: Profile) -> String {
        let url = url::Url::parse(authorization_url).expect("an authorization URL");
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| panic!("the authorization URL lacks `{name}`"))
        };
        assert_eq!(param("code_challenge_method"), "S256");
        assert_eq!(param("client_id"), CLIENT_ID);
        assert_eq!(param("response_type"), "code");
        let code = Uuid::new_v4().simple().to_string();
        self.books.lock().unwrap().codes.insert(
            code.clone(),
            Grant {
                challenge: param("code_challenge"),
                redirect_uri: param("redirect_uri"),
                profile,
            },
        );
        code
    }

    /// How many token exchanges were refused for a wrong PKCE verifier.
    pub fn refused_verifiers(&self) -> u32 {
        self.books.lock().unwrap().refused_verifiers
    }
}

fn oauth_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response()
}

async fn token(
    State(books): State<Arc<Mutex<Books>>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let authenticated = headers
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v == basic.as_str())
        || (form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
            && form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET));
    if !authenticated {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    if form.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return oauth_error("unsupported_grant_type");
    }
    let mut books = books.lock().unwrap();
    let Some(grant) = form.get("code").and_then(|code| books.codes.remove(code)) else {
        return oauth_error("invalid_grant");
    };
    if form.get("redirect_uri") != Some(&grant.redirect_uri) {
        return oauth_error("invalid_grant");
    }
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != grant.challenge {
        books.refused_verifiers += 1;
        return oauth_error("invalid_grant");
    }
    let access_token = Uuid::new_v4().simple().to_string();
    books.tokens.insert(access_token.clone(), grant.profile);
    Json(json!({ "access_token": access_token, "token_type": "bearer", "expires_in": 3600 }))
        .into_response()
}

async fn userinfo(State(books): State<Arc<Mutex<Books>>>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    match books.lock().unwrap().tokens.get(token) {
        Some(profile) => Json(json!({
            "sub": profile.sub,
            "email": profile.email,
            "email_verified": profile.email_verified,
            "name": profile.name,
        }))
        .into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}
