//! Marks the build `postgres_tests` when the PostgreSQL half of the suite can run (or must,
//! under CI): the test macros ignore that half otherwise, with a reason the runner shows.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=CI");
    if postgres_tests_enabled() {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}

fn postgres_tests_enabled() -> bool {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "false");
    set("TEST_POSTGRES_URL") || set("CI")
}
