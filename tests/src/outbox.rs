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

    /// Every mail addressed to `to`, oldest first: the server names its files by the time
    /// it wrote them, so their names sort as `ls` lists them. Read as written: the text is
    /// 7bit, so nothing needs decoding.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut mails: Vec<(std::ffi::OsString, String)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| Some((e.file_name(), std::fs::read_to_string(e.path()).ok()?)))
            .filter(|(_, mail)| {
                mail.lines()
                    .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to))
            })
            .collect();
        mails.sort();
        mails.into_iter().map(|(_, mail)| mail).collect()
    }

    /// The newest sign-in link mailed to `to`: a line of its own.
    pub fn sign_in_link(&self, to: &str) -> String {
        let mails = self.mails_to(to);
        let newest = mails.last().unwrap_or_else(|| panic!("no mail to {to}"));
        newest
            .lines()
            .find(|line| line.starts_with("http") && line.contains("/sign-in?token="))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no sign-in link on a line of its own in:\n{newest}"))
    }

    /// The token of the newest sign-in link mailed to `to`.
    pub fn sign_in_token(&self, to: &str) -> String {
        let link = self.sign_in_link(to);
        let token = link.split_once("?token=").map(|(_, token)| token);
        token
            .filter(|t| {
                !t.is_empty()
                    && t.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no whole token in the link {link}"))
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}
