//! Free text a user types (names, titles, notes): checked once for characters and length,
//! trimmed, and named by the input field it came from when it is refused.
//!
//! [`check`] is the one gate every string of every input passes (the GraphQL layer calls it
//! for each string argument before anything runs): no NUL or other control characters
//! (tab and newline only in the multi-line fields), and at most [`limit`]`(field)`
//! characters. Domain rules may bound a field tighter with [`required`] / [`optional`].
use super::{AppError, AppResult};

/// How long one input field may be, and whether it may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max_chars: usize,
    pub multiline: bool,
}

const fn single(max_chars: usize) -> Limit {
    Limit {
        max_chars,
        multiline: false,
    }
}

/// Names, titles, keys and other one-line labels.
pub const NAME: Limit = single(200);
/// Descriptions and notes: may hold tabs and newlines.
pub const LONG_TEXT: Limit = Limit {
    max_chars: 10_000,
    multiline: true,
};
/// Addresses, tokens, codes and cursors: opaque single-line strings.
pub const TOKEN: Limit = single(2_048);
/// An email address (RFC 5321 allows at most 254 characters in a path).
pub const EMAIL: Limit = single(254);

/// The bound of every input field, by its GraphQL name. Fields not named here get [`NAME`].
pub fn limit(field: &str) -> Limit {
    match field {
        "description" | "notes" => LONG_TEXT,
        "email" => EMAIL,
        "reason" => single(500),
        "url" | "image" | "redirectUri" | "token" | "sessionToken" | "state" | "code" | "after"
        | "before" => TOKEN,
        _ => NAME,
    }
}

/// The one check of an input string: allowed characters and length for `field`.
pub fn check(field: &str, value: &str) -> AppResult<()> {
    let limit = limit(field);
    check_characters(field, value, limit.multiline)?;
    if value.chars().count() > limit.max_chars {
        return Err(too_long(field, limit.max_chars));
    }
    Ok(())
}

/// Refuses NUL and every other control character; `multiline` lets tab, CR and LF through.
pub fn check_characters(field: &str, value: &str, multiline: bool) -> AppResult<()> {
    let refused = value
        .chars()
        .find(|c| c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')));
    match refused {
        None => Ok(()),
        Some(c) => Err(AppError::bad_input(
            field,
            format!(
                "must not contain control characters (found U+{:04X})",
                u32::from(c)
            ),
        )),
    }
}

/// Text that must not be blank, at most `max` characters once trimmed.
pub fn required(field: &str, value: &str, max: usize) -> AppResult<String> {
    let text = value.trim();
    check_characters(field, text, limit(field).multiline)?;
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
    check_characters(field, text, limit(field).multiline)?;
    match text.chars().count() {
        0 => Ok(None),
        n if n > max => Err(too_long(field, max)),
        _ => Ok(Some(text.to_owned())),
    }
}

/// A `LIKE` pattern matching `needle` anywhere, its wildcards escaped with `\`.
pub fn like_contains(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
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

    #[test]
    fn control_characters_are_refused_except_line_breaks_in_long_text() {
        assert!(check("name", "a\0b").is_err());
        assert!(check("name", "a\nb").is_err());
        assert!(check("email", "a\u{7f}@b.c").is_err());
        assert!(check("description", "line one\n\tline two").is_ok());
        assert!(check("description", "nul\0").is_err());
        assert!(check("name", &"x".repeat(201)).is_err());
        assert!(check("description", &"x".repeat(10_000)).is_ok());
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_contains(r"a%b_c\d"), r"%a\%b\_c\\d%");
    }
}
