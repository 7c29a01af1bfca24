//! `PRINT_SQL=1 cargo test … -- --nocapture`: every statement a counted request sends
//! (`graphql_counting_as`) goes to stderr between its operation and `=== END`, to see
//! what a statement bound counts.
use std::sync::Once;

/// Whether printing is on; starts the `sql` trace on the first call.
pub fn start(query: &str) -> bool {
    static TRACE: Once = Once::new();
    let on = std::env::var_os("PRINT_SQL").is_some();
    if on {
        TRACE.call_once(|| {
            tracing_subscriber::fmt()
                .with_env_filter("sql=trace")
                .with_writer(std::io::stderr)
                .with_ansi(false)
                .try_init()
                .ok();
        });
        eprintln!("=== {query}");
    }
    on
}

pub fn end(printing: bool) {
    if printing {
        eprintln!("=== END");
    }
}
