//! The platform operator's console: every tenant with its status, kind of business, size
//! (accounts, users, database and files) and last activity; a new tenant from a country's
//! presets with its first admin (invited by e-mail); suspend, resume, invite the admin
//! again; export a tenant's data (a worker job; the zip kept, downloadable) and delete
//! the tenant after an export, its code typed again.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, CreateTenant, DeleteTenant, ExportTenant, InviteTenantAdmin, PlatformTenants,
    SetTenantActive, TenantExports, create_tenant, delete_tenant, export_tenant,
    invite_tenant_admin, platform_tenants, set_tenant_active, tenant_exports,
};
use crate::shared::form::{Outcome, field_error, invalid};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
use crate::shell::Ui;

/// Countries with presets (the server's `PRESETS`).
const COUNTRIES: [&str; 5] = ["UA", "RU", "KZ", "BG", "EU"];
const KINDS: [&str; 5] = [
    "water",
    "housing",
    "hoa",
    "electricity",
    "water_electricity",
];

/// "12.3 MB" from bytes.
fn size(bytes: i64) -> String {
    let mb = bytes as f64 / 1_048_576.0;
    if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub on_sign_out: Callback<MouseEvent>,
    pub on_lang: Callback<crate::shared::i18n::Lang>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None::<Result<platform_tenants::ResponseData, String>>);
    let version = use_state(|| 0u32);
    let note = use_state(|| None::<String>);
    // The newest request's answer only: a slow earlier read (the sizes of every tenant)
    // answering after a deletion's refresh must not bring the deleted tenant back.
    let latest = use_mut_ref(|| 0u32);
    {
        let (data, latest) = (data.clone(), latest.clone());
        use_effect_with(*version, move |v| {
            let asked = *v;
            *latest.borrow_mut() = asked;
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::run::<PlatformTenants>(platform_tenants::Variables {}).await;
                if *latest.borrow() == asked {
                    data.set(Some(answer));
                }
            });
        });
    }
    let refresh = {
        let version = version.clone();
        Callback::from(move |()| version.set(*version + 1))
    };
    let rows = Rows::from((*data).as_ref().map(|r| {
        r.as_ref().map_err(Clone::clone).map(|d| {
            d.tenants
                .iter()
                .map(|t| {
                    let active = t.status == "active";
                    let toggle = {
                        let (slug, note, refresh) = (t.slug.clone(), note.clone(), refresh.clone());
                        Callback::from(move |_| {
                            let (slug, note, refresh) = (slug.clone(), note.clone(), refresh.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                let vars = set_tenant_active::Variables { slug, active: !active };
                                match api::call::<SetTenantActive>(vars).await {
                                    Ok(_) => refresh.emit(()),
                                    Err(e) => note.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    let invite = {
                        let (slug, note) = (t.slug.clone(), note.clone());
                        Callback::from(move |_| {
                            let (slug, note) = (slug.clone(), note.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<InviteTenantAdmin>(invite_tenant_admin::Variables { slug }).await {
                                    Ok(d) => note.set(Some(format!("{}: {}", ui.t(Key::UserInvited), d.invite_tenant_admin))),
                                    Err(e) => note.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    let export = {
                        let (slug, note, refresh) = (t.slug.clone(), note.clone(), refresh.clone());
                        Callback::from(move |_| {
                            let (slug, note, refresh) = (slug.clone(), note.clone(), refresh.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<ExportTenant>(export_tenant::Variables { slug }).await {
                                    Ok(_) => refresh.emit(()),
                                    Err(e) => note.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    let delete = {
                        let (slug, note, refresh) = (t.slug.clone(), note.clone(), refresh.clone());
                        Callback::from(move |_| {
                            // The code typed again: a deletion is for good.
                            let typed = web_sys::window()
                                .and_then(|w| w.prompt_with_message(&format!("{} {slug}", ui.t(Key::TenantDeleteConfirm))).ok())
                                .flatten();
                            let Some(confirm) = typed else { return };
                            let (slug, note, refresh) = (slug.clone(), note.clone(), refresh.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<DeleteTenant>(delete_tenant::Variables { slug, confirm }).await {
                                    Ok(_) => refresh.emit(()),
                                    Err(e) => note.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    let bytes = t.database_bytes + t.file_bytes;
                    Row::new(
                        &t.slug,
                        vec![
                            Cell::text(t.slug.clone()),
                            Cell::text(t.name.clone()),
                            Cell::text(crate::shared::labels::code(&ui, "tenants_business_kind", &t.business_kind)),
                            Cell::text(format!("{} · {} · {}", t.jurisdiction, t.currency, t.locale)),
                            Cell::text(crate::shared::labels::code(&ui, "tenants_status", &t.status))
                                .class(if active { "status-active" } else { "status-suspended" }),
                            Cell::count(t.accounts).attr("data-accounts", t.accounts.to_string()),
                            Cell::count(t.users),
                            Cell::number(bytes.to_string(), size(bytes)).attr(
                                "title",
                                crate::shared::i18n::text_with(
                                    ui.lang,
                                    Key::TenantSizeParts,
                                    &[
                                        ("db", &size(t.database_bytes)),
                                        ("files", &size(t.file_bytes)),
                                        ("at", &t.measured_at.as_deref().map(|a| ui.moment(a)).unwrap_or_else(|| "—".into())),
                                    ],
                                ),
                            ),
                            Cell::text(t.last_activity.as_deref().map(|a| ui.moment(a)).unwrap_or_default())
                                .sort_by(SortKey::Text(t.last_activity.clone().unwrap_or_default())),
                            Cell::html(html! {
                                <>
                                    <button class="tenant-toggle" onclick={toggle}>{ if active { ui.t(Key::Suspend) } else { ui.t(Key::Resume) } }</button>
                                    <button class="tenant-invite" onclick={invite}>{ ui.t(Key::UserInvite) }</button>
                                    <button class="tenant-export" onclick={export}>{ ui.t(Key::TenantExport) }</button>
                                    <button class="tenant-delete danger" onclick={delete}>{ ui.t(Key::Delete) }</button>
                                </>
                            })
                            .class("actions"),
                        ],
                    )
                    .attr("data-slug", t.slug.clone())
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("slug", ui.t(Key::TenantCode)).sortable(),
        Column::new("name", ui.t(Key::Name)).sortable(),
        Column::new("kind", ui.t(Key::TenantKind)).sortable(),
        Column::new("country", ui.t(Key::TenantCountry))
            .sortable()
            .optional(),
        Column::new("status", ui.t(Key::Status)).sortable(),
        Column::new("accounts", ui.t(Key::AccountsLabel))
            .numeric()
            .sortable(),
        Column::new("users", ui.t(Key::TenantUsers))
            .numeric()
            .sortable()
            .optional(),
        Column::new("size", ui.t(Key::TenantSize))
            .numeric()
            .sortable(),
        Column::new("activity", ui.t(Key::TenantLastActivity)).sortable(),
        Column::new("actions", ""),
    ];
    html! {
        <div class="platform-console">
            <header class="topbar">
                <strong>{ ui.t(Key::PlatformConsole) }</strong>
                <crate::shell::LangSelect id="platform-lang" current={ui.lang} on_lang={props.on_lang.clone()} />
                <button id="sign-out" onclick={props.on_sign_out.clone()}>{ ui.t(Key::SignOut) }</button>
            </header>
            <main>
                <h1>{ ui.t(Key::PlatformTenants) }</h1>
                if let Some(n) = &*note { <p id="platform-note" role="status">{ n }</p> }
                <DataTable id="tenants-table" {columns} {rows} />
                <Exports version={*version} on_running={refresh.clone()} />
                <NewTenant on_created={refresh} />
            </main>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewTenantProps {
    on_created: Callback<()>,
}

/// A new tenant: code, name, country (its presets), kind, and the first admin.
#[function_component(NewTenant)]
fn new_tenant(props: &NewTenantProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let slug = use_state(String::new);
    let name = use_state(String::new);
    let country = use_state(|| "UA".to_owned());
    let kind = use_state(|| "water".to_owned());
    let admin_login = use_state(String::new);
    let admin_name = use_state(String::new);
    let admin_email = use_state(String::new);
    let outcome = use_state(|| None as Outcome);
    let created = use_state(|| None::<String>);
    let select = |state: &UseStateHandle<String>,
                  id: &'static str,
                  options: &[&'static str],
                  list: Option<&'static str>| {
        let s = state.clone();
        let onchange = Callback::from(move |e: Event| {
            s.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        });
        html! {
            <select {id} {onchange}>
                { for options.iter().map(|o| html! {
                    <option value={*o} selected={**state == *o}>{ list.map_or_else(|| (*o).to_owned(), |l| crate::shared::labels::code(&ui, l, o)) }</option>
                }) }
            </select>
        }
    };
    let onsubmit = {
        let (slug, name, country, kind) =
            (slug.clone(), name.clone(), country.clone(), kind.clone());
        let (admin_login, admin_name, admin_email) =
            (admin_login.clone(), admin_name.clone(), admin_email.clone());
        let (outcome, created, done) = (outcome.clone(), created.clone(), props.on_created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = create_tenant::NewTenantInput {
                slug: slug.trim().to_owned(),
                name: (*name).clone(),
                country: (*country).clone(),
                business_kind: (*kind).clone(),
                currency: None,
                locale: None,
                time_zone: None,
                admin: Some(create_tenant::FirstAdminInput {
                    login: admin_login.trim().to_owned(),
                    display_name: (*admin_name).clone(),
                    email: admin_email.trim().to_owned(),
                }),
            };
            let (outcome, created, done) = (outcome.clone(), created.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CreateTenant>(create_tenant::Variables { input }).await {
                    Ok(d) => {
                        outcome.set(None);
                        created.set(Some(d.create_tenant.slug));
                        done.emit(());
                    }
                    Err(e) => {
                        created.set(None);
                        outcome.set(Some(Err(e)));
                    }
                }
            });
        })
    };
    html! {
        <form id="new-tenant" class="card" novalidate=true {onsubmit}>
            <h2>{ ui.t(Key::NewTenant) }</h2>
            <label>{ ui.t(Key::TenantCode) }<input id="new-tenant-slug" placeholder="vodokanal_lviv" aria-invalid={invalid(&outcome, "slug")} value={(*slug).clone()} oninput={bind(&slug)} />{ field_error(&outcome, "slug") }</label>
            <label>{ ui.t(Key::Name) }<input id="new-tenant-name" aria-invalid={invalid(&outcome, "name")} value={(*name).clone()} oninput={bind(&name)} />{ field_error(&outcome, "name") }</label>
            <label>{ ui.t(Key::TenantCountry) }{ select(&country, "new-tenant-country", &COUNTRIES, None) }</label>
            <label>{ ui.t(Key::TenantKind) }{ select(&kind, "new-tenant-kind", &KINDS, Some("tenants_business_kind")) }</label>
            <p class="hint">{ ui.t(Key::TenantPresetHint) }</p>
            <fieldset><legend>{ ui.t(Key::TenantFirstAdmin) }</legend>
                <label>{ ui.t(Key::LoginLabel) }<input id="new-tenant-admin-login" aria-invalid={invalid(&outcome, "adminLogin")} value={(*admin_login).clone()} oninput={bind(&admin_login)} />{ field_error(&outcome, "adminLogin") }</label>
                <label>{ ui.t(Key::DisplayName) }<input id="new-tenant-admin-name" aria-invalid={invalid(&outcome, "adminDisplayName")} value={(*admin_name).clone()} oninput={bind(&admin_name)} />{ field_error(&outcome, "adminDisplayName") }</label>
                <label>{ ui.t(Key::Email) }<input id="new-tenant-admin-email" type="email" aria-invalid={invalid(&outcome, "adminEmail")} value={(*admin_email).clone()} oninput={bind(&admin_email)} />{ field_error(&outcome, "adminEmail") }</label>
            </fieldset>
            <button id="new-tenant-submit" type="submit">{ ui.t(Key::Create) }</button>
            if let Some(s) = &*created { <p id="new-tenant-created" role="status">{ format!("✓ {s} · {}", ui.t(Key::UserInvited)) }</p> }
            { crate::shared::form::form_error(&outcome, None, &["slug", "name", "adminLogin", "adminDisplayName", "adminEmail"]) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ExportsProps {
    version: u32,
    /// Asked again while an export runs.
    on_running: Callback<()>,
}

/// The tenants' exports: state, size, the download when done.
#[function_component(Exports)]
fn exports(props: &ExportsProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None::<Result<tenant_exports::ResponseData, String>>);
    let latest = use_mut_ref(|| 0u32);
    {
        let (data, again, latest) = (data.clone(), props.on_running.clone(), latest.clone());
        use_effect_with(props.version, move |v| {
            let asked = *v;
            *latest.borrow_mut() = asked;
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::run::<TenantExports>(tenant_exports::Variables {}).await;
                // A newer request is on its way: its answer is the one to show.
                if *latest.borrow() != asked {
                    return;
                }
                let running = r
                    .as_ref()
                    .is_ok_and(|d| d.tenant_exports.iter().any(|e| e.state == "running"));
                data.set(Some(r));
                if running {
                    gloo_timers::future::TimeoutFuture::new(2_000).await;
                    again.emit(());
                }
            });
        });
    }
    let rows = Rows::from((*data).as_ref().map(|r| {
        r.as_ref().map_err(Clone::clone).map(|d| {
            d.tenant_exports
                .iter()
                .map(|e| {
                    let download = (e.state == "done").then(|| {
                        html! { <a class="export-download" href={format!("/files/tenant-exports/{}", e.id)} download="">{ ui.t(Key::Download) }</a> }
                    });
                    Row::new(
                        e.id,
                        vec![
                            Cell::text(e.slug.clone()),
                            Cell::text(crate::shared::labels::code(&ui, "tenant_exports_state", &e.state))
                                .class(if e.state == "done" { "state-done" } else { "state-other" }),
                            Cell::number(e.size.unwrap_or(0).to_string(), e.size.map(size).unwrap_or_default()),
                            Cell::text(ui.moment(&e.created_at)).sort_by(SortKey::Text(e.created_at.clone())),
                            Cell::text(e.created_by.clone()),
                            Cell::html(download.unwrap_or_default()),
                        ],
                    )
                    .attr("data-slug", e.slug.clone())
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("slug", ui.t(Key::TenantCode)).sortable(),
        Column::new("state", ui.t(Key::Status)).sortable(),
        Column::new("size", ui.t(Key::TenantSize))
            .numeric()
            .sortable(),
        Column::new("at", ui.t(Key::TenantExportedAt)).sortable(),
        Column::new("by", ui.t(Key::TenantExportedBy))
            .sortable()
            .optional(),
        Column::new("download", ""),
    ];
    html! {
        <section class="card">
            <h2>{ ui.t(Key::TenantExports) }</h2>
            <DataTable id="tenant-exports-table" {columns} {rows} />
        </section>
    }
}
