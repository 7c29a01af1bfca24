//! The server's `serve` command, built with the suite so process tests (crash, disk full,
//! shutdown) can start it as a child: `CARGO_BIN_EXE_app-server`.
#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::serve::from_env().await
}
