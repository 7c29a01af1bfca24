//! Who is asking: the actor every domain entry point takes explicitly.
use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use entity::users;
use uuid::Uuid;

use super::{AppError, AppResult, Reason, auth::preferences::Preferences, rbac::AccessCache};

/// A user's id, never confused with another table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub Uuid);

/// A sign-in session's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(pub Uuid);

/// The caller of an operation, resolved once per request by the host. A signed-in actor
/// carries its entitlements, loaded at the first check and reused for the rest of the
/// request (so a role change applies from the next request on), and the user's row and
/// day settings as the sign-in check read them (one statement with the session).
#[derive(Debug, Clone)]
pub enum Actor {
    Anonymous,
    User {
        user_id: UserId,
        session_id: SessionId,
        access: AccessCache,
        /// What the sign-in check read, for this request.
        read: Option<Arc<ReadAtSignIn>>,
    },
}

/// The user's row and day settings as the request's sign-in check read them. Reads use
/// them throughout; rules that decide on them (the gates, the local date) use them only
/// while nothing in the request can have changed them: an operation of one root field
/// (see `graphql::actor_row`), else they read afresh.
#[derive(Debug)]
pub struct ReadAtSignIn {
    pub row: users::Model,
    pub preferences: Preferences,
    decides: AtomicBool,
}

impl ReadAtSignIn {
    pub fn new(row: users::Model, preferences: Preferences) -> Self {
        Self {
            row,
            preferences,
            decides: AtomicBool::new(true),
        }
    }
}

impl Actor {
    pub fn user(user_id: UserId, session_id: SessionId) -> Self {
        Self::User {
            user_id,
            session_id,
            access: AccessCache::default(),
            read: None,
        }
    }

    /// A caller whose session check also read their row and day settings.
    pub fn signed_in(read: ReadAtSignIn, session_id: SessionId) -> Self {
        Self::User {
            user_id: UserId(read.row.id),
            session_id,
            access: AccessCache::default(),
            read: Some(Arc::new(read)),
        }
    }

    fn read_at_sign_in(&self) -> Option<&ReadAtSignIn> {
        match self {
            Self::User { read, .. } => read.as_deref(),
            Self::Anonymous => None,
        }
    }

    /// The user's row as this request's sign-in check read it, when it did.
    pub fn row(&self) -> Option<&users::Model> {
        self.read_at_sign_in().map(|s| &s.row)
    }

    /// The row and day settings read at sign-in, when rules may still decide on them.
    pub fn deciding(&self) -> Option<&ReadAtSignIn> {
        self.read_at_sign_in()
            .filter(|s| s.decides.load(Ordering::Relaxed))
    }

    /// From now on rules read the row and settings afresh: the operation may change them
    /// before a rule runs.
    pub fn stop_deciding_on_sign_in(&self) {
        if let Some(signed_in) = self.read_at_sign_in() {
            signed_in.decides.store(false, Ordering::Relaxed);
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
