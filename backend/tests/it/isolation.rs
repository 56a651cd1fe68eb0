//! Isolation, enumerated from the schema itself (introspection), so every query and
//! mutation added later is covered without editing this file:
//! - signed out, every field but `me` is UNAUTHENTICATED;
//! - a user whose role grants nothing gets FORBIDDEN from every field but a few about
//!   the user themself;
//! - a subscriber gets FORBIDDEN from staff fields and never sees another's accounts;
//! - tenant A's admin, handed tenant B's ids and names as arguments, reaches nothing of B;
//! - a staff user limited to a branch, handed the ids, numbers and names of records outside
//!   it (every query field, every file route), gets none of them back.

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
    fields { name args { name defaultValue type { ...T } } type { ...T } }
    inputFields { name type { ...T } }
    enumValues { name } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }"#;

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
        // Wrappers nest at most as deep as the introspection's fragment reaches (a list of
        // lists is six); past it the walk stops rather than spin.
        while t["name"].is_null() && !t["ofType"].is_null() {
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
    tools::demo::fixture::ensure(&app.state, &b, chrono::Utc::now())
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
    // What B's users did, not counting their signing in (the test signs them in).
    let b_changes = format!(
        "SELECT count(*) FROM \"{}\".audit_log WHERE entity <> 'session'",
        b.schema()
    );
    let b_audit_before = crate::helpers::sql_number(&app, &b_changes).await;

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
    let b_audit_after = crate::helpers::sql_number(&app, &b_changes).await;
    assert_eq!(
        b_audit_before, b_audit_after,
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
    backend::tenants::drop(&app.state.owner_db, &b)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Marker written into the records outside the limited user's reach.
const R_MARK: &str = "QQR9";

/// The kind of record an `Int` argument names, when the user's reach decides whether they
/// see it: by field and argument name. Ids of records every staff user of the tenant sees
/// (price lists, services, banks) are `Some(None)`. An id argument missing here fails the
/// test, so a new query field cannot slip past the reach check unexamined.
fn governed(field: &str, arg: &str) -> Option<Option<&'static str>> {
    Some(match (field, arg) {
        (_, "accountId") | ("account", "id") => Some("account"),
        ("building", "id") | (_, "buildingId") => Some("building"),
        (_, "meterId") | ("meter" | "meterChanges", "id") => Some("meter"),
        ("legalEntity", "id") => Some("legal"),
        ("retailCustomer", "id") => Some("retail"),
        (
            "act" | "actLines" | "actMonths" | "actSubsidies" | "actHouseReadings" | "actPayments",
            "id",
        ) => Some("act"),
        ("paymentLines", "id") => Some("payment"),
        (_, "batchId") | ("paymentBatch", "id") => Some("batch"),
        (_, "fileId") | ("paymentFile", "id") => Some("file"),
        (_, "premisesId") => Some("premises"),
        // An import template is a layout, not a record of anybody's.
        ("saveImportTemplate", "id") => None,
        (
            _,
            "priceListId" | "serviceId" | "bankId" | "reasonId" | "executorId" | "controllerId",
        ) => None,
        // A journal or an account type of the books filters the list within the reach.
        ("accounts", "journalId" | "typeId") => None,
        // A report's branch narrows what the reach already allows; it names no marked record.
        (_, "branchId") => None,
        _ => return None,
    })
}

fn id_like(arg: &str) -> bool {
    arg == "id" || arg.ends_with("Id")
}

fn blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(blank),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        // Money travels as text: "0" and "0.00" say nothing.
        Value::String(t) => t.parse::<f64>() == Ok(0.0),
    }
}

/// What the marked records are: ids by kind, the job's id, a period with their invoices.
struct Marked {
    ids: std::collections::BTreeMap<&'static str, Vec<String>>,
    job: String,
    numbers: Vec<String>,
    period: String,
    today: String,
}

