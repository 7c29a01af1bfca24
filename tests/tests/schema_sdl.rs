//! `schema.graphql` is the contract clients build against: it must equal what the code exports.

#[test]
fn the_checked_in_schema_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let checked_in = std::fs::read_to_string(path).expect("schema.graphql at the workspace root");
    let exported = schema::sdl();
    assert!(
        checked_in == exported,
        "schema.graphql is stale; regenerate it with\n  cargo run -p server -- export-schema > schema.graphql\n\
         --- exported ---\n{exported}"
    );
}
