//! The committed GraphQL SDL must match the server's schema.

#[test]
fn committed_schema_matches_the_server() {
    let committed = std::fs::read_to_string("schema.graphql")
        .unwrap_or_else(|e| panic!("backend/schema.graphql: {e}"));
    let live = backend::graphql::sdl();
    assert!(
        committed == live,
        "backend/schema.graphql is out of date: run `cargo run -q -p backend -- schema > backend/schema.graphql`"
    );
}
