//! `server [SETTINGS] [serve | export-schema | migrate up|down|status]`: `server --help` lists
//! every setting with its environment variable, default and meaning.
use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: a request makes thousands of small, short-lived
/// allocations on two worker threads, and glibc's malloc and free were a fifth of the
/// server's CPU under load (the API benchmark's profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    server::serve::from_env().await
}
