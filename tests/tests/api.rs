//! The black-box API suite as one test binary: each area's file under `tests/tests/` is a
//! module here (`cargo test -p tests --test api habits::` runs one area). One binary links
//! the whole server once instead of once per file, and its tests share one pool of test
//! threads, so no binary's slow tail leaves a core idle while the next waits to start.
//! Nothing in the suite needs a process of its own: every test has its own database, outbox
//! and port, and the tests that kill, signal or limit a server start `app-server` as a
//! child (`ChildServer`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_admin;
mod access_control;
mod access_escalation;
mod access_races;
mod achievements;
mod achievements_api;
mod boundary_probe;
mod calendar;
mod clients_apollo;
mod clients_browser;
mod clients_http;
mod clients_keep_alive;
mod clients_newcomer;
mod clients_ws_failover;
mod cost_limits;
mod faults_best_effort;
mod faults_crash;
mod faults_disk_full;
mod faults_retryable;
mod faults_slow_clients;
mod first_minutes;
mod focus;
mod goals;
mod habits;
mod http_protocol;
mod identity_oauth;
mod identity_passkeys;
mod identity_profile;
mod identity_sessions;
mod identity_sign_in;
mod identity_sign_in_cache;
mod identity_websocket;
mod input_validation;
mod plans;
mod point_limits;
mod quests;
mod read_abandoned;
mod read_cost;
mod read_snapshot;
mod rewards_ledger;
mod rewards_reads;
mod routes;
mod schema_conformance;
mod schema_sdl;
mod websocket;
mod write_cost;

/// With `autotests = false` a file under `tests/` that no `mod` here names is never
/// compiled, so its tests would silently not run.
#[test]
fn every_file_beside_this_one_is_one_of_its_modules() {
    let root = include_str!("api.rs");
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let mut missing: Vec<String> = std::fs::read_dir(folder)
        .expect("read tests/")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix(".rs").map(str::to_owned))
        .filter(|module| module != "api" && !root.contains(&format!("\nmod {module};\n")))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "declare these in tests/tests/api.rs: {missing:?}"
    );
}
