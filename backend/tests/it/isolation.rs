//! Isolation, enumerated from the schema itself (introspection), so every query and
//! mutation added later is covered without editing this file:
//! - signed out, every field but `me` is UNAUTHENTICATED;
//! - a user whose role grants nothing gets FORBIDDEN from every field but a few about
//!   the user themself;
//! - a subscriber gets FORBIDDEN from staff fields and never sees another's accounts;
//! - tenant A's admin, handed tenant B's ids and names as arguments, reaches nothing of B.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::helpers::{PASSWORD, TestApp, fresh_slug};

/// Fields anyone signed in may call: about the caller, not about tenant data.
const SELF_SERVICE: &[&str] = &["me", "tenant", "changeMyPassword"];
/// The subscriber portal's fields: a subscriber reaches them (own accounts only).
const PORTAL: &[&str] = &["myAccounts", "portalAccount", "submitPortalReading"];
/// Marker written into tenant B's data; no response to A may contain it.
const B_MARK: &str = "QQB7";

const INTROSPECT: &str = r#"{ __schema {
  queryType { name } mutationType { name }
  types { name kind
    fields { name args { name type { ...T } } type { ...T } }
    inputFields { name type { ...T } }
    enumValues { name } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"#;

struct Schema {
    types: Map<String, Value>,
    query: String,
    mutation: String,
}

impl Schema {
    async fn load(app: &TestApp) -> Self {
        let r = app.gql(INTROSPECT, json!({})).await;
        let s = &r["data"]["__schema"];
        let mut types = Map::new();
        for t in s["types"].as_array().cloned().unwrap_or_default() {
            types.insert(t["name"].as_str().unwrap_or_default().to_owned(), t);
        }
        Self {
            types,
            query: s["queryType"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            mutation: s["mutationType"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    fn fields(&self, root: &str) -> Vec<Value> {
        self.types[root]["fields"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The named type under NON_NULL / LIST wrappers, and whether it is a list.
    fn named(t: &Value) -> (String, bool) {
        let (mut t, mut list) = (t.clone(), false);
        while t["name"].is_null() {
            list |= t["kind"] == "LIST";
            t = t["ofType"].clone();
        }
        (t["name"].as_str().unwrap_or_default().to_owned(), list)
    }

    /// A value of type `t` as a GraphQL literal, using `ids` for UUIDs.
    fn literal(&self, t: &Value, ids: &Probe, depth: u32) -> String {
        let (name, list) = Self::named(t);
        let one = match name.as_str() {
            "String" => format!("\"{}\"", ids.text),
            "Int" => "1".into(),
            "Float" => "1.0".into(),
            "Boolean" => "true".into(),
            "UUID" => format!("\"{}\"", ids.uuid),
            "DateTime" => "\"2026-01-01T00:00:00Z\"".into(),
            "NaiveDate" => "\"2026-01-01\"".into(),
            "Decimal" => "\"1.00\"".into(),
            "JSON" => "\"{}\"".into(),
            // A file travels beside the query (multipart); see `send`.
            "Upload" => "$file".into(),
            other => {
                let ty = &self.types[other];
                if ty["kind"] == "ENUM" {
                    ty["enumValues"][0]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                } else if depth < 4 {
                    let fields: Vec<String> = ty["inputFields"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .iter()
                        .filter(|f| f["type"]["kind"] == "NON_NULL")
                        .map(|f| {
                            format!(
                                "{}: {}",
                                f["name"].as_str().unwrap_or_default(),
                                self.literal(&f["type"], ids, depth + 1)
                            )
                        })
                        .collect();
                    format!("{{ {} }}", fields.join(", "))
                } else {
                    "{}".into()
                }
            }
        };
        if list { format!("[{one}]") } else { one }
    }

    /// A selection of every scalar reachable within a few levels.
    fn selection(&self, t: &Value, depth: u32) -> String {
        let (name, _) = Self::named(t);
        let ty = &self.types[&name];
        if ty["kind"] != "OBJECT" {
            return String::new();
        }
        let mut parts = Vec::new();
        for f in ty["fields"].as_array().cloned().unwrap_or_default() {
            if f["args"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x["type"]["kind"] == "NON_NULL"))
            {
                continue;
            }
            let (fname, _) = Self::named(&f["type"]);
            let kind = &self.types[&fname]["kind"];
            let field = f["name"].as_str().unwrap_or_default();
            if kind == "OBJECT" {
                if depth < 3 {
                    parts.push(format!("{field} {}", self.selection(&f["type"], depth + 1)));
                }
            } else {
                parts.push(field.to_owned());
            }
        }
        format!("{{ {} }}", parts.join(" "))
    }

    /// The operation calling `field` of `root` with generated arguments.
    fn operation(&self, root: &str, field: &Value, ids: &Probe) -> String {
        let name = field["name"].as_str().unwrap_or_default();
        let args: Vec<String> = field["args"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|a| {
                format!(
                    "{}: {}",
                    a["name"].as_str().unwrap_or_default(),
                    self.literal(&a["type"], ids, 0)
                )
            })
            .collect();
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.join(", "))
        };
        let keyword = if root == self.mutation {
            "mutation"
        } else {
            "query"
        };
        let variables = if args.contains("$file") {
            "($file: Upload!)"
        } else {
            ""
        };
        format!(
            "{keyword}{variables} {{ {name}{args} {} }}",
            self.selection(&field["type"], 0)
        )
    }
}

/// Sends a probe operation with `token`: as a multipart upload when it takes a file.
async fn send(app: &TestApp, token: Option<&str>, op: &str) -> Value {
    if op.contains("$file") {
        app.upload_gql_as(token, op, json!({}), "probe.csv", b"serial;reading\nX;1\n")
            .await
    } else {
        app.gql_as(token, op, json!({})).await
    }
}

/// What generated arguments carry.
struct Probe {
    uuid: String,
    text: String,
}

fn codes(r: &Value) -> BTreeSet<String> {
    r["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|x| x["extensions"]["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn all_fields(app: &TestApp, schema: &Schema) -> Vec<(String, Value)> {
    let _ = app;
    let mut out = Vec::new();
    for root in [&schema.query, &schema.mutation] {
        for f in schema.fields(root) {
            out.push((root.clone(), f));
        }
    }
    out
}

#[tokio::test]
async fn signed_out_reaches_nothing() {
    let app = TestApp::spawn().await;
    let schema = Schema::load(&app).await;
    let probe = Probe {
        uuid: uuid::Uuid::new_v4().to_string(),
        text: "probe".into(),
    };
    for (root, f) in all_fields(&app, &schema).await {
        let name = f["name"].as_str().unwrap_or_default();
        let r = send(&app, None, &schema.operation(&root, &f, &probe)).await;
        if name == "me" {
            assert!(r["data"]["me"].is_null(), "{r}");
            continue;
        }
        assert_eq!(
            codes(&r),
            BTreeSet::from(["UNAUTHENTICATED".to_owned()]),
            "{name}: {r}"
        );
    }
}

#[tokio::test]
async fn a_role_without_permissions_is_forbidden_everywhere() {
    let app = TestApp::spawn().await;
    let r = app
        .gql(
            "mutation { createRole(code: \"nothing\", name: \"Nothing\", permissions: []) { id } }",
            json!({}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let login = format!("{}.nobody", app.tenant);
    let r = app
        .gql(
            "mutation($l: String!) { createUser(input: { login: $l, displayName: \"Nobody\", password: \"Нікому-2026-нічого\", roles: [\"nothing\"] }) { id } }",
            json!({ "l": login }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let token = app.login(&login, "Нікому-2026-нічого").await;
    let schema = Schema::load(&app).await;
    let probe = Probe {
        uuid: uuid::Uuid::new_v4().to_string(),
        text: "probe".into(),
    };
    let mut checked = 0;
    for (root, f) in all_fields(&app, &schema).await {
        let name = f["name"].as_str().unwrap_or_default();
        if SELF_SERVICE.contains(&name) {
            continue;
        }
        let r = send(&app, Some(&token), &schema.operation(&root, &f, &probe)).await;
        assert_eq!(
            codes(&r),
            BTreeSet::from(["FORBIDDEN".to_owned()]),
            "{name}: {r}"
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} fields were checked");
}

#[tokio::test]
async fn a_subscriber_sees_only_their_own_accounts() {
    let app = TestApp::spawn().await;
    let token = app
        .login(&format!("{}.subscriber", app.tenant), PASSWORD)
        .await;
    let schema = Schema::load(&app).await;
    let probe = Probe {
        uuid: uuid::Uuid::new_v4().to_string(),
        text: "probe".into(),
    };
    // The demo subscriber owns 100001 and 100003; these belong to others.
    let others = [
        "100002",
        "100004",
        "100005",
        "100006",
        "100007",
        "100008",
        "Соколова",
        "Іваненко",
        "Водограй",
    ];
    for (root, f) in all_fields(&app, &schema).await {
        let name = f["name"].as_str().unwrap_or_default();
        let r = send(&app, Some(&token), &schema.operation(&root, &f, &probe)).await;
        let data = r["data"].to_string();
        for o in others {
            assert!(!data.contains(o), "{name} showed {o}: {r}");
        }
        if !SELF_SERVICE.contains(&name) && !PORTAL.contains(&name) {
            assert_eq!(
                codes(&r),
                BTreeSet::from(["FORBIDDEN".to_owned()]),
                "{name}: {r}"
            );
        }
    }
    let mine = app
        .gql_as(Some(&token), "{ myAccounts { number } }", json!({}))
        .await;
    assert_eq!(
        mine["data"]["myAccounts"],
        json!([{ "number": "100001" }, { "number": "100003" }]),
        "{mine}"
    );
}

#[tokio::test]
async fn tenant_a_reaches_nothing_of_tenant_b() {
    let app = TestApp::spawn().await;
    // Tenant B: the demo data, renamed so that any leak is recognisable, plus a job.
    let b = fresh_slug();
    backend::demo::fixture::ensure(&app.state, &b, chrono::Utc::now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let txn = backend::tenancy::begin(&app.state.db, &b)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sea_orm::ConnectionTrait::execute_unprepared(
        &txn,
        &format!("UPDATE accounts SET holder_name = '{B_MARK} ' || holder_name, address = '{B_MARK} ' || address, number = '{B_MARK}' || number"),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let kind = backend::jobs::JobKind::AccountsExport {
        email: format!("{B_MARK}@example.com"),
        reach: Default::default(),
    };
    let (b_job, _) = backend::jobs::record(&txn, &b, &kind, chrono::Utc::now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let b_admin = app.login(&format!("{b}.admin"), PASSWORD).await;
    let b_users = app
        .gql_as(
            Some(&b_admin),
            "{ users { items { id login } } }",
            json!({}),
        )
        .await;
    let b_user_ids: Vec<String> = b_users["data"]["users"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|u| u["id"].as_str().map(str::to_owned))
        .collect();
    let b_audit_before = app
        .gql_as(Some(&b_admin), "{ auditLog { total } }", json!({}))
        .await;

    let schema = Schema::load(&app).await;
    let mut uuids = vec![b_job.id.to_string()];
    uuids.extend(b_user_ids.iter().cloned());
    let mut answered = 0;
    // Queries first (mutations below may add A's own rows), each with every B id.
    for root in [schema.query.clone(), schema.mutation.clone()] {
        for f in schema.fields(&root) {
            let name = f["name"].as_str().unwrap_or_default();
            if name == "changeMyPassword" {
                continue; // would end A's admin session; covered by the auth tests
            }
            for uuid in &uuids {
                // Queries search for B's names; mutations get neutral text, since what
                // they create echoes it back.
                let text = if root == schema.query {
                    B_MARK
                } else {
                    "probe"
                };
                let probe = Probe {
                    uuid: uuid.clone(),
                    text: text.into(),
                };
                let r = send(
                    &app,
                    Some(&app.admin_token),
                    &schema.operation(&root, &f, &probe),
                )
                .await;
                assert!(
                    !codes(&r).contains("BAD_REQUEST"),
                    "generated operation is malformed: {r}"
                );
                if r["errors"].is_null() {
                    answered += 1;
                }
                let data = r["data"].to_string();
                assert!(!data.contains(B_MARK), "{name} leaked tenant B data: {r}");
                for id in &uuids {
                    assert!(
                        !data.contains(id.as_str()),
                        "{name} returned B's id {id}: {r}"
                    );
                }
            }
        }
    }
    assert!(
        answered >= 10,
        "only {answered} calls succeeded: the probe is not reaching resolvers"
    );
    // Nothing of B changed: its users still sign in, its audit log has no new rows.
    for login in ["admin", "operator", "viewer"] {
        assert_eq!(
            app.try_login(&format!("{b}.{login}"), PASSWORD, true)
                .await
                .status(),
            200,
            "{login}"
        );
    }
    let b_admin = app.login(&format!("{b}.admin"), PASSWORD).await;
    let b_audit_after = app
        .gql_as(Some(&b_admin), "{ auditLog { total } }", json!({}))
        .await;
    assert_eq!(
        b_audit_before["data"], b_audit_after["data"],
        "A's calls wrote into B's audit log"
    );
    let b_job_now = app
        .gql_as(
            Some(&b_admin),
            "query($id: UUID!) { job(id: $id) { state } }",
            json!({ "id": b_job.id }),
        )
        .await;
    assert_eq!(b_job_now["data"]["job"]["state"], "QUEUED", "{b_job_now}");
    backend::tenants::drop(&app.state.db, &b)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
