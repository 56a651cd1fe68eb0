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

/// Mutations the web client does not call, on purpose; each with the reason (the list
/// in docs/architecture.md "API-only mutations" says the same). Anything else the schema
/// offers must be reachable from a screen.
const API_ONLY: [(&str, &str); 2] = [
    (
        "createSubscriber",
        "the web creates a subscriber with its first account (openAccount's newSubscriber, one \
         transaction) or as a legal entity (createLegalEntity); a subscriber with no account is \
         an integration's step",
    ),
    (
        "setPriceList",
        "the screens set the price list with the rest of the building card (updateBuilding) and \
         the premises card (updatePremises); kept for integrations that set only the list",
    ),
];

/// The names of `type MutationRoot`'s fields in SDL.
fn mutations(sdl: &str) -> Vec<String> {
    let (mut inside, mut doc) = (false, false);
    let mut names = Vec::new();
    for line in sdl.lines() {
        let text = line.trim();
        if line.starts_with("type MutationRoot") {
            inside = true;
        } else if inside && line.starts_with('}') {
            break;
        } else if text.starts_with("\"\"\"") {
            // A doc block's fence (a one-line doc opens and closes itself).
            if !(text.len() > 6 && text.ends_with("\"\"\"")) {
                doc = !doc;
            }
        } else if inside
            && !doc
            && let Some(rest) = line.strip_prefix('\t')
        {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && rest[name.len()..].starts_with(['(', ':']) {
                names.push(name);
            }
        }
    }
    names
}

/// Every `.graphql` operation file and Rust source of the web client, concatenated.
fn web_sources(dir: &std::path::Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            web_sources(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "graphql" || e == "rs")
        {
            out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// Whether `text` calls field `name`: the name, not part of a longer one, then its
/// arguments, its selection, or the end of the operation (a field with neither).
fn calls(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].trim_start().chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && matches!(after, Some('(' | '{' | '}'))
    })
}

#[test]
fn every_mutation_is_called_by_the_web_client_or_listed_as_api_only() {
    let sdl = backend::graphql::sdl();
    let names = mutations(&sdl);
    assert!(
        names.len() > 100,
        "the scan found {} mutations",
        names.len()
    );
    let mut web = String::new();
    web_sources(std::path::Path::new("../web/graphql"), &mut web);
    web_sources(std::path::Path::new("../web/src"), &mut web);
    assert!(
        web.len() > 100_000,
        "the web client's sources were not found"
    );
    let missing: Vec<&String> = names
        .iter()
        .filter(|m| !calls(&web, m) && !API_ONLY.iter().any(|(a, _)| a == m))
        .collect();
    assert!(
        missing.is_empty(),
        "mutations no screen calls (give them a screen, or list them in API_ONLY with the reason): {missing:?}"
    );
    // The allow-list stays short and true: each entry is a mutation the web does not call.
    for (name, reason) in API_ONLY {
        assert!(names.iter().any(|m| m == name), "{name} is not a mutation");
        assert!(
            !calls(&web, name),
            "{name} is called by the web: take it off API_ONLY"
        );
        assert!(reason.len() > 40, "{name}: say why");
    }
    let docs = std::fs::read_to_string("../docs/architecture.md").unwrap_or_default();
    for (name, _) in API_ONLY {
        assert!(
            docs.contains(&format!("`{name}`")),
            "docs/architecture.md must list `{name}`"
        );
    }
}

#[test]
fn the_scan_finds_a_call_only_as_a_whole_field() {
    assert!(calls(
        "mutation X { updateUser(id: $id) { id } }",
        "updateUser"
    ));
    assert!(calls("query { accounts { total } }", "accounts"));
    assert!(!calls("mutation { groupUpdateUser(id: 1) }", "updateUser"));
    assert!(!calls("let updateUsers = 1;", "updateUser"));
    assert!(calls(
        "mutation R {\n  removeInvoiceLogo\n}",
        "removeInvoiceLogo"
    ));
    let sdl = "type MutationRoot {\n\t\"\"\"\n\tNote: doc\n\t\"\"\"\n\ta(x: Int!): Int!\n\t\"\"\"One line\"\"\"\n\tb: Int\n}\n";
    assert_eq!(mutations(sdl), ["a", "b"]);
}
