//! Editing from the account card (seed 000 «Изменить»): the subscriber's names, contacts
//! and additional information; the account's opening day, "no penalty" and comment; and
//! its status, closing included (one account here; many from the list's selection).

use yew::prelude::*;

use crate::admin::{bind, opt};
use crate::shared::api::{
    self, ReachChoices, ReportControllers, SetAccountsStatus, SubscribersLookup, UpdateAccount,
    UpdateSubscriber, account_card, legal_entity_card, reach_choices, report_controllers,
    set_accounts_status, subscribers_lookup, update_account, update_subscriber,
};
use crate::shared::form::{Outcome, choose, field_error, form_error, invalid, pick, receipt, tick};
use crate::shared::i18n::Key;
use crate::shell::Ui;

/// What the subscriber form edits, as the account card and the legal entity card both
/// read it (their generated types differ only in name).
#[derive(Clone, PartialEq)]
pub struct Subscriber {
    pub id: i64,
    pub kind: String,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub legal_name: Option<String>,
    pub legal_address: Option<String>,
    pub tax_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: Option<String>,
    pub court: Option<String>,
    pub contract: Option<String>,
    pub employee: bool,
    pub amenities: Option<String>,
    pub controller_id: Option<i64>,
}

macro_rules! subscriber_from {
    ($($t:ty),*) => {$(
        impl From<&$t> for Subscriber {
            fn from(s: &$t) -> Self {
                Self {
                    id: s.id,
                    kind: s.kind.clone(),
                    last_name: s.last_name.clone(),
                    first_name: s.first_name.clone(),
                    middle_name: s.middle_name.clone(),
                    legal_name: s.legal_name.clone(),
                    legal_address: s.legal_address.clone(),
                    tax_id: s.tax_id.clone(),
                    phone: s.phone.clone(),
                    email: s.email.clone(),
                    birth_date: s.birth_date.clone(),
                    court: s.court.clone(),
                    contract: s.contract.clone(),
                    employee: s.employee,
                    amenities: s.amenities.clone(),
                    controller_id: s.controller_id,
                }
            }
        }
    )*};
}

subscriber_from!(
    account_card::AccountCardAccountSubscriber,
    legal_entity_card::LegalCardSubscriber
);

/// Active employees marked as controllers: (id, name).
#[hook]
fn use_controllers() -> UseStateHandle<Vec<(i64, String)>> {
    let list = use_state(Vec::new);
    {
        let list = list.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<ReportControllers>(report_controllers::Variables {}).await
                {
                    list.set(
                        d.reference_book
                            .items
                            .into_iter()
                            .filter(|e| e.active && e.extra["isController"].as_bool() == Some(true))
                            .map(|e| (e.id, e.name))
                            .collect(),
                    );
                }
            });
        });
    }
    list
}

#[derive(Properties, PartialEq)]
pub struct SubscriberEditProps {
    pub subscriber: Subscriber,
    pub on_saved: Callback<()>,
}

