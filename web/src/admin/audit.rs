//! The change log (seed 001 "Протокол змін записів"): every change with who, when,
//! which record and before → after; filtered by user, record and dates.

use yew::prelude::*;

use super::bind;
use crate::shared::api::{self, AuditLog, audit_log};
use crate::shared::export::{ExportXlsx, ListKind};
use crate::shared::i18n::Key;
use crate::shared::labels::{catalog_values, code};
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
use crate::shell::Ui;

/// The fields a change touched, one per line: name, before → after (`(field, label,
/// before, after)` as `AuditEntry.changes` gives them). The audit tab and a meter's
/// change list draw them alike.
pub(crate) fn changes<'a>(
    list: impl Iterator<Item = (&'a str, &'a str, &'a str, &'a str)>,
) -> Html {
    let show = |s: &str| {
        if s.is_empty() {
            "—".to_owned()
        } else {
            s.to_owned()
        }
    };
    html! {
        <ul class="changes">{ for list.map(|(field, label, before, after)| html! {
            <li data-field={field.to_owned()}>
                <span class="field">{ label }</span>{ ": " }
                <span class="before">{ show(before) }</span>{ " → " }
                <span class="after">{ show(after) }</span>
            </li>
        }) }</ul>
    }
}

#[function_component(AuditTab)]
pub fn audit_tab() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let (user, entity, from, to) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let record = use_state(String::new);
    let filter = use_state(|| audit_log::AuditFilter {
        entity: None,
        entity_id: None,
        actor_login: None,
        from: None,
        to: None,
    });
    let data = use_state(|| None::<Result<audit_log::AuditLogAuditLog, String>>);
    let latest = api::use_latest();
    {
        let (data, latest) = (data.clone(), latest.clone());
        use_effect_with((*filter).clone(), move |f| {
            let ticket = latest.next();
            let vars = audit_log::Variables {
                filter: f.clone(),
                offset: 0,
                limit: 100,
            };
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::run::<AuditLog>(vars).await.map(|d| d.audit_log);
                if latest.is(ticket) {
                    data.set(Some(answer));
                }
            });
        });
    }
    let on_filter = {
        let (user, entity, from, to, filter) = (
            user.clone(),
            entity.clone(),
            from.clone(),
            to.clone(),
            filter.clone(),
        );
        let record = record.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            // Dates are whole days: from the start of `from` to the end of `to`.
            filter.set(audit_log::AuditFilter {
                entity: opt(&entity),
                entity_id: opt(&record),
                actor_login: opt(&user),
                from: opt(&from).map(|d| format!("{d}T00:00:00Z")),
                to: opt(&to).map(|d| format!("{d}T23:59:59Z")),
            });
        })
    };
    let rows = data.as_ref().map(|r| {
        r.as_ref().map(|page| {
            page.items
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let record =
                        format!("{} {}", code(&ui, "audit_entity", &r.entity), r.entity_id);
                    let action = code(&ui, "audit_action", &r.action);
                    let list = r.changes.iter().map(|c| {
                        (
                            c.field.as_str(),
                            c.label.as_str(),
                            c.before.as_str(),
                            c.after.as_str(),
                        )
                    });
                    Row::new(
                        i,
                        vec![
                            Cell::text(ui.moment(&r.at))
                                .sort_by(SortKey::Text(r.at.clone()))
                                .class("nowrap")
                                .attr("data-at", r.at.clone()),
                            Cell::text(r.actor_login.clone().unwrap_or_default()),
                            Cell::text(record).attr("data-entity", r.entity.clone()),
                            Cell::text(action).attr("data-action", r.action.clone()),
                            Cell::html(changes(list)).class("diff"),
                        ],
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let columns = vec![
        Column::new("at", ui.t(Key::When)).sortable(),
        Column::new("user", ui.t(Key::User)).sortable(),
        Column::new("record", ui.t(Key::Record)).sortable(),
        Column::new("action", ui.t(Key::ActionLabel)).sortable(),
        Column::new("changes", ui.t(Key::Change)),
    ];
    html! {
        <div class="audit-tab">
            <form id="audit-filter" class="filters" onsubmit={on_filter}>
                <label>{ ui.t(Key::User) }<input id="audit-user" value={(*user).clone()} oninput={bind(&user)} /></label>
                <label>{ ui.t(Key::Record) }
                    <select id="audit-entity" onchange={ let e = entity.clone(); Callback::from(move |ev: Event| e.set(ev.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                        <option value="" selected={entity.is_empty()}>{ ui.t(Key::PaySourceAll) }</option>
                        { for catalog_values(&ui, "audit_entity").into_iter().map(|(v, l)| html! { <option selected={*entity == v} value={v.clone()}>{ l }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::RecordId) }<input id="audit-record" value={(*record).clone()} oninput={bind(&record)} /></label>
                <label>{ ui.t(Key::FromDate) }<input id="audit-from" type="date" value={(*from).clone()} oninput={bind(&from)} /></label>
                <label>{ ui.t(Key::ToDate) }<input id="audit-to" type="date" value={(*to).clone()} oninput={bind(&to)} /></label>
                <button type="submit">{ ui.t(Key::Filter) }</button>
            </form>
            <div class="toolbar"><ExportXlsx list={ListKind::AUDIT_LOG} /></div>
            <DataTable id="audit-table" {columns} rows={Rows::from(rows)} />
        </div>
    }
}
