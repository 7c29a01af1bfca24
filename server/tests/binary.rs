//! The binary as a newcomer runs it: no configuration at all, embedded SQLite, and a clean
//! stop on SIGTERM; `export-schema` printing the checked-in SDL; `--help`, `migrate`, and
//! what a wrong setting or a busy port says.
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

/// A folder of this test's own (tests run in parallel; `scratch_dir` is the first test's).
fn own_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("server-binary-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env_clear();
    command
}

#[test]
fn an_unknown_command_or_bad_configuration_exits_with_a_clear_error() {
    let output = server().arg("serv").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unrecognized subcommand 'serv'"));

    let output = server().env("APP_BIND", "nonsense").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("APP_BIND: `nonsense` is not accepted: expected an IP address and port"),
        "{stderr}"
    );

    let output = server()
        .env("APP_IDLE_TIMEOUT_SECONDS", "0")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("APP_IDLE_TIMEOUT_SECONDS"), "{stderr}");
}

#[test]
fn help_lists_the_commands_and_every_setting_with_its_variable_and_default() {
    let output = server().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for command in ["serve", "export-schema", "migrate"] {
        assert!(help.contains(command), "{command} in:\n{help}");
    }
    for (variable, default) in [
        ("APP_BIND", "[default: 127.0.0.1:8000]"),
        ("DATABASE_URL", "[default: sqlite://./data/app.db?mode=rwc]"),
        ("APP_IDLE_TIMEOUT_SECONDS", "[default: 60]"),
        ("APP_CORS_ORIGINS", ""),
        ("APP_TRUSTED_DOCUMENTS", ""),
        ("APP_SMTP_URL", ""),
    ] {
        assert!(
            help.contains(&format!("[env: {variable}")),
            "{variable} in:\n{help}"
        );
        assert!(help.contains(default), "{default} in:\n{help}");
    }
    let output = server().args(["migrate", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for action in ["up", "down", "status"] {
        assert!(help.contains(action), "{action} in:\n{help}");
    }
}

#[test]
fn a_busy_port_exits_2_saying_which_setting_moves_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let dir = own_dir("busy");
    let output = server()
        .current_dir(&dir)
        .env("APP_BIND", addr.to_string())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{addr} is in use; set APP_BIND to another address"
        )),
        "{stderr}"
    );
}

#[test]
fn migrate_status_lists_each_migration() {
    let dir = own_dir("migrate");
    let up = server()
        .current_dir(&dir)
        .args(["migrate", "up"])
        .output()
        .unwrap();
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    let status = server()
        .current_dir(&dir)
        .args(["migrate", "status"])
        .output()
        .unwrap();
    let listed = String::from_utf8(status.stdout).unwrap();
    assert!(listed.contains("m0001_auth\tApplied"), "{listed}");
}

/// The README's configuration table is rendered from the settings; `UPDATE_README=1`
/// rewrites it after a setting changes.
#[test]
fn the_readme_configuration_table_matches_the_settings() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (begin, end) = ("<!-- settings:begin -->\n", "<!-- settings:end -->");
    let start = readme
        .find(begin)
        .expect("the settings markers in README.md")
        + begin.len();
    let stop = readme[start..].find(end).expect("the end marker") + start;
    let table = server::config::settings::markdown_table();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[stop..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        readme[start..stop],
        table,
        "README.md's settings table is stale: UPDATE_README=1 cargo test -p server --test binary"
    );
}
