//! The Subscribers dashboard: search, the paged account list with the columns of seed
//! 000 Fig. 3, and the "export by e-mail" job with its live state.

pub mod account_benefits;
pub mod account_card;
pub mod account_services;
pub mod card_edit;
pub mod debt_case;
pub mod legal;
pub mod new_account;
pub mod places;
pub mod portal_code;
pub mod removed_residents;
pub mod restructuring;

use gloo_timers::future::TimeoutFuture;
use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};
use yew_router::prelude::*;

use crate::shared::api::{
    self, Accounts, JobStatus, Me, RequestAccountsExport, accounts, job_status, me,
    request_accounts_export,
};
use crate::shared::export::{AccountSort, ExportXlsx, ListKind};
use crate::shared::form::pick;
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, server_pager};
use crate::shell::routes::{Route, go};
use crate::shell::{Ui, use_can};
use crate::subscribers::account_card::AccountCardView;
use crate::subscribers::account_services::GroupOperations;
use crate::subscribers::new_account::NewAccountForm;

const PAGE: i64 = 20;

/// The columns the account list sorts by.
#[derive(Clone, Copy, PartialEq)]
enum SortBy {
    Number,
    Holder,
    Address,
    Residents,
    Balance,
}

impl SortBy {
    const ALL: [SortBy; 5] = [
        SortBy::Number,
        SortBy::Holder,
        SortBy::Address,
        SortBy::Residents,
        SortBy::Balance,
    ];

    fn code(self) -> &'static str {
        match self {
            SortBy::Number => "number",
            SortBy::Holder => "holder",
            SortBy::Address => "address",
            SortBy::Residents => "residents",
            SortBy::Balance => "balance",
        }
    }

    fn query(self) -> accounts::AccountSort {
        match self {
            SortBy::Number => accounts::AccountSort::NUMBER,
            SortBy::Holder => accounts::AccountSort::HOLDER,
            SortBy::Address => accounts::AccountSort::ADDRESS,
            SortBy::Residents => accounts::AccountSort::RESIDENTS,
            SortBy::Balance => accounts::AccountSort::BALANCE,
        }
    }

    fn export(self) -> AccountSort {
        api::same_enum(&self.query()).unwrap_or(AccountSort::NUMBER)
    }
}

#[derive(Properties, PartialEq)]
pub struct SubscribersProps {
    /// The account whose card is open (`/subscribers/:id`).
    #[prop_or_default]
    pub account: Option<i64>,
}

