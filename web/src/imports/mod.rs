//! "Import data" (seed 001 §5, §4.3.2): the imports in the order a migration loads them,
//! what each has loaded, a sample file for each; uploading a file or a ZIP of files to be
//! checked (every row tried, nothing kept) or posted, with live progress, the totals (the
//! balances' reconciliation), the skipped rows and the XLSX protocol; posting a checked
//! file; the uploaded files; and, for tenant admins, the import templates.

use serde_json::Value;
use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, ImportEmployees, ImportFiles, ImportKinds, ImportRows, ImportSampleQuery, MatchImportRow,
    PostImports, SaveImportTemplate, import_employees, import_files, import_kinds, import_rows,
    import_sample_query, match_import_row, post_imports, save_import_template,
};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
use crate::shared::toast::use_toaster;
use crate::shell::{Ui, use_can};

type Kinds = Option<Result<import_kinds::ResponseData, String>>;

fn kind_code(kind: &impl serde::Serialize) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The kind's label (the codes catalog's `ImportKind` list).
fn kind_label(ui: &Ui, code: &str) -> String {
    labels::code(ui, "ImportKind", code)
}

#[function_component(ImportData)]
pub fn import_data() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let data = use_state(|| None as Kinds);
    let generation = use_state(|| 0u32);
    {
        let data = data.clone();
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<ImportKinds>(import_kinds::Variables {}).await,
                ));
            });
        });
    }
    let refresh = {
        let g = generation.clone();
        Callback::from(move |()| g.set(*g + 1))
    };
    let Some(Ok(d)) = &*data else {
        return match &*data {
            Some(Err(e)) => html! { <p class="error">{ e }</p> },
            _ => html! { <p class="loading">{ ui.t(Key::Loading) }</p> },
        };
    };
    let rows = d
        .import_kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let code = kind_code(&k.kind);
            let fields = html! {
                { for k.fields.iter().map(|f| html! {
                    <span class={classes!("field", f.required.then_some("required"))} data-field={f.name.clone()} title={format!("{}: {}", f.name, f.headers.join(", "))}>{ format!("{} ", f.label) }</span>
                }) }
            };
            let rule = if k.independent_rows { ui.t(Key::ImpRowsIndependent) } else { ui.t(Key::ImpRowsWhole) };
            Row::new(
                code.clone(),
                vec![
                    Cell::count(i + 1),
                    Cell::text(kind_label(&ui, &code)),
                    Cell::count(k.loaded.records).attr("data-records", k.loaded.records.to_string()),
                    Cell::count(k.loaded.files_posted),
                    Cell::text(rule),
                    Cell::html(fields),
                    Cell::html(html! { <Sample kind={code.clone()} /> }),
                ],
            )
            .attr("data-kind", code)
        })
        .collect::<Vec<_>>();
    let columns = vec![
        Column::new("step", "№").numeric(),
        Column::new("kind", ui.t(Key::ImpKind)),
        Column::new("loaded", ui.t(Key::ImpLoaded)).numeric(),
        Column::new("files", ui.t(Key::ImpFilesPosted)).numeric(),
        Column::new("rule", ui.t(Key::ImpRule)).optional(),
        Column::new("fields", ui.t(Key::ImpFields)).optional(),
        Column::new("sample", ui.t(Key::ImpSample)),
    ];
    let uploadable: Vec<(String, String)> = d
        .import_kinds
        .iter()
        .filter(|k| k.can_upload)
        .map(|k| {
            let c = kind_code(&k.kind);
            (c.clone(), kind_label(&ui, &c))
        })
        .collect();
    let templates: Vec<(i64, String, String)> = d
        .import_templates
        .iter()
        .filter(|t| t.active)
        .map(|t| (t.id, kind_code(&t.kind), t.name.clone()))
        .collect();
    html! {
        <section id="import-data">
            <h2>{ ui.t(Key::ImpTitle) }</h2>
            <p class="hint">{ ui.t(Key::ImpIntro) }</p>
            <div class="card">
                <DataTable id="import-kinds-table" {columns} rows={Rows::Ready(rows)} />
            </div>
            if !uploadable.is_empty() {
                <UploadCard kinds={uploadable} templates={templates} on_done={refresh.clone()} />
            }
            <FilesCard key={*generation} on_change={refresh.clone()}
                matchable={d.import_kinds.iter().filter(|k| k.independent_rows && k.can_upload).map(|k| kind_code(&k.kind)).collect::<Vec<_>>()} />
            if can.allows("settings.update") {
                <TemplateForm kinds={d.import_kinds.iter().map(|k| (kind_code(&k.kind), k.fields.iter().map(|f| (f.name.clone(), f.label.clone(), f.required)).collect())).collect::<Vec<(String, Vec<FieldOf>)>>()}
                    on_saved={refresh} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SampleProps {
    kind: String,
}

/// A link that fetches the kind's sample (the tenant's own services in it) and saves it.
#[function_component(Sample)]
fn sample(props: &SampleProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let href = use_state(|| None::<(String, String)>);
    {
        let (href, kind) = (href.clone(), props.kind.clone());
        use_effect_with(kind, move |kind| {
            let kind = kind.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(k) =
                    serde_json::from_value::<import_sample_query::ImportKind>(Value::String(kind))
                else {
                    return;
                };
                if let Ok(d) =
                    api::run::<ImportSampleQuery>(import_sample_query::Variables { kind: k }).await
                {
                    let encoded = js_sys::encode_uri_component(&d.import_sample.content);
                    href.set(Some((
                        format!("data:text/csv;charset=utf-8,{encoded}"),
                        d.import_sample.file_name,
                    )));
                }
            });
        });
    }
    match &*href {
        Some((h, name)) => {
            html! { <a class="sample download" href={h.clone()} download={name.clone()}>{ ui.t(Key::ImpSample) }</a> }
        }
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct UploadProps {
    kinds: Vec<(String, String)>,
    templates: Vec<(i64, String, String)>,
    on_done: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum Upload {
    Idle,
    Running(i64),
    Done(Value, String),
    Failed(String),
}

const UPLOAD: &str = "mutation($file: Upload!, $kind: ImportKind!, $t: Int!, $post: Boolean!, $replace: Boolean!, $period: String, $executor: Int) { \
    uploadImport(kind: $kind, templateId: $t, file: $file, post: $post, replace: $replace, period: $period, executorId: $executor) { id } }";

#[function_component(UploadCard)]
fn upload_card(props: &UploadProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let kind = use_state(|| props.kinds.first().map(|k| k.0.clone()).unwrap_or_default());
    let template = use_state(String::new);
    let file = use_state(|| None::<web_sys::File>);
    let post = use_state(|| false);
    let replace = use_state(|| false);
    let period = use_state(String::new);
    let executor = use_state(String::new);
    // Who makes the data-update acts a closed month's subsidies become (the employees book;
    // none shown to a user who cannot read it).
    let employees = use_state(Vec::<(i64, String)>::new);
    {
        let employees = employees.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::call::<ImportEmployees>(import_employees::Variables {}).await {
                    employees.set(
                        d.employees
                            .items
                            .into_iter()
                            .filter(|e| e.active)
                            .map(|e| (e.id, e.name))
                            .collect(),
                    );
                }
            });
        });
    }
    let state = use_state(|| Upload::Idle);
    let of_kind: Vec<&(i64, String, String)> =
        props.templates.iter().filter(|t| t.1 == *kind).collect();
    let chosen = of_kind
        .iter()
        .find(|t| t.0.to_string() == *template)
        .or(of_kind.first())
        .map(|t| t.0)
        .unwrap_or(0);
    let toaster = use_toaster();
    let start = {
        let imported = ui.t(Key::ToastImported);
        let (file, kind, post, replace, period, executor, state, done) = (
            file.clone(),
            kind.clone(),
            post.clone(),
            replace.clone(),
            period.clone(),
            executor.clone(),
            state.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |_| {
            let Some(f) = (*file).clone() else { return };
            let month = (*kind == "SUBSIDIES" && !period.trim().is_empty())
                .then(|| period.trim().to_owned());
            let by = (*kind == "SUBSIDIES")
                .then(|| executor.parse::<i64>().ok())
                .flatten();
            let vars = serde_json::json!({ "kind": *kind, "t": chosen, "post": *post, "replace": *replace,
                                           "period": month, "executor": by });
            let (state, done, toaster) = (state.clone(), done.clone(), toaster.clone());
            state.set(Upload::Running(0));
            wasm_bindgen_futures::spawn_local(async move {
                let id = match api::upload(UPLOAD, vars, &f, "uploadImport").await {
                    Ok(id) => id,
                    Err(e) => return state.set(Upload::Failed(e)),
                };
                let progress = {
                    let state = state.clone();
                    move |p| state.set(Upload::Running(p))
                };
                match toaster.follow(&id, progress, imported).await {
                    Ok(result) => state.set(Upload::Done(result, format!("/files/jobs/{id}"))),
                    Err(e) => return state.set(Upload::Failed(e)),
                }
                done.emit(());
            });
        })
    };
    let outcome = match &*state {
        Upload::Idle => html! {},
        Upload::Running(p) => {
            html! { <p id="import-progress" class="job running">{ format!("{p}%") }</p> }
        }
        Upload::Failed(e) => html! { <p id="import-error" class="error" role="alert">{ e }</p> },
        Upload::Done(r, href) => html! {
            <div id="import-result">
                { for r["duplicates"].as_array().into_iter().flatten().map(|d| html! {
                    <p class="warning duplicate">{ format!("{}: {}", ui.t(Key::ImpDuplicates), d.as_str().unwrap_or_default()) }</p>
                }) }
                { for r["files"].as_array().into_iter().flatten().map(|f| file_result(&ui, f)) }
                <a id="import-protocol" class="download" href={href.clone()} download="">{ ui.t(Key::Protocol) }</a>
            </div>
        },
    };
    let set_kind = {
        let (kind, template) = (kind.clone(), template.clone());
        Callback::from(move |e: Event| {
            kind.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            );
            template.set(String::new());
        })
    };
    html! {
        <div id="import-upload" class="card">
            <h3>{ ui.t(Key::ImpUploadTitle) }</h3>
            <div class="inline">
                <label>{ ui.t(Key::ImpKind) }
                    <select id="import-kind" onchange={set_kind}>
                        { for props.kinds.iter().map(|(c, l)| html! { <option value={c.clone()} selected={*kind == *c}>{ l }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::ImpTemplate) }
                    <select id="import-template" onchange={ let t = template.clone(); Callback::from(move |e: Event| t.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                        { for of_kind.iter().map(|t| html! { <option value={t.0.to_string()} selected={t.0 == chosen}>{ &t.2 }</option> }) }
                    </select>
                </label>
                <input id="import-file" type="file" accept=".csv,.txt,.xlsx,.xls,.dbf,.sdf,.dat,.zip"
                    onchange={ let file = file.clone(); Callback::from(move |e: Event| {
                        let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
                        file.set(input.files().and_then(|f| f.get(0)));
                    }) } />
                <label class="check"><input id="import-post" type="checkbox" checked={*post}
                    onchange={ let p = post.clone(); Callback::from(move |_| p.set(!*p)) } />{ ui.t(Key::ImpPostNow) }</label>
                if *kind == "SUBSIDIES" {
                    <label>{ ui.t(Key::ImpPeriod) }<input id="import-period" type="month" value={(*period).clone()} oninput={bind(&period)} /></label>
                    if !employees.is_empty() {
                        <label title={ui.t(Key::ImpExecutorHint)}>{ ui.t(Key::ImpExecutor) }
                            <select id="import-executor" onchange={ let x = executor.clone(); Callback::from(move |e: Event| x.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                                <option value="" selected={executor.is_empty()}>{ "—" }</option>
                                { for employees.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={*executor == id.to_string()}>{ name }</option> }) }
                            </select>
                        </label>
                    }
                }
                if *kind == "METERS" {
                    <label class="check"><input id="import-replace" type="checkbox" checked={*replace}
                        onchange={ let r = replace.clone(); Callback::from(move |_| r.set(!*r)) } />{ ui.t(Key::ImpReplace) }</label>
                }
                <button id="import-start" type="button" onclick={start}
                    disabled={file.is_none() || chosen == 0 || matches!(*state, Upload::Running(_))}>{ ui.t(Key::ImpStart) }</button>
            </div>
            { outcome }
        </div>
    }
}

/// One file of a job's result: state, counts, totals and the skipped rows.
fn file_result(ui: &Ui, f: &Value) -> Html {
    let state = f["state"].as_str().unwrap_or_default();
    let skipped = f["skippedRows"].as_array().cloned().unwrap_or_default();
    html! {
        <div class={classes!("import-file-result", format!("state-{state}"))} data-file={f["fileName"].as_str().unwrap_or_default().to_owned()}>
            <h4>{ format!("{} — {}", f["fileName"].as_str().unwrap_or_default(), labels::code(ui, "import-files-state", state)) }</h4>
            if let Some(m) = f["message"].as_str() { <p class="error" role="alert">{ m }</p> }
            <p role="status">{ format!("{}: {} · {}: {} · {}: {}", ui.t(Key::ImpRows), f["rows"], ui.t(Key::ImpDone), f["done"],
                ui.t(Key::ImpSkipped), f["skipped"]) }</p>
            { totals(ui, &f["totals"]) }
            if !skipped.is_empty() {
                { skipped_table(ui, "import-skipped", skipped.iter().map(|r| (r["line"].as_i64().unwrap_or(0),
                    r["key"].as_str().unwrap_or_default().to_owned(), r["reason"].as_str().unwrap_or_default().to_owned())).collect()) }
            }
        </div>
    }
}

/// The kind's totals: the balances' reconciliation per service, or counts.
fn totals(ui: &Ui, t: &Value) -> Html {
    if let Some(services) = t["services"].as_array() {
        return html! {
            <table class="import-totals">
                <thead><tr><th>{ ui.t(Key::ImpService) }</th><th>{ ui.t(Key::ImpRows) }</th><th>{ ui.t(Key::ImpDebit) }</th>
                    <th>{ ui.t(Key::ImpCredit) }</th><th>{ ui.t(Key::ImpNet) }</th></tr></thead>
                <tbody>
                    { for services.iter().map(|s| html! {
                        <tr data-service={s["service"].as_str().unwrap_or_default().to_owned()}>
                            <td>{ s["service"].as_str().unwrap_or_default() }</td><td class="num">{ s["rows"].to_string() }</td>
                            <td class="num">{ ui.money(s["debit"].as_str().unwrap_or("0")) }</td>
                            <td class="num">{ ui.money(s["credit"].as_str().unwrap_or("0")) }</td>
                            <td class="num">{ ui.money(s["net"].as_str().unwrap_or("0")) }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot><tr><th colspan="4">{ format!("{} {}", ui.t(Key::ImpNet), t["period"].as_str().unwrap_or_default()) }</th>
                    <th class="num import-total">{ ui.money(t["total"].as_str().unwrap_or("0")) }</th></tr></tfoot>
            </table>
        };
    }
    let parts: Vec<String> = t
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let name = match k.as_str() {
                        "accounts" => ui.t(Key::ImpTotalAccounts),
                        "buildings" => ui.t(Key::ImpTotalBuildings),
                        "residents" => ui.t(Key::ImpTotalResidents),
                        "services" => ui.t(Key::ImpTotalServices),
                        "meters" => ui.t(Key::ImpTotalMeters),
                        "tariffs" => ui.t(Key::ImpTotalTariffs),
                        "priceLists" => ui.t(Key::ImpTotalPriceLists),
                        "rates" => ui.t(Key::ImpTotalRates),
                        "from" => ui.t(Key::ImpTotalFrom),
                        "to" => ui.t(Key::ImpTotalTo),
                        "added" => ui.t(Key::ImpTotalAdded),
                        "renewed" => ui.t(Key::ImpTotalRenewed),
                        "members" => ui.t(Key::ImpTotalMembers),
                        "membersFollowed" => ui.t(Key::ImpTotalMembersFollowed),
                        other => other,
                    };
                    match v.as_str() {
                        Some(text) => format!("{name}: {text}"),
                        None => format!("{name}: {v}"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    html! { <p class="import-counts">{ parts.join(" · ") }</p> }
}

#[derive(Properties, PartialEq)]
struct FilesProps {
    on_change: Callback<()>,
    /// The kinds whose rows stand alone and the user may import: a posted file's skipped
    /// rows of these can be matched to an account by hand.
    matchable: Vec<String>,
}

/// The uploaded files; a checked one is posted from here, any one's skipped rows opened.
#[function_component(FilesCard)]
fn files_card(props: &FilesProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None::<Result<import_files::ResponseData, String>>);
    let chosen = use_state(|| None::<(i64, bool)>);
    let error = use_state(|| None::<String>);
    {
        let data = data.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<ImportFiles>(import_files::Variables { kind: None }).await,
                ));
            });
        });
    }
    let toaster = use_toaster();
    let Some(Ok(d)) = &*data else {
        return html! { <p class="loading">{ ui.t(Key::Loading) }</p> };
    };
    let rows = d
        .import_files
        .rows
        .iter()
        .map(|f| {
            let code = kind_code(&f.kind);
            let open = {
                let matchable = f.state == "posted" && props.matchable.contains(&code);
                let (c, id) = (chosen.clone(), f.id);
                Callback::from(move |()| c.set(Some((id, matchable))))
            };
            let post = (f.state == "checked").then(|| {
                let (id, error, change, toaster) = (f.id, error.clone(), props.on_change.clone(), toaster.clone());
                let done = ui.t(Key::ToastImported);
                Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    let (error, change, toaster) = (error.clone(), change.clone(), toaster.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match api::call::<PostImports>(post_imports::Variables { file_ids: vec![id] }).await {
                            Ok(d) => {
                                let _ = toaster.follow(&d.post_imports.id, |_| {}, done).await;
                                change.emit(());
                            }
                            Err(e) => error.set(Some(error_text(&e))),
                        }
                    });
                })
            });
            let name = match &f.archive {
                Some(a) => format!("{} ({a})", f.file_name),
                None => f.file_name.clone(),
            };
            Row::new(
                f.id,
                vec![
                    Cell::text(name),
                    Cell::text(kind_label(&ui, &code)),
                    Cell::text(f.template_name.clone()),
                    Cell::text(ui.moment(&f.uploaded_at)).sort_by(SortKey::Text(f.uploaded_at.clone())),
                    Cell::text(f.uploaded_by.clone()),
                    Cell::text(labels::code(&ui, "import-files-state", &f.state)).class("state"),
                    Cell::count(f.rows_total),
                    Cell::count(f.rows_done),
                    Cell::count(f.rows_skipped),
                    Cell::html(html! {
                        if let Some(p) = post { <button class="import-post" type="button" onclick={p}>{ ui.t(Key::ImpPost) }</button> }
                    }),
                ],
            )
            .class(classes!("import-file", format!("state-{}", f.state), chosen.is_some_and(|(c, _)| c == f.id).then_some("selected")))
            .attr("data-kind", code)
            .attr("data-skipped", f.rows_skipped.to_string())
            .on_open(open)
        })
        .collect::<Vec<_>>();
    let columns = vec![
        Column::new("file", ui.t(Key::ImpFileName)).sortable(),
        Column::new("kind", ui.t(Key::ImpKind)).sortable(),
        Column::new("template", ui.t(Key::ImpTemplate)).optional(),
        Column::new("uploaded", ui.t(Key::PayUploadedAt)).sortable(),
        Column::new("by", ui.t(Key::ImpUploadedBy)).optional(),
        Column::new("state", ui.t(Key::ImpState)).sortable(),
        Column::new("rows", ui.t(Key::ImpRows)).numeric().sortable(),
        Column::new("done", ui.t(Key::ImpDone)).numeric().sortable(),
        Column::new("skipped", ui.t(Key::ImpSkipped))
            .numeric()
            .sortable(),
        Column::new("post", ""),
    ];
    html! {
        <div class="card">
            <h3>{ format!("{} ({})", ui.t(Key::ImpFiles), d.import_files.total) }</h3>
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
            <DataTable id="import-files-table" {columns} rows={Rows::Ready(rows)} />
            if let Some((id, matchable)) = *chosen {
                <SkippedRows key={id} id={id} {matchable} on_change={props.on_change.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SkippedProps {
    id: i64,
    /// The rows can be matched to an account by hand.
    matchable: bool,
    on_change: Callback<()>,
}

#[function_component(SkippedRows)]
fn skipped_rows(props: &SkippedProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let rows = use_state(|| None::<Result<import_rows::ResponseData, String>>);
    let reload = use_state(|| 0u32);
    {
        let (rows, id) = (rows.clone(), props.id);
        use_effect_with((id, *reload), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                rows.set(Some(
                    api::run::<ImportRows>(import_rows::Variables { file_id: id }).await,
                ));
            });
        });
    }
    let Some(Ok(d)) = &*rows else {
        return html! { <p class="loading">{ ui.t(Key::Loading) }</p> };
    };
    let list = d
        .import_rows
        .iter()
        .map(|r| {
            (
                r.line,
                r.key.clone().unwrap_or_default(),
                r.reason.clone().unwrap_or_default(),
            )
        })
        .collect();
    let on_matched = {
        let (reload, change) = (reload.clone(), props.on_change.clone());
        Callback::from(move |()| {
            reload.set(*reload + 1);
            change.emit(());
        })
    };
    html! {
        <div id="import-rows" class="card">
            <h4>{ ui.t(Key::ImpSkipped) }</h4>
            { skipped_table(&ui, "import-rows-table", list) }
            if props.matchable && !d.import_rows.is_empty() {
                <MatchForm file_id={props.id} lines={d.import_rows.iter().map(|r| r.line).collect::<Vec<_>>()} on_matched={on_matched} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MatchProps {
    file_id: i64,
    /// The skipped rows' lines.
    lines: Vec<i64>,
    on_matched: Callback<()>,
}

/// A skipped row given its account by hand: the line and the account number; the row is
/// applied alone with it, or refused naming why.
#[function_component(MatchForm)]
fn match_form(props: &MatchProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let line = use_state(|| props.lines.first().copied().unwrap_or(0));
    let account = use_state(String::new);
    let error = use_state(|| None::<String>);
    let onsubmit = {
        let (line, account, error, done) = (
            line.clone(),
            account.clone(),
            error.clone(),
            props.on_matched.clone(),
        );
        let file_id = props.file_id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let vars = match_import_row::Variables {
                file_id,
                line: *line,
                account: (*account).clone(),
            };
            let (error, done, account) = (error.clone(), done.clone(), account.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<MatchImportRow>(vars).await {
                    Ok(_) => {
                        error.set(None);
                        account.set(String::new());
                        done.emit(());
                    }
                    Err(e) => error.set(Some(error_text(&e))),
                }
            });
        })
    };
    let on_line = {
        let line = line.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            line.set(v.parse().unwrap_or(0));
        })
    };
    let on_account = {
        let account = account.clone();
        Callback::from(move |e: InputEvent| {
            account.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    html! {
        <form id="import-match" class="inline-form" novalidate=true {onsubmit}>
            <p class="hint">{ ui.t(Key::ImpMatchHint) }</p>
            <label>{ ui.t(Key::Line) }
                <select id="import-match-line" onchange={on_line}>
                    { for props.lines.iter().map(|l| html! { <option value={l.to_string()} selected={*line == *l}>{ l.to_string() }</option> }) }
                </select>
            </label>
            <label>{ ui.t(Key::ImpMatchAccount) }
                <input id="import-match-account" inputmode="numeric" value={(*account).clone()} oninput={on_account} />
            </label>
            <button id="import-match-apply" type="submit">{ ui.t(Key::ImpMatch) }</button>
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
        </form>
    }
}

/// Rows not imported: line, key (the account number…), reason.
fn skipped_table(ui: &Ui, id: &'static str, rows: Vec<(i64, String, String)>) -> Html {
    let list = rows
        .into_iter()
        .map(|(line, key, reason)| {
            Row::new(
                line,
                vec![Cell::count(line), Cell::text(key), Cell::text(reason)],
            )
        })
        .collect::<Vec<_>>();
    let columns = vec![
        Column::new("line", ui.t(Key::Line)).numeric().sortable(),
        Column::new("key", ui.t(Key::ImpRowId)).sortable(),
        Column::new("reason", ui.t(Key::Reason)),
    ];
    html! { <DataTable {id} {columns} rows={Rows::Ready(list)} /> }
}

/// A field of an import: its name, its label, whether it is required.
type FieldOf = (String, String, bool);

#[derive(Properties, PartialEq)]
struct TemplateProps {
    /// Each kind's code and its fields.
    kinds: Vec<(String, Vec<FieldOf>)>,
    on_saved: Callback<()>,
}

const FORMATS: labels::CodeList = labels::CodeList {
    list: "import-templates-format",
    values: &["csv", "xlsx", "fixed", "dbf"],
};

/// A new template: format, encoding, delimiter, lines before the data, date format, and —
/// unless the header names the columns — each field's column (fixed width: start and width).
#[function_component(TemplateForm)]
fn template_form(props: &TemplateProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let kind = use_state(|| props.kinds.first().map(|k| k.0.clone()).unwrap_or_default());
    let name = use_state(String::new);
    let format = use_state(|| "csv".to_owned());
    let encoding = use_state(|| "utf-8".to_owned());
    let delimiter = use_state(|| ";".to_owned());
    let skip = use_state(|| "1".to_owned());
    let date = use_state(|| "%d.%m.%Y".to_owned());
    let places = use_state(std::collections::BTreeMap::<String, (String, String)>::new);
    // Subsidies: "gvs=vv, …" and "stoki=vv_xv:60 vv_gv:40; …".
    let fallback = use_state(String::new);
    let split = use_state(String::new);
    let message = use_state(|| None::<Result<String, String>>);
    let fields = props
        .kinds
        .iter()
        .find(|k| k.0 == *kind)
        .map(|k| k.1.clone())
        .unwrap_or_default();
    let save = {
        let (kind, name, format, encoding, delimiter, skip, date, places, message, saved) = (
            kind.clone(),
            name.clone(),
            format.clone(),
            encoding.clone(),
            delimiter.clone(),
            skip.clone(),
            date.clone(),
            places.clone(),
            message.clone(),
            props.on_saved.clone(),
        );
        let (fallback, split) = (fallback.clone(), split.clone());
        let ok = ui.t(Key::ImpTemplateSaved);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let columns: Vec<save_import_template::ImportColumnInput> = places
                .iter()
                .filter_map(|(f, (c, w))| {
                    c.trim().parse::<i64>().ok().map(|column| {
                        save_import_template::ImportColumnInput {
                            field: f.clone(),
                            column,
                            width: w.trim().parse::<i64>().ok(),
                        }
                    })
                })
                .collect();
            let Ok(k) = serde_json::from_value::<save_import_template::ImportKind>(Value::String(
                (*kind).clone(),
            )) else {
                return;
            };
            let input = save_import_template::ImportTemplateInput {
                kind: k,
                name: (*name).clone(),
                format: (*format).clone(),
                encoding: (*encoding).clone(),
                delimiter: (*delimiter).clone(),
                skip_lines: skip.trim().parse().unwrap_or(-1),
                date_format: (*date).clone(),
                columns,
                fallback: fallback_rules(&fallback),
                split: split_rules(&split),
                active: true,
            };
            let (message, saved) = (message.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SaveImportTemplate>(save_import_template::Variables {
                    id: None,
                    input,
                })
                .await
                {
                    Ok(_) => {
                        message.set(Some(Ok(ok.to_owned())));
                        saved.emit(());
                    }
                    Err(e) => message.set(Some(Err(error_text(&e)))),
                }
            });
        })
    };
    let fixed = *format == "fixed";
    html! {
        <form id="import-template-form" class="card" onsubmit={save} novalidate=true>
            <h3>{ ui.t(Key::ImpNewTemplate) }</h3>
            <div class="inline">
                <label>{ ui.t(Key::ImpKind) }
                    <select id="import-template-kind" onchange={ let (k, p) = (kind.clone(), places.clone()); Callback::from(move |e: Event| {
                        k.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value());
                        p.set(Default::default());
                    }) }>
                        { for props.kinds.iter().map(|(c, _)| html! { <option value={c.clone()} selected={*kind == *c}>{ kind_label(&ui, c) }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::ImpTemplateName) }<input id="import-template-name" value={(*name).clone()} oninput={bind(&name)} /></label>
                <label>{ ui.t(Key::ImpFormat) }
                    <select id="import-template-format" onchange={ let f = format.clone(); Callback::from(move |e: Event| f.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                        { FORMATS.options(&ui, &format) }
                    </select>
                </label>
                <label>{ ui.t(Key::ImpEncoding) }
                    <select id="import-template-encoding" onchange={ let f = encoding.clone(); Callback::from(move |e: Event| f.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                        { for ["utf-8", "cp1251", "cp866", "cp1125"].iter().map(|e| html! { <option value={*e} selected={*encoding == *e}>{ *e }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::ImpDelimiter) }<input id="import-template-delimiter" size="3" value={(*delimiter).clone()} oninput={bind(&delimiter)} /></label>
                <label>{ ui.t(Key::ImpSkipLines) }<input id="import-template-skip" size="3" value={(*skip).clone()} oninput={bind(&skip)} /></label>
                <label>{ ui.t(Key::ImpDateFormat) }<input id="import-template-date" size="10" value={(*date).clone()} oninput={bind(&date)} /></label>
            </div>
            if *kind == "SUBSIDIES" {
                <div class="inline">
                    <label>{ ui.t(Key::ImpFallback) }<input id="import-template-fallback" size="30" placeholder="gvs_stoki=stoki" value={(*fallback).clone()} oninput={bind(&fallback)} /></label>
                    <label>{ ui.t(Key::ImpSplit) }<input id="import-template-split" size="40" placeholder="stoki=stoki_xv:60 stoki_gv:40" value={(*split).clone()} oninput={bind(&split)} /></label>
                </div>
            }
            <p class="hint">{ ui.t(Key::ImpColumnsHint) }</p>
            <table class="import-columns">
                <thead><tr><th>{ ui.t(Key::ImpFields) }</th><th>{ ui.t(Key::ImpColumn) }</th>
                    if fixed { <th>{ ui.t(Key::ImpWidth) }</th> }</tr></thead>
                <tbody>
                    { for fields.iter().map(|(f, label, required)| {
                        let (c, w) = places.get(f).cloned().unwrap_or_default();
                        let set = |which: usize| {
                            let (places, f) = (places.clone(), f.clone());
                            Callback::from(move |e: InputEvent| {
                                let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                                let mut m = (*places).clone();
                                let entry = m.entry(f.clone()).or_default();
                                if which == 0 { entry.0 = v } else { entry.1 = v }
                                places.set(m);
                            })
                        };
                        html! {
                            <tr data-field={f.clone()}>
                                <td class={classes!(required.then_some("required"))} title={f.clone()}>{ label }</td>
                                <td><input class="import-column" size="4" value={c} oninput={set(0)} /></td>
                                if fixed { <td><input class="import-width" size="4" value={w} oninput={set(1)} /></td> }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <button id="import-template-save" type="submit">{ ui.t(Key::ImpSaveTemplate) }</button>
            { match &*message {
                Some(Ok(m)) => html! { <p id="import-template-saved" role="status">{ m }</p> },
                Some(Err(e)) => html! { <p id="import-template-error" class="error" role="alert">{ e }</p> },
                None => html! {},
            } }
        </form>
    }
}

/// "a=b, c=d" → fallbacks from a to b and c to d.
fn fallback_rules(text: &str) -> Vec<save_import_template::SubsidyFallbackInput> {
    text.split([',', ';'])
        .filter_map(|pair| pair.split_once('='))
        .map(|(from, to)| save_import_template::SubsidyFallbackInput {
            from: from.trim().to_owned(),
            to: to.trim().to_owned(),
        })
        .collect()
}

/// "a=b:60 c:40; d=…" → the shares of each combined line (a percent that does not read as
/// a number is sent as 0, which the server refuses naming the rules).
fn split_rules(text: &str) -> Vec<save_import_template::SubsidyShareInput> {
    let mut out = Vec::new();
    for rule in text.split(';') {
        let Some((from, shares)) = rule.split_once('=') else {
            continue;
        };
        for share in shares.split([' ', ',']).filter(|s| !s.is_empty()) {
            let (to, percent) = share.split_once(':').unwrap_or((share, "0"));
            out.push(save_import_template::SubsidyShareInput {
                from: from.trim().to_owned(),
                to: to.trim().to_owned(),
                percent: percent.trim().to_owned(),
            });
        }
    }
    out
}
