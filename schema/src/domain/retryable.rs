//! Which database failures are transient: the connection was lost or refused, the server
//! is shutting down, or SQLite stayed busy past its timeout. Such a request did not commit
//! (or its commit is unknown, which a retry with the same idempotency key settles).
use sea_orm::{DbErr, RuntimeErr, sqlx};

pub fn is_transient(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => match runtime {
            RuntimeErr::SqlxError(sqlx_err) => sqlx_is_transient(sqlx_err),
            _ => false,
        },
        _ => false,
    }
}

fn sqlx_is_transient(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| code_is_transient(&code)),
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs of class 08 (connection exception) and 57P01–57P03 (admin
/// shutdown, crash shutdown, cannot connect now); SQLite's BUSY (5) and LOCKED (6) with
/// their extended codes (the low byte is the primary code).
fn code_is_transient(code: &str) -> bool {
    if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03") {
        return true;
    }
    code.parse::<u32>()
        .is_ok_and(|extended| matches!(extended & 0xff, 5 | 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_losses_and_busy_databases_are_transient() {
        for code in ["57P01", "08006", "08003", "5", "517", "6"] {
            assert!(code_is_transient(code), "{code}");
        }
        for code in ["23505", "40P01", "778", "1", "19"] {
            assert!(!code_is_transient(code), "{code}");
        }
    }
}
