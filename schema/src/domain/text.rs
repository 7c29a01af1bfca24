//! Free text a user types (names, titles, notes): trimmed, bounded, and named by the input
//! field it came from when it is refused.
use super::{AppError, AppResult};

/// Text that must not be blank, at most `max` characters once trimmed.
pub fn required(field: &str, value: &str, max: usize) -> AppResult<String> {
    let text = value.trim();
    match text.chars().count() {
        0 => Err(AppError::bad_input(field, "cannot be blank")),
        n if n > max => Err(too_long(field, max)),
        _ => Ok(text.to_owned()),
    }
}

/// Optional text: blank reads as none, anything else at most `max` characters.
pub fn optional(field: &str, value: Option<String>, max: usize) -> AppResult<Option<String>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = value.trim();
    match text.chars().count() {
        0 => Ok(None),
        n if n > max => Err(too_long(field, max)),
        _ => Ok(Some(text.to_owned())),
    }
}

fn too_long(field: &str, max: usize) -> AppError {
    AppError::bad_input(field, format!("at most {max} characters"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_bounded_and_blank_reads_as_none() {
        assert_eq!(required("name", "  Run  ", 10).ok().as_deref(), Some("Run"));
        assert!(required("name", "   ", 10).is_err());
        assert!(required("name", "élan vital", 9).is_err());
        assert_eq!(optional("notes", Some(" ".into()), 5).ok(), Some(None));
        assert!(matches!(
            optional("notes", Some("toolong".into()), 5),
            Err(AppError::BadUserInput { field: Some(f), .. }) if f == "notes"
        ));
    }
}