impl Marked {
    /// The values an argument is tried with (None: left out), and whether they are marker ids.
    fn options(&self, schema: &Schema, field: &str, arg: &Value) -> Vec<(Option<String>, bool)> {
        let name = arg["name"].as_str().unwrap_or_default();
        let required = arg["type"]["kind"] == "NON_NULL" && arg["defaultValue"].is_null();
        let (ty, list) = Schema::named(&arg["type"]);
        let wrap = |v: String| if list { format!("[{v}]") } else { v };
        let mut out: Vec<(Option<String>, bool)> = Vec::new();
        if !required {
            out.push((None, false));
        }
        match ty.as_str() {
            "Int" if id_like(name) => {
                let kind = governed(field, name).unwrap_or_else(|| {
                    panic!("{field}({name}): say which record it names in `governed`")
                });
                match kind {
                    Some(k) => {
                        let ids = &self.ids[k];
                        assert!(!ids.is_empty(), "no marked {k}");
                        out.extend(ids.iter().map(|i| (Some(wrap(i.clone())), true)));
                    }
                    None if required => out.push((Some(wrap("1".into())), false)),
                    None => {}
                }
            }
            "UUID" => out.push((Some(format!("\"{}\"", self.job)), true)),
            "String" => {
                let v = match name {
                    "search" | "subscriber" => vec![R_MARK.to_owned()],
                    "accountNumber" => self.numbers.clone(),
                    "period" => vec![self.period.clone()],
                    "kind" => vec!["readings".into(), "payment".into()],
                    _ if required => vec![R_MARK.to_owned()],
                    _ => vec![],
                };
                let marks = name == "accountNumber";
                out.extend(
                    v.into_iter()
                        .map(|v| (Some(wrap(format!("\"{v}\""))), marks)),
                );
            }
            "NaiveDate" if required => out.push((Some(format!("\"{}\"", self.today)), false)),
            other if schema.types[other]["kind"] == "INPUT_OBJECT" => {
                // A filter: tried with each of its id and search fields set alone.
                for f in schema.types[other]["inputFields"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                {
                    let fname = f["name"].as_str().unwrap_or_default();
                    for (v, marks) in self.options(schema, field, &f) {
                        if let Some(v) = v {
                            out.push((Some(format!("{{ {fname}: {v} }}")), marks));
                        }
                    }
                }
                if required && out.is_empty() {
                    out.push((Some(schema.literal(&arg["type"], &self.probe(), 0)), false));
                }
            }
            _ if required => {
                out.push((Some(schema.literal(&arg["type"], &self.probe(), 0)), false))
            }
            _ => {}
        }
        out
    }

    fn probe(&self) -> Probe {
        Probe {
            uuid: self.job.clone(),
            text: R_MARK.into(),
        }
    }

    /// Every call of `field` to try: the product of its arguments' options.
    fn calls(&self, schema: &Schema, field: &Value) -> Vec<(String, bool)> {
        let name = field["name"].as_str().unwrap_or_default();
        let mut calls: Vec<(Vec<String>, bool)> = vec![(vec![], false)];
        for a in field["args"].as_array().cloned().unwrap_or_default() {
            let arg = a["name"].as_str().unwrap_or_default().to_owned();
            let mut next = Vec::new();
            for (args, marks) in &calls {
                for (v, m) in self.options(schema, name, &a) {
                    let mut args = args.clone();
                    if let Some(v) = v {
                        args.push(format!("{arg}: {v}"));
                    }
                    next.push((args, *marks || m));
                }
            }
            calls = next;
        }
        calls
            .into_iter()
            .map(|(args, marks)| {
                let args = if args.is_empty() {
                    String::new()
                } else {
                    format!("({})", args.join(", "))
                };
                (
                    format!(
                        "query {{ {name}{args} {} }}",
                        schema.selection(&field["type"], 0)
                    ),
                    marks,
                )
            })
            .collect()
    }
}

/// Comma-separated ids from SQL, as a list.
async fn ids_of(app: &TestApp, query: &str) -> Vec<String> {
    let text = crate::helpers::sql_text(
        app,
        &format!("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM ({query}) q"),
    )
    .await;
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .take(3)
        .collect()
}

/// A user limited to branch 1, with every permission, is handed the ids, numbers and names
/// of the records of branch 2 — accounts, subscribers, a legal entity and its contract, a
/// building and its meters, payments, a batch, a bank file's rows, invoices, an admin's
/// job — through every query field of the schema and every file route of the router, and
/// must get none of them back (tried before the fix: subscribers, legal entities, a batch,
/// a file's rows, the jobs list and `/files/jobs/<id>` all showed them).
#[tokio::test]
async fn a_branch_limited_user_reaches_nothing_outside_the_branch() {
    use crate::helpers::{sql, sql_text};
    let app = TestApp::spawn_demo(tools::demo::Demo::Ukraine, chrono::Utc::now()).await;
    let b2 = "(SELECT id FROM \"{s}\".branches WHERE code = '2')";
    // The company's contract accounts go to branch 2 too, so a legal entity is marked.
    sql(&app, &format!("UPDATE \"{{s}}\".accounts SET branch_id = {b2} WHERE id IN (SELECT account_id FROM \"{{s}}\".contracts)")).await;
    let outside = format!("SELECT id FROM \"{{s}}\".accounts WHERE branch_id = {b2}");
    let only_outside = format!(
        "SELECT s.id FROM \"{{s}}\".subscribers s WHERE EXISTS (SELECT 1 FROM \"{{s}}\".accounts a WHERE a.subscriber_id = s.id AND a.id IN ({outside})) \
         AND NOT EXISTS (SELECT 1 FROM \"{{s}}\".accounts a WHERE a.subscriber_id = s.id AND a.id NOT IN ({outside}))"
    );
    let buildings = format!("SELECT id FROM \"{{s}}\".buildings WHERE branch_id = {b2}");
    let batch = {
        // A batch of branch 2 alone, made by the admin.
        let number = sql_text(
            &app,
            &format!(
                "SELECT number FROM \"{{s}}\".accounts WHERE id IN ({outside}) ORDER BY id LIMIT 1"
            ),
        )
        .await;
        let today = chrono::Utc::now().date_naive();
        let r = app
            .gql(
                "mutation($d: NaiveDate!) { createPaymentBatch(input: { number: \"R-1\", batchDate: $d, kind: CASH_DESK, controlCount: 1, controlSum: \"10.00\" }) { id } }",
                json!({ "d": today }),
            )
            .await;
        let id = r["data"]["createPaymentBatch"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{r}"));
        let r = app
            .gql(
                "mutation($id: Int!, $n: String!, $d: NaiveDate!) { setPaymentBatchItems(id: $id, items: [{ accountNumber: $n, amount: \"10.00\", paidOn: $d }]) { batch { id } } }",
                json!({ "id": id, "n": number, "d": today }),
            )
            .await;
        assert!(r["errors"].is_null(), "{r}");
        id
    };
    // An act on an account of branch 2, entered by the admin.
    let act = {
        let account: i64 = sql_text(&app, &format!("SELECT min(id)::text FROM ({outside}) o"))
            .await
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let service: i64 = sql_text(
            &app,
            "SELECT id::text FROM \"{s}\".services WHERE code = 'xvs'",
        )
        .await
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
        let r = app
            .gql(
                "mutation($a: Int!, $s: Int!) { addCorrection(input: { kind: CORRECTION, accountId: $a, serviceId: $s, amount: \"1.00\" }) { id } }",
                json!({ "a": account, "s": service }),
            )
            .await;
        r["data"]["addCorrection"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{r}"))
    };
    let batches = format!(
        "SELECT b.id FROM \"{{s}}\".payment_batches b WHERE EXISTS (SELECT 1 FROM \"{{s}}\".payment_batch_items i WHERE i.batch_id = b.id) \
         AND NOT EXISTS (SELECT 1 FROM \"{{s}}\".payment_batch_items i WHERE i.batch_id = b.id AND i.account_id NOT IN ({outside}))"
    );
    // The admin's whole-tenant export, done.
    let worker = app.start_worker(app.state.clone(), "w-reach");
    let r = app
        .gql(
            "mutation($e: String!) { requestAccountsExport(email: $e) { id } }",
            json!({ "e": format!("admin@{}.example", app.tenant) }),
        )
        .await;
    let job = r["data"]["requestAccountsExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let done = app.wait_job(&job, std::time::Duration::from_secs(60)).await;
    assert_eq!(done["state"], "DONE", "{done}");
    worker.stop().await;

    // An electricity customer of branch 2 with a point and a contract, its name marked.
    let retail = {
        let branch: i64 = sql_text(&app, &format!("SELECT {b2}::text"))
            .await
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        sql(
            &app,
            "INSERT INTO \"{s}\".grid_operators (code, name) VALUES ('G', 'G')",
        )
        .await;
        let r = app
            .gql(
                "mutation($b: Int!, $n: String!) { saveRetailCustomer(input: { branchId: $b, kind: \"household\", name: $n, delivery: \"post\" }) { customer { id } } }",
                json!({ "b": branch, "n": format!("{R_MARK} Иван") }),
            )
            .await;
        let id = r["data"]["saveRetailCustomer"]["customer"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{r}"));
        let r = app
            .gql(
                "mutation($c: Int!, $g: Int!) { saveRetailPoint(customerId: $c, input: { eic: \"32Z140000201473C\", gridOperatorId: $g, voltage: \"low\", metering: \"hourly\", address: \"QQR9 addr\", registeredFrom: \"2026-01-01\" }) { points { id } } }",
                json!({ "c": id, "g": sql_text(&app, "SELECT id::text FROM \"{s}\".grid_operators WHERE code = 'G'").await.parse::<i64>().unwrap_or_default() }),
            )
            .await;
        assert!(r["errors"].is_null(), "{r}");
        id
    };
    // A scanned paper of that customer, for the file route.
    let paper = {
        let r = app
            .upload_gql(
                "mutation($c: Int!, $file: Upload!) { attachRetailDocument(customerId: $c, file: $file) { documents { id } } }",
                json!({ "c": retail }),
                "scan.pdf",
                b"%PDF-1.4\n%%EOF\n",
            )
            .await;
        r["data"]["attachRetailDocument"]["documents"][0]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{r}"))
            .to_string()
    };
    // Mark everything of branch 2 (names, numbers, serials), so any leak is recognisable.
    for update in [
        format!(
            "UPDATE \"{{s}}\".payment_file_rows SET account = '{R_MARK}' || account, payer = '{R_MARK} ' || coalesce(payer, '') \
                 WHERE account IN (SELECT number FROM \"{{s}}\".accounts WHERE id IN ({outside})) \
                    OR payment_id IN (SELECT id FROM \"{{s}}\".payments WHERE account_id IN ({outside}))"
        ),
        format!(
            "UPDATE \"{{s}}\".accounts SET number = '{R_MARK}' || number, holder_name = '{R_MARK} ' || holder_name, \
                 address = '{R_MARK} ' || address WHERE id IN ({outside})"
        ),
        format!(
            "UPDATE \"{{s}}\".subscribers SET last_name = '{R_MARK} ' || last_name, legal_name = '{R_MARK} ' || legal_name WHERE id IN ({only_outside})"
        ),
        format!(
            "UPDATE \"{{s}}\".contracts SET number = '{R_MARK}' || number WHERE account_id IN ({outside})"
        ),
        format!(
            "UPDATE \"{{s}}\".streets SET name = '{R_MARK} ' || name WHERE id IN (SELECT street_id FROM \"{{s}}\".buildings WHERE id IN ({buildings})) \
                 AND NOT EXISTS (SELECT 1 FROM \"{{s}}\".buildings b WHERE b.street_id = streets.id AND b.id NOT IN ({buildings}))"
        ),
        format!(
            "UPDATE \"{{s}}\".meters SET serial = '{R_MARK}-' || serial WHERE account_id IN ({outside}) OR building_id IN ({buildings})"
        ),
        format!(
            "UPDATE \"{{s}}\".payment_batches SET comment = '{R_MARK} ' || coalesce(comment, '') WHERE id IN ({batches})"
        ),
        format!(
            "UPDATE \"{{s}}\".audit_log SET after = coalesce(after, '{{}}'::jsonb) || '{{\"marker\": \"{R_MARK}\"}}' \
                 WHERE (entity = 'account' AND entity_id IN (SELECT id::text FROM ({outside}) o)) \
                    OR (entity = 'payment' AND entity_id IN (SELECT id::text FROM \"{{s}}\".payments WHERE account_id IN ({outside})))"
        ),
    ] {
        sql(&app, &update).await;
    }
    let mut ids = std::collections::BTreeMap::new();
    ids.insert("account", ids_of(&app, &outside).await);
    ids.insert("building", ids_of(&app, &buildings).await);
    ids.insert("premises", ids_of(&app, &format!("SELECT premises_id AS id FROM \"{{s}}\".accounts WHERE id IN ({outside}) AND premises_id IS NOT NULL")).await);
    ids.insert("meter", ids_of(&app, &format!("SELECT id FROM \"{{s}}\".meters WHERE account_id IN ({outside}) OR building_id IN ({buildings})")).await);
    ids.insert("legal", ids_of(&app, &format!("SELECT id FROM ({only_outside}) o WHERE id IN (SELECT subscriber_id FROM \"{{s}}\".contracts)")).await);
    ids.insert(
        "payment",
        ids_of(
            &app,
            &format!("SELECT id FROM \"{{s}}\".payments WHERE account_id IN ({outside})"),
        )
        .await,
    );
    ids.insert("batch", vec![batch.to_string()]);
    ids.insert("act", vec![act.to_string()]);
    ids.insert("retail", vec![retail.to_string()]);
    ids.insert("file", ids_of(&app, &format!("SELECT DISTINCT file_id AS id FROM \"{{s}}\".payment_file_rows WHERE account LIKE '{R_MARK}%'")).await);
    for (k, v) in &ids {
        assert!(
            !v.is_empty(),
            "the demo has no {k} outside branch 1 to mark"
        );
    }
    let numbers = sql_text(&app, &format!("SELECT string_agg(number, ',') FROM (SELECT number FROM \"{{s}}\".accounts WHERE id IN ({outside}) ORDER BY id LIMIT 2) n")).await;
    let (account, period) = {
        let a = ids_of(
            &app,
            &format!(
                "SELECT account_id AS id FROM \"{{s}}\".invoices WHERE account_id IN ({outside})"
            ),
        )
        .await;
        let a = a
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("no invoice outside branch 1"));
        let p = sql_text(&app, &format!("SELECT to_char(max(period), 'YYYY-MM') FROM \"{{s}}\".invoices WHERE account_id = {a}")).await;
        (a, p)
    };
    let marked = Marked {
        ids,
        job: job.clone(),
        numbers: numbers.split(',').map(str::to_owned).collect(),
        period: period.clone(),
        today: chrono::Utc::now().date_naive().to_string(),
    };

    let limited = format!("{}.branch1", app.tenant);
    let r = app
        .gql(
            "mutation($l: String!) { createUser(input: { login: $l, displayName: \"Філія 1\", password: \"Філія-2026-перша\", roles: [\"tenant_admin\"], branchIds: [1] }) { id } }",
            json!({ "l": limited }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let token = app.login(&limited, "Філія-2026-перша").await;

    let schema = Schema::load(&app).await;
    let (mut fields, mut calls, mut by_id) = (0, 0, 0);
    for f in schema.fields(&schema.query) {
        let name = f["name"].as_str().unwrap_or_default().to_owned();
        fields += 1;
        for (op, marks) in marked.calls(&schema, &f) {
            calls += 1;
            let r = send(&app, Some(&token), &op).await;
            assert!(
                !codes(&r).contains("BAD_REQUEST"),
                "malformed probe {op}: {r}"
            );
            let data = r["data"].to_string();
            assert!(
                !data.contains(R_MARK),
                "{name} showed a record outside the reach: {op} → {r}"
            );
            assert!(
                !data.contains(&job),
                "{name} showed the admin's job: {op} → {r}"
            );
            if marks {
                // The same call by the unlimited admin finds the record; the limited user
                // must not get what the admin got.
                let whole = send(&app, Some(&app.admin_token), &op).await;
                if whole["errors"].is_null() && !blank(&whole["data"]) {
                    by_id += 1;
                    assert!(
                        !(r["errors"].is_null() && r["data"] == whole["data"]),
                        "{name} served a record outside the reach: {op} → {r}"
                    );
                }
            }
        }
    }

    // File routes, from the router's own list.
    let mut routes = 0;
    for route in backend::http::FILE_ROUTES {
        let path = route
            .replace("{id}", &job)
            .replace("{account}", &account)
            .replace("{period}", &period)
            .replace("{format}", "pdf")
            .replace("{document}", &paper);
        assert!(
            !path.contains('{'),
            "{route}: say what to put in its parameters"
        );
        let get = |t: &str| {
            app.http
                .get(format!("{}{path}", app.base))
                .bearer_auth(t.to_owned())
                .send()
        };
        let whole = get(&app.admin_token)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(whole.status(), 200, "{path}: the admin downloads it");
        let part = get(&token).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(
            [403, 404].contains(&part.status().as_u16()),
            "{path} gave a limited user {}",
            part.status()
        );
        routes += 1;
    }
    println!(
        "reach: {fields} query fields, {calls} calls ({by_id} naming a record the admin sees), {routes} file routes"
    );
    assert!(
        fields >= 50 && by_id >= 15,
        "{fields} fields, {by_id} calls by id"
    );
}