/// The subscriber's card, every field editable (folded under the card's facts).
#[function_component(SubscriberEdit)]
pub fn subscriber_edit(props: &SubscriberEditProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let s = &props.subscriber;
    let legal = s.kind == "legal";
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let last = use_state(|| text(&s.last_name));
    let first = use_state(|| text(&s.first_name));
    let middle = use_state(|| text(&s.middle_name));
    let legal_name = use_state(|| text(&s.legal_name));
    let legal_address = use_state(|| text(&s.legal_address));
    let tax = use_state(|| text(&s.tax_id));
    let phone = use_state(|| text(&s.phone));
    let email = use_state(|| text(&s.email));
    let birth = use_state(|| text(&s.birth_date));
    let court = use_state(|| text(&s.court));
    let contract = use_state(|| text(&s.contract));
    let employee = use_state(|| s.employee);
    let amenities = use_state(|| text(&s.amenities));
    let controller = use_state(|| s.controller_id);
    let controllers = use_controllers();
    let outcome = use_state(|| None as Outcome);
    let onsubmit = {
        let states = (
            last.clone(),
            first.clone(),
            middle.clone(),
            legal_name.clone(),
            legal_address.clone(),
            tax.clone(),
            phone.clone(),
            email.clone(),
        );
        let more = (
            birth.clone(),
            court.clone(),
            contract.clone(),
            employee.clone(),
            amenities.clone(),
            controller.clone(),
        );
        let (id, outcome, saved) = (s.id, outcome.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (last, first, middle, legal_name, legal_address, tax, phone, email) = &states;
            let (birth, court, contract, employee, amenities, controller) = &more;
            let input = update_subscriber::SubscriberEditInput {
                legal,
                last_name: opt(last),
                first_name: opt(first),
                middle_name: opt(middle),
                legal_name: opt(legal_name),
                legal_address: opt(legal_address),
                tax_id: opt(tax),
                phone: opt(phone),
                email: opt(email),
                birth_date: opt(birth),
                court: opt(court),
                contract: opt(contract),
                employee: **employee,
                amenities: opt(amenities),
                controller_id: **controller,
            };
            let (outcome, saved) = (outcome.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdateSubscriber>(update_subscriber::Variables { id, input })
                    .await
                {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        saved.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let input = |id: &'static str,
                 label: Key,
                 field: &'static str,
                 state: &UseStateHandle<String>| {
        html! {
            <label>{ ui.t(label) }<input id={id} aria-invalid={invalid(&outcome, field)} value={(**state).clone()} oninput={bind(state)} />{ field_error(&outcome, field) }</label>
        }
    };
    const FIELDS: [&str; 14] = [
        "lastName",
        "firstName",
        "middleName",
        "legalName",
        "legalAddress",
        "taxId",
        "phone",
        "email",
        "birthDate",
        "court",
        "contract",
        "amenities",
        "controllerId",
        "legal",
    ];
    html! {
        <details id="subscriber-edit-fold" class="fold">
            <summary>{ ui.t(Key::EdSubscriber) }</summary>
            <form id="subscriber-edit" class="card" novalidate=true {onsubmit}>
                if legal {
                    { input("se-legal-name", Key::OrganisationName, "legalName", &legal_name) }
                    { input("se-legal-address", Key::LegalAddress, "legalAddress", &legal_address) }
                } else {
                    { input("se-last", Key::LastName, "lastName", &last) }
                    { input("se-first", Key::FirstName, "firstName", &first) }
                    { input("se-middle", Key::MiddleName, "middleName", &middle) }
                    <label>{ ui.t(Key::EdBirthDate) }<input id="se-birth" type="date" aria-invalid={invalid(&outcome, "birthDate")} value={(*birth).clone()} oninput={bind(&birth)} />{ field_error(&outcome, "birthDate") }</label>
                }
                { input("se-tax", Key::FieldTaxId, "taxId", &tax) }
                { input("se-phone", Key::Phone, "phone", &phone) }
                <label>{ ui.t(Key::Email) }<input id="se-email" type="email" aria-invalid={invalid(&outcome, "email")} value={(*email).clone()} oninput={bind(&email)} />{ field_error(&outcome, "email") }</label>
                <fieldset>
                    <legend>{ ui.t(Key::EdMoreInfo) }</legend>
                    { input("se-court", Key::EdCourt, "court", &court) }
                    { input("se-contract", Key::EdContract, "contract", &contract) }
                    { input("se-amenities", Key::EdAmenities, "amenities", &amenities) }
                    <label class="check"><input id="se-employee" type="checkbox" checked={*employee} onchange={tick(&employee)} />{ ui.t(Key::EdEmployee) }</label>
                    <label>{ ui.t(Key::EdController) }
                        <select id="se-controller" aria-invalid={invalid(&outcome, "controllerId")} onchange={pick(&controller)}>
                            <option value="" selected={controller.is_none()}>{ ui.t(Key::EdNone) }</option>
                            { for controllers.iter().map(|(id, name)| html! {
                                <option value={id.to_string()} selected={*controller == Some(*id)}>{ name }</option>
                            }) }
                        </select>
                        { field_error(&outcome, "controllerId") }
                    </label>
                </fieldset>
                { field_error(&outcome, "legal") }
                <button id="se-save" type="submit">{ ui.t(Key::Save) }</button>
                { receipt(&ui, &outcome, "se-saved", &FIELDS) }
            </form>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountEditProps {
    pub account_id: i64,
    pub status: String,
    pub opened_on: Option<String>,
    pub no_penalty: bool,
    pub comment: Option<String>,
    pub branch_id: Option<i64>,
    /// The account-types book's record.
    #[prop_or_default]
    pub type_id: Option<i64>,
    /// The third-party payer: (id, name).
    pub payer: Option<(i64, String)>,
    pub on_saved: Callback<()>,
}

/// The tenant's branches: (id, name).
#[hook]
fn use_branches() -> UseStateHandle<Vec<(i64, String)>> {
    let list = use_state(Vec::new);
    {
        let list = list.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let vars = reach_choices::Variables { search: None };
                if let Ok(d) = api::run::<ReachChoices>(vars).await {
                    list.set(
                        d.reference_book
                            .items
                            .into_iter()
                            .map(|b| (b.id, b.name))
                            .collect(),
                    );
                }
            });
        });
    }
    list
}

/// The account's own fields and its status.
#[function_component(AccountEdit)]
pub fn account_edit(props: &AccountEditProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let opened = use_state(|| props.opened_on.clone().unwrap_or_default());
    let no_penalty = use_state(|| props.no_penalty);
    let comment = use_state(|| props.comment.clone().unwrap_or_default());
    let branch = use_state(|| props.branch_id);
    let branches = use_branches();
    let type_id = use_state(|| props.type_id);
    let places = super::places::use_places();
    // The payer: the one chosen (id, name), and subscribers found by name to choose from.
    let payer = use_state(|| props.payer.clone());
    let (payer_search, payers) = (use_state(String::new), use_state(Vec::<(i64, String)>::new));
    {
        let payers = payers.clone();
        use_effect_with((*payer_search).clone(), move |text| {
            let search = Some(text.trim().to_owned()).filter(|s| s.chars().count() >= 2);
            if let Some(search) = search {
                wasm_bindgen_futures::spawn_local(async move {
                    let vars = subscribers_lookup::Variables {
                        search: Some(search),
                    };
                    if let Ok(d) = api::run::<SubscribersLookup>(vars).await {
                        payers.set(
                            d.subscribers
                                .into_iter()
                                .map(|s| (s.id, s.display_name))
                                .collect(),
                        );
                    }
                });
            }
        });
    }
    let outcome = use_state(|| None as Outcome);
    let onsubmit = {
        let (branch, payer, type_id) = (branch.clone(), payer.clone(), type_id.clone());
        let (opened, no_penalty, comment) = (opened.clone(), no_penalty.clone(), comment.clone());
        let (id, outcome, saved) = (props.account_id, outcome.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = update_account::AccountEditInput {
                opened_on: opt(&opened),
                no_penalty: *no_penalty,
                comment: opt(&comment),
                payer_id: payer.as_ref().map(|p| p.0),
                branch_id: *branch,
                type_id: *type_id,
            };
            let (outcome, saved) = (outcome.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdateAccount>(update_account::Variables { id, input }).await {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        saved.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    html! {
        <details id="account-edit-fold" class="fold">
            <summary>{ ui.t(Key::EdAccount) }</summary>
            <form id="account-edit" class="card" novalidate=true {onsubmit}>
                <label>{ ui.t(Key::OpenedOn) }<input id="ae-opened" type="date" aria-invalid={invalid(&outcome, "openedOn")} value={(*opened).clone()} oninput={bind(&opened)} />{ field_error(&outcome, "openedOn") }</label>
                <label class="check"><input id="ae-no-penalty" type="checkbox" checked={*no_penalty} onchange={tick(&no_penalty)} />{ ui.t(Key::NoPenalty) }</label>
                <label>{ ui.t(Key::ColBranch) }
                    <select id="ae-branch" aria-invalid={invalid(&outcome, "branchId")} onchange={pick(&branch)}>
                        { for branches.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={*branch == Some(*id)}>{ name }</option> }) }
                    </select>{ field_error(&outcome, "branchId") }</label>
                <label>{ ui.t(Key::ColType) }
                    <select id="ae-type" aria-invalid={invalid(&outcome, "typeId")} onchange={pick(&type_id)}>
                        if type_id.is_none() { <option value="" selected=true>{ "—" }</option> }
                        { places.type_options(*type_id) }
                    </select>{ field_error(&outcome, "typeId") }</label>
                <fieldset class="payer">
                    <legend>{ ui.t(Key::EdPayer) }</legend>
                    <p id="ae-payer-name">{ payer.as_ref().map(|p| p.1.clone()).unwrap_or_else(|| ui.t(Key::EdPayerSelf).to_owned()) }</p>
                    <label>{ ui.t(Key::FindSubscriber) }<input id="ae-payer-search" value={(*payer_search).clone()} oninput={bind(&payer_search)} /></label>
                    <ul class="found">{ for payers.iter().map(|(id, name)| {
                        let (payer, chosen) = (payer.clone(), (*id, name.clone()));
                        html! { <li><button type="button" class="ae-payer-pick" onclick={Callback::from(move |_| payer.set(Some(chosen.clone())))}>{ name }</button></li> }
                    }) }</ul>
                    if payer.is_some() {
                        <button id="ae-payer-clear" type="button" onclick={ let p = payer.clone(); Callback::from(move |_| p.set(None)) }>{ ui.t(Key::EdPayerSelf) }</button>
                    }
                    { field_error(&outcome, "payerId") }
                </fieldset>
                <label>{ ui.t(Key::EdComment) }<textarea id="ae-comment" aria-invalid={invalid(&outcome, "comment")} value={(*comment).clone()} oninput={ let c = comment.clone(); Callback::from(move |e: InputEvent| c.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())) } />{ field_error(&outcome, "comment") }</label>
                <button id="ae-save" type="submit">{ ui.t(Key::Save) }</button>
                { receipt(&ui, &outcome, "ae-saved", &["openedOn", "comment", "branchId", "payerId", "typeId"]) }
            </form>
            <StatusForm account_ids={vec![props.account_id]} status={props.status.clone()} on_done={props.on_saved.clone()} />
        </details>
    }
}

/// The statuses in their order of seed 001 §4.3, with their API values.
const STATUSES: [(&str, set_accounts_status::AccountStatus); 5] = [
    ("draft", set_accounts_status::AccountStatus::DRAFT),
    ("approved", set_accounts_status::AccountStatus::APPROVED),
    ("suspended", set_accounts_status::AccountStatus::SUSPENDED),
    ("closed", set_accounts_status::AccountStatus::CLOSED),
    ("annulled", set_accounts_status::AccountStatus::ANNULLED),
];

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub account_ids: Vec<i64>,
    /// The current status of a single account (preselected); empty for a selection.
    #[prop_or_default]
    pub status: String,
    /// The ids' prefix: the card's form and the list's may be on screen together.
    #[prop_or(AttrValue::Static("status"))]
    pub prefix: AttrValue,
    pub on_done: Callback<()>,
}

/// Changes the status of one account or of the accounts ticked in a list (seed 001 Alt+S);
/// closing asks for the day and whether to keep a balance.
#[function_component(StatusForm)]
pub fn status_form(props: &StatusProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let status = use_state(|| {
        if props.status.is_empty() {
            "closed".to_owned()
        } else {
            props.status.clone()
        }
    });
    let (closed_on, keep) = (use_state(crate::payments::today), use_state(|| false));
    let outcome = use_state(|| None::<Result<(i64, Vec<(Option<String>, String)>), api::ApiError>>);
    let onsubmit = {
        let (status, closed_on, keep, outcome) = (
            status.clone(),
            closed_on.clone(),
            keep.clone(),
            outcome.clone(),
        );
        let (ids, done) = (props.account_ids.clone(), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some((_, to)) = STATUSES.iter().find(|(c, _)| *c == status.as_str()) else {
                return;
            };
            let closing = *status == "closed";
            let input = set_accounts_status::AccountStatusInput {
                status: to.clone(),
                closed_on: if closing { opt(&closed_on) } else { None },
                keep_balance: closing && *keep,
            };
            let (outcome, done, account_ids) = (outcome.clone(), done.clone(), ids.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<SetAccountsStatus>(set_accounts_status::Variables {
                    account_ids,
                    input,
                })
                .await
                .map(|d| {
                    let g = d.set_accounts_status;
                    let skipped = g
                        .skipped
                        .into_iter()
                        .map(|s| (s.number, s.reason))
                        .collect();
                    (g.changed, skipped)
                });
                if matches!(&r, Ok((n, _)) if *n > 0) {
                    done.emit(());
                }
                outcome.set(Some(r));
            });
        })
    };
    let failed: Outcome = match &*outcome {
        Some(Err(e)) => Some(Err(e.clone())),
        _ => None,
    };
    let result = match &*outcome {
        Some(Ok((changed, skipped))) => html! {
            <div id={format!("{}-result", props.prefix)} role="status">
                <p>{ format!("{}: {changed}; {}: {}", ui.t(Key::Changed), ui.t(Key::Skipped), skipped.len()) }</p>
                if !skipped.is_empty() {
                    <ul class="skipped">{ for skipped.iter().map(|(n, r)| html! { <li>{ format!("{} — {r}", n.clone().unwrap_or_default()) }</li> }) }</ul>
                }
            </div>
        },
        _ => form_error(&failed, None, &["closedOn"]),
    };
    html! {
        <form id={format!("{}-form", props.prefix)} class="card group" novalidate=true {onsubmit}>
            <label>{ ui.t(Key::AccountStatus) }
                <select id={format!("{}-select", props.prefix)} onchange={choose(&status)}>
                    { for STATUSES.iter().map(|(code, _)| html! {
                        <option value={*code} selected={*status == *code}>{ crate::shared::labels::code(&ui, "accounts_status", code) }</option>
                    }) }
                </select>
            </label>
            if *status == "closed" {
                <label>{ ui.t(Key::EdClosedOn) }<input id={format!("{}-closed-on", props.prefix)} type="date" aria-invalid={invalid(&failed, "closedOn")} value={(*closed_on).clone()} oninput={bind(&closed_on)} />{ field_error(&failed, "closedOn") }</label>
                <label class="check"><input id={format!("{}-keep-balance", props.prefix)} type="checkbox" checked={*keep} onchange={tick(&keep)} />{ ui.t(Key::EdKeepBalance) }</label>
            }
            <button id={format!("{}-apply", props.prefix)} type="submit">{ ui.t(Key::EdSetStatus) }</button>
            { result }
        </form>
    }
}
