//! `server [SETTINGS] [serve | export-schema | migrate up|down|status]`: `server --help` lists
//! every setting with its environment variable, default and meaning.
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::serve::from_env().await
}