#[function_component(Subscribers)]
pub fn subscribers(props: &SubscribersProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let may_edit = can.allows("accounts.update");
    let navigator = use_navigator();
    let offset = use_state(|| 0i64);
    let search = use_state(String::new);
    let draft = use_state(String::new);
    let page = use_state(|| None::<Result<accounts::AccountsAccounts, String>>);
    let order = use_state(|| (SortBy::Number, false));
    // The open card is the route's: opening and closing it move through the history.
    let open = {
        let navigator = navigator.clone();
        Callback::from(move |id: Option<i64>| {
            go(
                &navigator,
                id.map_or(Route::Subscribers, |id| Route::Account { id }),
            )
        })
    };
    let adding = use_state(|| false);
    let version = use_state(|| 0u32);
    let selected = use_state(Vec::<i64>::new);
    // The registry by journal and type (seed 001 §4.3).
    let (journal, kind) = (use_state(|| None::<i64>), use_state(|| None::<i64>));
    let places = places::use_places();
    let latest = api::use_latest();
    {
        let (page, latest) = (page.clone(), latest.clone());
        use_effect_with(
            (
                (*offset),
                (*search).clone(),
                *order,
                *version,
                *journal,
                *kind,
            ),
            move |(offset, search, order, _, journal, kind)| {
                let ticket = latest.next();
                let vars = accounts::Variables {
                    offset: *offset,
                    limit: PAGE,
                    search: (!search.is_empty()).then(|| search.clone()),
                    sort: order.0.query(),
                    desc: order.1,
                    journal_id: *journal,
                    type_id: *kind,
                };
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = api::run::<Accounts>(vars).await.map(|d| d.accounts);
                    if latest.is(ticket) {
                        page.set(Some(answer));
                    }
                });
            },
        );
    }
    let on_input = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
        })
    };
    let on_search = {
        let (draft, search, offset) = (draft.clone(), search.clone(), offset.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            offset.set(0);
            search.set(draft.trim().to_owned());
        })
    };

    let rows = page.as_ref().map(|r| {
        r.as_ref().map(|p| {
            p.items
                .iter()
                .map(|a| {
                    let kind = places.type_name(a.type_id).unwrap_or_else(|| {
                        crate::shared::labels::code(&ui, "accounts_type", &a.account_type)
                    });
                    let checked = selected.contains(&a.id);
                    let toggle = {
                        let (selected, id) = (selected.clone(), a.id);
                        Callback::from(move |e: MouseEvent| {
                            // Ticking selects; it must not also open the card.
                            e.stop_propagation();
                            let mut v = (*selected).clone();
                            if v.contains(&id) {
                                v.retain(|x| *x != id);
                            } else {
                                v.push(id);
                            }
                            selected.set(v);
                        })
                    };
                    let mut cells = Vec::new();
                    if may_edit {
                        cells.push(Cell::html(html! {
                            <input type="checkbox" class="pick-account" {checked} onclick={toggle} aria-label={a.number.clone()} />
                        }).class("pick"));
                    }
                    cells.extend([
                        Cell::text(a.number.clone()),
                        Cell::text(a.holder_name.clone()),
                        Cell::text(a.address.clone()),
                        Cell::count(a.residents),
                        Cell::text(a.branch.clone().unwrap_or_default()),
                        Cell::text(kind),
                        Cell::text(places.journal_name(a.journal_id).unwrap_or_default()),
                        Cell::count(a.meters),
                        Cell::number(a.balance.clone(), ui.money(&a.balance))
                            .class("balance")
                            .attr("data-amount", a.balance.clone()),
                    ]);
                    let open = {
                        let (open, id) = (open.clone(), a.id);
                        Callback::from(move |()| open.emit(Some(id)))
                    };
                    Row::new(a.id, cells)
                        .on_open(open)
                        .attr("data-number", a.number.clone())
                })
                .collect::<Vec<_>>()
        })
    });
    let mut columns = Vec::new();
    let mut footer = None;
    if let Some(Ok(p)) = &*page {
        let page_ids: Vec<i64> = p.items.iter().map(|a| a.id).collect();
        let all_picked = page_ids.iter().all(|id| selected.contains(id));
        let pick_page = {
            let selected = selected.clone();
            Callback::from(move |_: MouseEvent| {
                let mut v = (*selected).clone();
                if page_ids.iter().all(|id| v.contains(id)) {
                    v.retain(|id| !page_ids.contains(id));
                } else {
                    v.extend(page_ids.iter().filter(|id| !selected.contains(id)));
                }
                selected.set(v);
            })
        };
        if may_edit {
            columns.push(Column::new("pick", "").header(html! {
                <input type="checkbox" id="pick-page" checked={all_picked} onclick={pick_page} aria-label={ui.t(Key::PickPage)} />
            }));
        }
        if p.total > 0 {
            footer = Some(server_pager(&ui, &offset, PAGE, p.total));
        }
    }
    columns.extend([
        Column::new(SortBy::Number.code(), ui.t(Key::ColAccount)).sortable(),
        Column::new(SortBy::Holder.code(), ui.t(Key::ColName)).sortable(),
        Column::new(SortBy::Address.code(), ui.t(Key::ColAddress)).sortable(),
        Column::new(SortBy::Residents.code(), ui.t(Key::ColResidents))
            .numeric()
            .sortable()
            .optional(),
        Column::new("branch", ui.t(Key::ColBranch)).optional(),
        Column::new("type", ui.t(Key::ColType)).optional(),
        Column::new("journal", ui.t(Key::ColJournal)).optional(),
        Column::new("meters", ui.t(Key::ColMeters))
            .numeric()
            .optional(),
        Column::new(SortBy::Balance.code(), ui.t(Key::ColBalance))
            .numeric()
            .sortable(),
    ]);
    let on_sort = {
        let (order, offset) = (order.clone(), offset.clone());
        Callback::from(move |(code, desc): (&'static str, bool)| {
            let by = SortBy::ALL
                .into_iter()
                .find(|b| b.code() == code)
                .unwrap_or(SortBy::Number);
            order.set((by, desc));
            offset.set(0);
        })
    };
    let body = html! {
        <DataTable id="accounts-table" {columns} rows={Rows::from(rows)} page_size={0}
            sorted={Some((order.0.code(), order.1))} {on_sort} {footer} />
    };

    html! {
        <section class="subscribers">
            <MenuDashboard menu={DashboardMenu::SUBSCRIBERS} />
            <div class="toolbar">
                <form class="search" onsubmit={on_search}>
                    <input id="account-search" type="search" placeholder={ui.t(Key::SearchHint)} value={(*draft).clone()} oninput={on_input} />
                    <button type="submit">{ ui.t(Key::Search) }</button>
                </form>
                <select id="filter-journal" aria-label={ui.t(Key::ColJournal)} onchange={ let (o, j) = (offset.clone(), journal.clone()); let pick = pick(&j); Callback::from(move |e: Event| { o.set(0); pick.emit(e); }) }>
                    <option value="" selected={journal.is_none()}>{ ui.t(Key::AllJournals) }</option>
                    { places.journal_options(*journal) }
                </select>
                <select id="filter-type" aria-label={ui.t(Key::ColType)} onchange={ let (o, k) = (offset.clone(), kind.clone()); let pick = pick(&k); Callback::from(move |e: Event| { o.set(0); pick.emit(e); }) }>
                    <option value="" selected={kind.is_none()}>{ ui.t(Key::AllTypes) }</option>
                    { places.type_options(*kind) }
                </select>
                <ExportXlsx list={ListKind::ACCOUNTS} search={(!search.is_empty()).then(|| (*search).clone())} sort={order.0.export()} desc={order.1}
                    journal_id={*journal} type_id={*kind} />
                <ExportByMail />
                if can.allows("accounts.create") {
                    <button id="new-account-button" onclick={ let a = adding.clone(); Callback::from(move |_| a.set(!*a)) }>{ ui.t(Key::NewAccount) }</button>
                }
            </div>
            if *adding {
                <NewAccountForm on_opened={
                    let (open, adding, version) = (open.clone(), adding.clone(), version.clone());
                    Callback::from(move |id: i64| {
                        adding.set(false);
                        version.set(*version + 1);
                        open.emit(Some(id));
                    })
                } />
            }
            if !selected.is_empty() {
                // The ticked accounts' invoices: calculated, printed, sent (seed 001 §4.3).
                <crate::billing::selection::SelectionInvoices account_ids={(*selected).clone()} />
                <GroupOperations selected={(*selected).clone()}
                    on_done={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                if may_edit {
                    // The selection's status (seed 001 Alt+S), closing included.
                    <crate::subscribers::card_edit::StatusForm prefix="group-status" account_ids={(*selected).clone()}
                        on_done={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                    <places::JournalMove account_ids={(*selected).clone()}
                        on_done={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                }
            }
            { body }
            if let Some(id) = props.account {
                <AccountCardView {id} on_close={ let open = open.clone(); Callback::from(move |_| open.emit(None)) } />
            }
        </section>
    }
}

/// Requests the accounts export job and polls its state until it finishes.
#[function_component(ExportByMail)]
fn export_by_mail() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let email = use_state(String::new);
    let status = use_state(|| None::<Result<job_status::JobStatusJob, String>>);
    // The export goes to the user's own address only (the server refuses any other), so
    // the form starts with it.
    {
        let email = email.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(me::ResponseData { me: Some(m) }) = api::run::<Me>(me::Variables {}).await
                    && let Some(own) = m.email
                {
                    email.set(own);
                }
            });
        });
    }
    let on_input = {
        let email = email.clone();
        Callback::from(move |e: InputEvent| {
            email.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_submit = {
        let (email, status) = (email.clone(), status.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (email, status) = ((*email).clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let queued =
                    api::run::<RequestAccountsExport>(request_accounts_export::Variables { email })
                        .await;
                let id = match queued {
                    Ok(d) => d.request_accounts_export.id,
                    Err(e) => return status.set(Some(Err(e))),
                };
                // Poll until the job is final; the job row is the truth, so this survives
                // a worker restart in between.
                loop {
                    let r = api::run::<JobStatus>(job_status::Variables { id: id.clone() })
                        .await
                        .map(|d| d.job);
                    let finished = matches!(&r, Ok(j) if matches!(j.state, job_status::JobState::DONE | job_status::JobState::FAILED))
                        || r.is_err();
                    status.set(Some(r));
                    if finished {
                        break;
                    }
                    TimeoutFuture::new(700).await;
                }
            });
        })
    };
    let state_text = match &*status {
        None => html! {},
        Some(Err(e)) => html! { <span id="export-status" class="error">{ e }</span> },
        Some(Ok(j)) => {
            let (key, class) = match j.state {
                job_status::JobState::QUEUED => (Key::ExportQueued, "queued"),
                job_status::JobState::RUNNING | job_status::JobState::RETRYING => {
                    (Key::ExportRunning, "running")
                }
                job_status::JobState::DONE => (Key::ExportDone, "done"),
                _ => (Key::ExportFailed, "failed"),
            };
            let detail = j
                .error
                .clone()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default();
            html! { <span id="export-status" class={classes!("job", class)}>{ format!("{} ({}%){detail}", ui.t(key), j.progress) }</span> }
        }
    };
    // A text field, not type=email: the browser's own check refuses addresses the server
    // takes (a domain label with "_") and speaks the browser's language; the server checks.
    html! {
        <form class="export" onsubmit={on_submit}>
            <input id="export-email" type="text" inputmode="email" autocomplete="email" placeholder={ui.t(Key::EmailPlaceholder)} value={(*email).clone()} oninput={on_input} />
            <button type="submit">{ ui.t(Key::ExportByMail) }</button>
            { state_text }
        </form>
    }
}
