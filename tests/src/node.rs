//! Real clients as the suite runs them: node scripts under `tests/js/` (graphql-http's
//! audit, Apollo Client, graphql-ws, headless Chromium through puppeteer-core), with the
//! packages `tests/js/package-lock.json` pins (`npm ci` there; `.ci/run` does it). Outside
//! CI a missing tool skips the test with a notice; under CI (`CI` set) it fails loudly.
use std::{path::PathBuf, process::Stdio, time::Duration};

use serde_json::Value;
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines},
    process::{Child, ChildStdin, ChildStdout, Command},
};

/// `tests/js`.
pub fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// The Chromium puppeteer drives: `CHROMIUM` or Debian's `/usr/bin/chromium`.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    path.exists().then_some(path)
}

/// Whether the tools the scripts need are here; `None` (skip) only outside CI.
#[track_caller]
pub fn tools(browser: bool) -> Option<()> {
    let mut missing = Vec::new();
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node {
        missing.push("node (apt-get install nodejs)".to_owned());
    }
    if !js_dir().join("node_modules").exists() {
        missing.push("tests/js/node_modules (cd tests/js && npm ci)".to_owned());
    }
    if browser && chromium().is_none() {
        missing.push("Chromium (apt-get install chromium, or set CHROMIUM)".to_owned());
    }
    if missing.is_empty() {
        return Some(());
    }
    let message = format!("missing {}", missing.join(", "));
    assert!(
        std::env::var_os("CI").is_none(),
        "{message}: CI must install it (.ci/run)"
    );
    eprintln!("SKIPPED: {message}");
    None
}

/// A running node script: its stdout read line by line, its stdin written to.
pub struct Script {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Lines<BufReader<ChildStdout>>,
}

impl Script {
    /// Starts `tests/js/<script>` with `args`; stderr passes through to the test's.
    pub fn start(script: &str, args: &[&str]) -> Self {
        let mut command = Command::new("node");
        command
            .arg(js_dir().join(script))
            .args(args)
            .current_dir(js_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        if let Some(chromium) = chromium() {
            command.env("CHROMIUM", chromium);
        }
        let mut child = command.spawn().expect("spawn node");
        let stdin = child.stdin.take();
        let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        Self {
            child,
            stdin,
            lines,
        }
    }

    /// The next line the script prints, within `patience`.
    pub async fn line(&mut self, patience: Duration) -> String {
        match tokio::time::timeout(patience, self.lines.next_line()).await {
            Ok(Ok(Some(line))) => line,
            Ok(_) => panic!("{:?} ended before printing a line", self.child.id()),
            Err(_) => panic!("no line from the script within {patience:?}"),
        }
    }

    /// Reads lines until one starts with `prefix`; returns the rest of it.
    pub async fn expect(&mut self, prefix: &str, patience: Duration) -> String {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let line = self.line(left).await;
            if let Some(rest) = line.strip_prefix(prefix) {
                return rest.trim().to_owned();
            }
            eprintln!("[node] {line}");
        }
    }

    pub async fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("the script's stdin");
        stdin
            .write_all(format!("{line}\n").as_bytes())
            .await
            .expect("write to the script");
        stdin.flush().await.ok();
    }

    /// Waits for the script to exit and parses the JSON it printed last (`RESULT {…}`).
    pub async fn result(mut self, patience: Duration) -> Value {
        let json = self.expect("RESULT ", patience).await;
        let status = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the script exits")
            .expect("wait for node");
        assert!(status.success(), "the script failed: {status}");
        serde_json::from_str(&json).expect("the script's RESULT is JSON")
    }
}

/// Runs a script to its end and returns its `RESULT`.
pub async fn run(script: &str, args: &[&str], patience: Duration) -> Value {
    Script::start(script, args).result(patience).await
}
