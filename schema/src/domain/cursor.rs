//! A position in a keyset-paginated list, as clients hold it: an opaque, versioned text
//! naming a row by (timestamp, id), or by (rank, timestamp, id) in lists ordered by hand.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::error::{AppError, AppResult};

/// An opaque position in a list ordered by (`at`, `id`), or by (`rank`, `at`, `id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
    pub rank: Option<i64>,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let (at, id) = (self.at.timestamp_micros(), self.id);
        URL_SAFE_NO_PAD.encode(match self.rank {
            None => format!("v1:{at}:{id}"),
            Some(rank) => format!("v1:{at}:{id}:{rank}"),
        })
    }

    /// Parses a cursor a client sent back; `field` names the argument for the error.
    pub fn decode(text: &str, field: &str) -> AppResult<Self> {
        let invalid = || AppError::bad_input(field, "not a cursor this server issued");
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = text.splitn(4, ':');
        let (Some("v1"), Some(micros), Some(id)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let micros = micros.parse::<i64>().map_err(|_| invalid())?;
        Ok(Self {
            at: DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?,
            id: Uuid::parse_str(id).map_err(|_| invalid())?,
            rank: parts
                .next()
                .map(|rank| rank.parse::<i64>().map_err(|_| invalid()))
                .transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_its_round_trip() {
        let cursor = Cursor {
            at: DateTime::from_timestamp_micros(1_780_000_000_123_456).unwrap_or_default(),
            id: Uuid::from_u128(42),
            rank: None,
        };
        assert_eq!(Cursor::decode(&cursor.encode(), "after").ok(), Some(cursor));
        let ranked = Cursor {
            rank: Some(-3),
            ..cursor
        };
        assert_eq!(Cursor::decode(&ranked.encode(), "after").ok(), Some(ranked));
    }

    #[test]
    fn a_forged_cursor_is_bad_input_on_its_field() {
        let err = Cursor::decode("bm90LWEtY3Vyc29y", "after").err();
        assert!(matches!(
            err,
            Some(AppError::BadUserInput { field: Some(f), .. }) if f == "after"
        ));
    }
}
