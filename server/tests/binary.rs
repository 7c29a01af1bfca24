//! The binary as a newcomer runs it: no configuration at all, embedded SQLite, and a clean
//! stop on SIGTERM; and `export-schema` printing the checked-in SDL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Command, Stdio},
    sync::mpsc,
    time::Duration,
};

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("server-binary-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn with_no_configuration_it_serves_from_a_new_sqlite_file_and_stops_on_sigterm() {
    let dir = scratch_dir();
    // Only the port is chosen, so the test never collides with a server on 8000.
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(&dir)
        .env_clear()
        .env("APP_BIND", "127.0.0.1:0")
        .env("APP_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();

    let (lines_tx, lines) = mpsc::channel::<serde_json::Value>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(json) = serde_json::from_str(&line) {
                lines_tx.send(json).ok();
            }
        }
    });
    let next_log = |wanted: &str| loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no `{wanted}` log line"));
        if line["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(wanted))
        {
            return line;
        }
    };

    let addr = next_log("serving GraphiQL")["addr"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(dir.join("data/app.db").exists(), "./data/app.db is created");

    let http = reqwest::Client::new();
    let body: serde_json::Value = http
        .post(format!("http://{addr}/graphql"))
        .json(&serde_json::json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["__typename"], "Query");
    let page = http.get(format!("http://{addr}/")).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("graphiql.min.js"));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    next_log("stopped");
    let exit = child.wait().unwrap();
    assert!(exit.success(), "a SIGTERM is a clean stop, got {exit}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn export_schema_prints_the_checked_in_sdl() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("export-schema")
        .output()
        .unwrap();
    assert!(output.status.success());
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql")).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), checked_in);
}

#[test]
fn an_unknown_command_or_bad_configuration_exits_with_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serv")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown command"));

    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("APP_BIND", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("APP_BIND"));
}
