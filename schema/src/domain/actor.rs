//! Who is asking: the actor every domain entry point takes explicitly.
use std::sync::Arc;

use entity::users;
use uuid::Uuid;

use super::{AppError, AppResult, Reason, rbac::AccessCache};

/// A user's id, never confused with another table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub Uuid);

/// A sign-in session's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(pub Uuid);

/// The caller of an operation, resolved once per request by the host. A signed-in actor
/// carries its entitlements, loaded at the first check and reused for the rest of the
/// request (so a role change applies from the next request on), and the user's row as the
/// sign-in check read it (joined with the session: no second statement for `viewer`).
#[derive(Debug, Clone)]
pub enum Actor {
    Anonymous,
    User {
        user_id: UserId,
        session_id: SessionId,
        access: AccessCache,
        /// The row read with the session, for reads of this request; rules that decide
        /// on it (the gates) read it afresh, since an earlier mutation of the same
        /// document may have changed it.
        row: Option<Arc<users::Model>>,
    },
}

impl Actor {
    pub fn user(user_id: UserId, session_id: SessionId) -> Self {
        Self::User {
            user_id,
            session_id,
            access: AccessCache::default(),
            row: None,
        }
    }

    /// A caller whose session check also read their row.
    pub fn signed_in(user: users::Model, session_id: SessionId) -> Self {
        Self::User {
            user_id: UserId(user.id),
            session_id,
            access: AccessCache::default(),
            row: Some(Arc::new(user)),
        }
    }

    /// The user's row as this request's sign-in check read it, when it did.
    pub fn row(&self) -> Option<&users::Model> {
        match self {
            Self::User { row, .. } => row.as_deref(),
            Self::Anonymous => None,
        }
    }

    /// The same caller with its access to be loaded afresh: one operation's actor on a
    /// long-lived connection, so role edits and expired grants apply from the next one.
    pub fn renewed(&self) -> Self {
        match self {
            Self::Anonymous => Self::Anonymous,
            Self::User {
                user_id,
                session_id,
                ..
            } => Self::user(*user_id, *session_id),
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        self.require_session().ok().map(|(user, _)| user)
    }

    /// The signed-in user, or UNAUTHENTICATED.
    pub fn require_user(&self) -> AppResult<UserId> {
        self.require_session().map(|(user, _)| user)
    }

    /// The signed-in user and the session they signed in with, or UNAUTHENTICATED.
    pub fn require_session(&self) -> AppResult<(UserId, SessionId)> {
        match self {
            Self::Anonymous => Err(AppError::unauthenticated(
                Reason::SignInRequired,
                "sign in to do this: requestSignInLink(email), then signInWithLink(token), \
                 then send the access token as `Authorization: Bearer <token>`",
            )),
            Self::User {
                user_id,
                session_id,
                ..
            } => Ok((*user_id, *session_id)),
        }
    }
}

/// Where a request came from, as audit entries record it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}
