//! The Legal entities section (seed 000 §4.3, Fig. 10–12): the list (objects' addresses,
//! legal address, branch, meters) searched by name, tax id, contract or account number,
//! address or meter serial; a new legal entity; its card, editable; its contracts (each
//! with its account) and the metering points of each contract.

use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, AddContract, AddMeteringPoint, CreateLegalEntity, LegalEntities, LegalEntityCard,
    RemoveMeteringPoint, add_contract, add_metering_point, create_legal_entity, legal_entities,
    legal_entity_card, remove_metering_point,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing, receipt};
use crate::shared::i18n::Key;
use crate::shared::premises_picker::PremisesPicker;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

#[function_component(LegalEntitiesSection)]
pub fn legal_entities_section() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_create = use_can().allows("subscribers.create");
    let (draft, search) = (use_state(String::new), use_state(String::new));
    let version = use_state(|| 0u32);
    let page = use_state(|| None::<Result<legal_entities::ResponseData, String>>);
    let open = use_state(|| None::<i64>);
    let (name, tax, address) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let message = use_state(|| None as Outcome);
    {
        let page = page.clone();
        use_effect_with(((*search).clone(), *version), move |(s, _)| {
            let search = Some(s.clone()).filter(|s| !s.is_empty());
            wasm_bindgen_futures::spawn_local(async move {
                page.set(Some(
                    api::run::<LegalEntities>(legal_entities::Variables { search, offset: 0 })
                        .await,
                ));
            });
        });
    }
    let on_search = {
        let (draft, search) = (draft.clone(), search.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            search.set(draft.trim().to_owned());
        })
    };
    let on_create = {
        let (name, tax, address, message, open, version) = (
            name.clone(),
            tax.clone(),
            address.clone(),
            message.clone(),
            open.clone(),
            version.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(refused) = missing(&ui, &[("legalName", name.as_str())]) {
                return message.set(Some(Err(refused)));
            }
            let input = create_legal_entity::LegalEntityInput {
                name: (*name).clone(),
                tax_id: Some(tax.trim().to_owned()).filter(|s| !s.is_empty()),
                legal_address: Some(address.trim().to_owned()).filter(|s| !s.is_empty()),
                phone: None,
                email: None,
            };
            let (message, open, version) = (message.clone(), open.clone(), version.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CreateLegalEntity>(create_legal_entity::Variables { input }).await
                {
                    Ok(d) => {
                        message.set(None);
                        version.set(*version + 1);
                        open.set(Some(d.create_legal_entity.subscriber.id));
                    }
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let rows = Rows::from((*page).clone().map(|r| {
        r.map(|d| {
            d.legal_entities
                .items
                .iter()
                .map(|l| {
                    let open_it = {
                        let (open, id) = (open.clone(), l.id);
                        Callback::from(move |_| open.set(Some(id)))
                    };
                    Row::new(
                        l.id,
                        vec![
                            Cell::text(l.account_numbers.join(", ")),
                            Cell::text(l.name.clone()),
                            Cell::text(l.tax_id.clone().unwrap_or_default()),
                            Cell::text(l.addresses.join("; ")),
                            Cell::text(l.legal_address.clone().unwrap_or_default()),
                            Cell::text(l.branches.join(", ")),
                            Cell::count(l.meters),
                            Cell::count(l.contracts),
                        ],
                    )
                    .attr("data-name", l.name.clone())
                    .on_open(open_it)
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("account", ui.t(Key::ColAccount)).sortable(),
        Column::new("name", ui.t(Key::OrganisationName)).sortable(),
        Column::new("tax", ui.t(Key::FieldTaxId)).sortable(),
        Column::new("objects", ui.t(Key::ColAddress)).sortable(),
        Column::new("address", ui.t(Key::LegalAddress))
            .sortable()
            .optional(),
        Column::new("branch", ui.t(Key::ColBranch))
            .sortable()
            .optional(),
        Column::new("meters", ui.t(Key::ColMeters))
            .numeric()
            .sortable()
            .optional(),
        Column::new("contracts", ui.t(Key::Contracts))
            .numeric()
            .sortable(),
    ];
    html! {
        <section class="legal-entities">
            <MenuDashboard menu={DashboardMenu::LEGAL_ENTITIES} />
            <div class="toolbar">
                <form class="search" onsubmit={on_search}>
                    <input id="legal-search" type="search" value={(*draft).clone()} oninput={bind(&draft)} />
                    <button type="submit">{ ui.t(Key::Search) }</button>
                </form>
            </div>
            <DataTable id="legal-table" {columns} {rows} />
            if may_create {
            <form id="new-legal-entity" class="card" onsubmit={on_create}>
                <h3>{ ui.t(Key::AddCounterparty) }</h3>
                <label>{ ui.t(Key::OrganisationName) }<input id="le-name" aria-required="true" aria-invalid={invalid(&message, "legalName")} value={(*name).clone()} oninput={bind(&name)} />{ field_error(&message, "legalName") }</label>
                <label>{ ui.t(Key::FieldTaxId) }<input id="le-tax" aria-invalid={invalid(&message, "taxId")} value={(*tax).clone()} oninput={bind(&tax)} />{ field_error(&message, "taxId") }</label>
                <label>{ ui.t(Key::LegalAddress) }<input id="le-address" aria-invalid={invalid(&message, "legalAddress")} value={(*address).clone()} oninput={bind(&address)} />{ field_error(&message, "legalAddress") }</label>
                <button id="le-submit" type="submit">{ ui.t(Key::Save) }</button>
                { form_error(&message, Some("le-message"), &["legalName", "taxId", "legalAddress"]) }
            </form>
            }
            if let Some(id) = *open {
                <LegalCard key={id} {id} on_changed={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    id: i64,
    on_changed: Callback<()>,
}

#[function_component(LegalCard)]
fn legal_card(props: &CardProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_contract, may_update) = (can.allows("accounts.create"), can.allows("accounts.update"));
    let may_edit_subscriber = can.allows("subscribers.update");
    let version = use_state(|| 0u32);
    let data = use_state(|| None::<Result<legal_entity_card::LegalCard, String>>);
    let message = use_state(|| None::<String>);
    let contract = use_state(|| None as Outcome);
    let (number, signed) = (use_state(String::new), use_state(String::new));
    let premises = use_state(|| None::<i64>);
    let point = use_state(String::new);
    {
        let (data, id) = (data.clone(), props.id);
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<LegalEntityCard>(legal_entity_card::Variables { id })
                        .await
                        .map(|d| d.legal_entity),
                ));
            });
        });
    }
    let reload = {
        let (version, changed) = (version.clone(), props.on_changed.clone());
        Callback::from(move |_: ()| {
            version.set(*version + 1);
            changed.emit(());
        })
    };
    let done = |message: &UseStateHandle<Option<String>>,
                reload: &Callback<()>,
                r: Result<(), api::ApiError>| match r {
        Ok(()) => {
            message.set(None);
            reload.emit(());
        }
        Err(e) => message.set(Some(error_text(&e))),
    };
    let on_contract = {
        let (id, number, signed, premises, outcome, reload) = (
            props.id,
            number.clone(),
            signed.clone(),
            premises.clone(),
            contract.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let required = [
                ("number", number.as_str()),
                ("signedOn", signed.as_str()),
                ("premisesId", if premises.is_some() { "·" } else { "" }),
            ];
            if let Some(refused) = missing(&ui, &required) {
                return outcome.set(Some(Err(refused)));
            }
            let input = add_contract::ContractInput {
                number: (*number).clone(),
                signed_on: (*signed).clone(),
                valid_to: None,
                premises_id: premises.unwrap_or(0),
                account_number: None,
            };
            let (outcome, reload) = (outcome.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<AddContract>(add_contract::Variables {
                    legal_entity_id: id,
                    input,
                })
                .await
                .map(|_| ());
                if r.is_ok() {
                    reload.emit(());
                }
                outcome.set(Some(r));
            });
        })
    };
    let body = match &*data {
        None => html! { <p>{ ui.t(Key::Loading) }</p> },
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        Some(Ok(c)) => {
            let contracts = c.contracts.iter().map(|k| {
                let add_point = {
                    let (cid, point, message, reload) = (k.id, point.clone(), message.clone(), reload.clone());
                    Callback::from(move |_| {
                        let input = add_metering_point::MeteringPointInput {
                            name: (*point).clone(),
                            service_id: None,
                            comment: None,
                        };
                        let (message, reload) = (message.clone(), reload.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            let r = api::call::<AddMeteringPoint>(add_metering_point::Variables {
                                contract_id: cid,
                                input,
                            })
                            .await
                            .map(|_| ());
                            done(&message, &reload, r);
                        });
                    })
                };
                let points = k.metering_points.iter().map(|m| {
                    let remove = {
                        let (id, message, reload) = (m.id, message.clone(), reload.clone());
                        Callback::from(move |_| {
                            if !confirm(&ui, Key::ConfirmDelete) {
                                return;
                            }
                            let (message, reload) = (message.clone(), reload.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                let r = api::call::<RemoveMeteringPoint>(remove_metering_point::Variables { id })
                                    .await
                                    .map(|_| ());
                                done(&message, &reload, r);
                            });
                        })
                    };
                    html! {
                        <li class="metering-point">{ &m.name }{ m.service_name.clone().map(|s| format!(" — {s}")).unwrap_or_default() }
                            if may_update { <button class="delete" onclick={remove}>{ ui.t(Key::Delete) }</button> }</li>
                    }
                });
                html! {
                    <div class="contract" data-number={k.number.clone()}>
                        <h4>{ format!("{} {} ({}), {} {}", ui.t(Key::Contract), k.number, k.signed_on, ui.t(Key::ColAccount), k.account_number) }</h4>
                        <p class="muted">{ &k.address }</p>
                        <ul class="points">{ for points }</ul>
                        if may_update { <button class="add-point" onclick={add_point}>{ ui.t(Key::AddMeteringPoint) }</button> }
                    </div>
                }
            });
            html! {
                <>
                <h3 id="legal-title">{ &c.subscriber.display_name }</h3>
                <dl class="facts">
                    <dt>{ ui.t(Key::FieldTaxId) }</dt><dd>{ c.subscriber.tax_id.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ ui.t(Key::LegalAddress) }</dt><dd id="legal-address">{ c.legal_address.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ ui.t(Key::Phone) }</dt><dd>{ c.subscriber.phone.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ ui.t(Key::Email) }</dt><dd>{ c.subscriber.email.clone().unwrap_or_else(|| "—".into()) }</dd>
                </dl>
                if may_edit_subscriber {
                    <super::card_edit::SubscriberEdit key={c.subscriber.id} subscriber={super::card_edit::Subscriber::from(&c.subscriber)}
                        on_saved={ let r = reload.clone(); Callback::from(move |_| r.emit(())) } />
                }
                if may_update {
                    <label>{ ui.t(Key::MeteringPointName) }<input id="point-name" value={(*point).clone()} oninput={bind(&point)} /></label>
                }
                { for contracts }
                </>
            }
        }
    };
    html! {
        <section id="legal-card" class="card-view">
            { body }
            if may_contract {
            <form id="add-contract" class="card" onsubmit={on_contract}>
                <h3>{ ui.t(Key::AddContract) }</h3>
                <label>{ ui.t(Key::AgreementNumber) }<input id="contract-number" aria-required="true" aria-invalid={invalid(&contract, "number")} value={(*number).clone()} oninput={bind(&number)} />{ field_error(&contract, "number") }</label>
                <label>{ ui.t(Key::SignedOn) }<input id="contract-signed" type="date" aria-required="true" aria-invalid={invalid(&contract, "signedOn")} value={(*signed).clone()} oninput={bind(&signed)} />{ field_error(&contract, "signedOn") }</label>
                <PremisesPicker prefix="contract" on_pick={ let p = premises.clone(); Callback::from(move |v| p.set(v)) } />
                { field_error(&contract, "premisesId") }
                <button id="contract-submit" type="submit">{ ui.t(Key::Save) }</button>
                { receipt(&ui, &contract, "contract-saved", &["number", "signedOn", "premisesId", "validTo"]) }
            </form>
            }
            if let Some(m) = &*message { <p id="legal-message" class="error" role="alert">{ m }</p> }
        </section>
    }
}
