//! Who is asking: the actor every domain entry point takes explicitly.
use uuid::Uuid;

/// A user's id, never confused with another table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub Uuid);

/// A sign-in session's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(pub Uuid);

/// The caller of an operation, resolved once per request by the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    User {
        user_id: UserId,
        session_id: SessionId,
    },
}

impl Actor {
    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Self::Anonymous => None,
            Self::User { user_id, .. } => Some(*user_id),
        }
    }
}
