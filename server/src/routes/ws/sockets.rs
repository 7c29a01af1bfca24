//! How many WebSockets one user holds open on this instance: admitted up to a bound at
//! `connection_init`, released when the connection ends (the permit is dropped).
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use uuid::Uuid;

/// Open sockets per signed-in user, on this instance.
#[derive(Debug)]
pub struct SocketCounts {
    max_per_user: usize,
    open: Mutex<HashMap<Uuid, usize>>,
}

/// One admitted socket; dropping it frees the place.
#[derive(Debug)]
pub struct SocketPermit {
    counts: Arc<SocketCounts>,
    user: Uuid,
}

impl SocketCounts {
    pub fn new(max_per_user: usize) -> Arc<Self> {
        Arc::new(Self {
            max_per_user,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more socket of `user`, or `None` at the bound.
    pub fn admit(self: &Arc<Self>, user: Uuid) -> Option<SocketPermit> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(user).or_insert(0);
        if *count >= self.max_per_user {
            return None;
        }
        *count += 1;
        Some(SocketPermit {
            counts: self.clone(),
            user,
        })
    }

    pub fn max_per_user(&self) -> usize {
        self.max_per_user
    }
}

impl Drop for SocketPermit {
    fn drop(&mut self) {
        let mut open = self
            .counts
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_places_up_to_the_bound_and_back_when_sockets_close() {
        let counts = SocketCounts::new(2);
        let user = Uuid::from_u128(7);
        let first = counts.admit(user);
        let second = counts.admit(user);
        assert!(first.is_some() && second.is_some());
        assert!(counts.admit(user).is_none());
        assert!(
            counts.admit(Uuid::from_u128(8)).is_some(),
            "others are not affected"
        );
        drop(first);
        assert!(counts.admit(user).is_some());
    }
}
