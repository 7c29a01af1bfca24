//! Access tokens: short-lived JWTs naming the user and the session they belong to.
//! Expiry is checked against the service's clock, not the system's, so tests can move time.
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{AppError, AppResult, Reason, SessionId, UserId};

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    sid: Uuid,
    iat: i64,
    exp: i64,
}

pub struct AccessKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
}

impl AccessKeys {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl,
        }
    }

    /// A token for `user` in `session`, and when it expires.
    pub fn issue(
        &self,
        user: UserId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> AppResult<(String, DateTime<Utc>)> {
        let expires_at = now + self.ttl;
        let claims = Claims {
            sub: user.0,
            sid: session.0,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(AppError::internal)?;
        Ok((token, expires_at))
    }

    /// The user and session a token names, if its signature holds and it has not expired.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> AppResult<(UserId, SessionId)> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.leeway = 0;
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| invalid())?
            .claims;
        if claims.exp <= now.timestamp() {
            return Err(AppError::unauthenticated(
                Reason::AccessTokenExpired,
                "the access token has expired; trade the refresh token for a new pair with \
                 refreshSession",
            ));
        }
        Ok((UserId(claims.sub), SessionId(claims.sid)))
    }
}

fn invalid() -> AppError {
    AppError::unauthenticated(Reason::InvalidToken, "the access token is invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> AccessKeys {
        AccessKeys::new(secret.as_bytes(), Duration::minutes(15))
    }

    #[test]
    fn a_token_verifies_until_it_expires_by_the_services_clock() {
        let now = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let (user, session) = (UserId(Uuid::from_u128(1)), SessionId(Uuid::from_u128(2)));
        let (token, expires_at) = keys("k").issue(user, session, now).unwrap();
        assert_eq!(expires_at, now + Duration::minutes(15));
        assert_eq!(keys("k").verify(&token, now).ok(), Some((user, session)));
        let late = keys("k")
            .verify(&token, expires_at)
            .err()
            .and_then(|e| e.reason());
        assert_eq!(late, Some(Reason::AccessTokenExpired));
        let forged = keys("other")
            .verify(&token, now)
            .err()
            .and_then(|e| e.reason());
        assert_eq!(forged, Some(Reason::InvalidToken));
    }
}
