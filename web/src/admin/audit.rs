//! The change log (seed 001 "Протокол змін записів"): every change with who, when,
//! which record and before → after; filtered by user, record and dates.

use yew::prelude::*;

use super::bind;
use crate::shared::api::{self, AuditLog, audit_log};
use crate::shared::export::{ExportXlsx, ListKind};
use crate::shared::i18n::Key;
use crate::shared::labels::code;
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
    {
        let data = data.clone();
        use_effect_with((*filter).clone(), move |f| {
            let vars = audit_log::Variables {
                filter: f.clone(),
                offset: 0,
                limit: 100,
            };
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(api::run::<AuditLog>(vars).await.map(|d| d.audit_log)));
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
    let rows = match &*data {
        None => html! { <tr><td colspan="5">{ ui.t(Key::Loading) }</td></tr> },
        Some(Err(e)) => html! { <tr><td colspan="5" class="error">{ e }</td></tr> },
        Some(Ok(page)) => page
            .items
            .iter()
            .map(|r| {
                html! {
                    <tr>
                        <td class="nowrap" data-at={r.at.clone()}>{ ui.moment(&r.at) }</td>
                        <td>{ r.actor_login.clone().unwrap_or_default() }</td>
                        <td data-entity={r.entity.clone()}>{ format!("{} {}", code(&ui, "audit_entity", &r.entity), r.entity_id) }</td>
                        <td data-action={r.action.clone()}>{ code(&ui, "audit_action", &r.action) }</td>
                        <td class="diff">{ changes(r.changes.iter().map(|c| (c.field.as_str(), c.label.as_str(), c.before.as_str(), c.after.as_str()))) }</td>
                    </tr>
                }
            })
            .collect::<Html>(),
    };
    html! {
        <div class="audit-tab">
            <form id="audit-filter" class="filters" onsubmit={on_filter}>
                <label>{ ui.t(Key::User) }<input id="audit-user" value={(*user).clone()} oninput={bind(&user)} /></label>
                <label>{ ui.t(Key::Record) }<input id="audit-entity" placeholder="user, role, job…" value={(*entity).clone()} oninput={bind(&entity)} /></label>
                <label>{ ui.t(Key::RecordId) }<input id="audit-record" value={(*record).clone()} oninput={bind(&record)} /></label>
                <label>{ ui.t(Key::FromDate) }<input id="audit-from" type="date" value={(*from).clone()} oninput={bind(&from)} /></label>
                <label>{ ui.t(Key::ToDate) }<input id="audit-to" type="date" value={(*to).clone()} oninput={bind(&to)} /></label>
                <button type="submit">{ ui.t(Key::Filter) }</button>
            </form>
            <div class="toolbar"><ExportXlsx list={ListKind::AUDIT_LOG} /></div>
            <table id="audit-table" class="grid">
                <thead><tr>
                    <th>{ ui.t(Key::When) }</th>
                    <th>{ ui.t(Key::User) }</th>
                    <th>{ ui.t(Key::Record) }</th>
                    <th>{ ui.t(Key::ActionLabel) }</th>
                    <th>{ ui.t(Key::Change) }</th>
                </tr></thead>
                <tbody>{ rows }</tbody>
            </table>
        </div>
    }
}
