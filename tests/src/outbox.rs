//! The app's file outbox, read as a person reads their inbox: find the mail, open the link.
use std::path::PathBuf;

use uuid::Uuid;

pub struct Outbox {
    pub dir: PathBuf,
}

impl Outbox {
    pub fn fresh() -> Self {
        let dir = std::env::temp_dir().join(format!("apptest-outbox-{}", Uuid::new_v4().simple()));
        Self { dir }
    }

    /// Every mail addressed to `to`, oldest first, with quoted-printable soft breaks undone.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut mails: Vec<(std::time::SystemTime, String)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| {
                let modified = e.metadata().and_then(|m| m.modified()).ok()?;
                Some((modified, decode(&std::fs::read_to_string(e.path()).ok()?)))
            })
            .filter(|(_, mail)| {
                mail.lines()
                    .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to))
            })
            .collect();
        mails.sort_by_key(|(modified, _)| *modified);
        mails.into_iter().map(|(_, mail)| mail).collect()
    }

    /// The token of the newest sign-in link mailed to `to`.
    pub fn sign_in_token(&self, to: &str) -> String {
        let mails = self.mails_to(to);
        let newest = mails.last().unwrap_or_else(|| panic!("no mail to {to}"));
        let link = regex::Regex::new(r"sign-in\?token=([A-Za-z0-9_-]+)").expect("a regex");
        link.captures(newest)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_owned())
            .unwrap_or_else(|| panic!("no sign-in link in:\n{newest}"))
    }
}

/// Undoes quoted-printable: soft line breaks and `=XX` escapes.
fn decode(mail: &str) -> String {
    let joined = mail.replace("=\r\n", "").replace("=\n", "");
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(at) = rest.find('=') {
        out.push_str(&rest[..at]);
        let hex = rest.get(at + 1..at + 3);
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) => {
                out.push(char::from(byte));
                rest = &rest[at + 3..];
            }
            None => {
                out.push('=');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Drop for Outbox {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}
