//! `cargo run -p server` serves the API; `cargo run -p server -- export-schema` prints the SDL.
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        Some("export-schema") => {
            print!("{}", schema::sdl());
            ExitCode::SUCCESS
        }
        None | Some("serve") => server::serve::from_env().await,
        Some(other) => {
            eprintln!("unknown command `{other}`; use `serve` (the default) or `export-schema`");
            ExitCode::from(2)
        }
    }
}
