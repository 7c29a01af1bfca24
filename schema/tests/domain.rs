//! The engine against real databases, as one test binary: each file under `schema/tests/`
//! is a module here (`cargo test -p schema --test domain plumbing::` runs one), so the
//! schema crate and its dependencies are linked into one test binary rather than five.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth_rules;
mod gamification_achievements;
mod gamification_ledger;
mod gamification_streaks;
mod plumbing;

/// With `autotests = false` a file under `tests/` that no `mod` here names is never
/// compiled, so its tests would silently not run.
#[test]
fn every_file_beside_this_one_is_one_of_its_modules() {
    let root = include_str!("domain.rs");
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let mut missing: Vec<String> = std::fs::read_dir(folder)
        .expect("read tests/")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix(".rs").map(str::to_owned))
        .filter(|module| module != "domain" && !root.contains(&format!("\nmod {module};\n")))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "declare these in schema/tests/domain.rs: {missing:?}"
    );
}
