//! "Add address" (seed 000 Fig. 20): any part of an address, with a range of apartments
//! laid out over entrances and floors; and the buildings with their premises.

use yew::prelude::*;

use super::address_editor::AddressEditor;
use super::building_editor::BuildingEditor;
use super::{bind, error_text};
use crate::shared::api::{
    self, AddAddress, BuildingCard, Buildings, add_address, building_card, buildings,
};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

fn number(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

#[function_component(AddAddressTab)]
pub fn add_address_tab() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_create = use_can().allows("accounts.create");
    let (f0, f1, f2, f3) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let (f4, f5, f6) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let fields: Vec<UseStateHandle<String>> = vec![f0, f1, f2, f3, f4, f5, f6];
    let kind = use_state(|| "street".to_owned());
    let message = use_state(|| None::<String>);
    let onsubmit = {
        let (fields, kind, message) = (fields.clone(), kind.clone(), message.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v: Vec<String> = fields.iter().map(|f| (**f).clone()).collect();
            let input = add_address::AddAddressInput {
                country: "UA".to_owned(),
                region: String::new(),
                district: String::new(),
                locality: v[0].clone(),
                street_kind: (*kind).clone(),
                street: v[1].clone(),
                building: v[2].clone(),
                apartments_from: number(&v[3]),
                apartments_to: number(&v[4]),
                entrances: number(&v[5]),
                floors: number(&v[6]),
            };
            let message = message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<AddAddress>(add_address::Variables { input }).await {
                    Ok(d) => {
                        let a = d.add_address;
                        message.set(Some(
                            ui.t(Key::AddressAdded)
                                .replace("{a}", &a.address)
                                .replace("{c}", &a.premises_created.to_string())
                                .replace("{e}", &a.premises_existing.to_string()),
                        ))
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let labels = [
        Key::Locality,
        Key::Street,
        Key::BuildingNo,
        Key::ApartmentsFrom,
        Key::ApartmentsTo,
        Key::Entrances,
        Key::Floors,
    ];
    let ids = [
        "addr-locality",
        "addr-street",
        "addr-building",
        "addr-from",
        "addr-to",
        "addr-entrances",
        "addr-floors",
    ];
    let inputs = fields.iter().zip(labels).zip(ids).map(|((f, label), id)| {
        html! { <label>{ ui.t(label) }<input id={id} value={(**f).clone()} oninput={bind(f)} /></label> }
    });
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            kind.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    html! {
        <form id="add-address" class="card" {onsubmit}>
            <h3>{ ui.t(Key::TabAddAddress) }</h3>
            <label>{ ui.t(Key::StreetKind) }
                <select id="addr-kind" onchange={on_kind}>
                    { crate::shared::labels::STREET_KINDS.options(&ui, &kind) }
                </select>
            </label>
            { for inputs }
            if may_create { <button id="addr-submit" type="submit">{ ui.t(Key::AddAddress) }</button> }
            if let Some(m) = &*message { <p id="addr-message" role="status">{ m }</p> }
        </form>
    }
}

#[function_component(BuildingsTab)]
pub fn buildings_tab() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let list = use_state(|| None::<Result<buildings::BuildingsBuildings, String>>);
    let open = use_state(|| None::<i64>);
    let version = use_state(|| 0u32);
    let card = use_state(|| None::<Result<building_card::BuildingCardBuilding, String>>);
    // The premises whose card is open under the building's list of premises.
    let premises_open = use_state(|| None::<i64>);
    // Buildings ticked for the group operation on their services (seed 001 Ctrl+G).
    let ticked = use_state(Vec::<i64>::new);
    let may_update = use_can().allows("accounts.update");
    // Found by address on the server (a tenant may have thousands of buildings; the list
    // holds the first 200 of what the search finds).
    let (draft, search) = (use_state(String::new), use_state(String::new));
    let latest = api::use_latest();
    {
        let (list, latest) = (list.clone(), latest.clone());
        // Again after a building is deleted (the version moves).
        use_effect_with(((*search).clone(), *version), move |(search, _)| {
            let search = Some(search.trim().to_owned()).filter(|s| !s.is_empty());
            let ticket = latest.next();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::run::<Buildings>(buildings::Variables { search })
                    .await
                    .map(|d| d.buildings);
                if latest.is(ticket) {
                    list.set(Some(answer));
                }
            });
        });
    }
    let on_search = {
        let (draft, search) = (draft.clone(), search.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            search.set((*draft).clone());
        })
    };
    {
        let card = card.clone();
        use_effect_with((*open, *version), move |(id, _)| {
            if let Some(id) = *id {
                wasm_bindgen_futures::spawn_local(async move {
                    card.set(Some(
                        api::run::<BuildingCard>(building_card::Variables { id })
                            .await
                            .map(|d| d.building),
                    ));
                });
            }
        });
    }
    // An unknown count stays an empty cell.
    let count = |n: Option<i64>| n.map_or_else(|| Cell::text(""), Cell::count);
    let rows = list.as_ref().map(|r| {
        r.as_ref().map(|l| {
            l.items
                .iter()
                .map(|b| {
                    let (open, id) = (open.clone(), b.id);
                    let tick = {
                        let ticked = ticked.clone();
                        Callback::from(move |e: MouseEvent| {
                            // Ticking selects; it must not also open the card.
                            e.stop_propagation();
                            let mut v = (*ticked).clone();
                            if v.contains(&id) {
                                v.retain(|x| *x != id);
                            } else {
                                v.push(id);
                            }
                            ticked.set(v);
                        })
                    };
                    let pick = may_update.then(|| {
                        let checked = ticked.contains(&id);
                        Cell::html(html! { <input type="checkbox" class="pick-building" {checked} onclick={tick} aria-label={b.address.clone()} /> }).class("pick")
                    });
                    Row::new(
                        b.id,
                        pick.into_iter().chain([
                            Cell::text(b.address.clone()),
                            count(b.entrances),
                            count(b.floors),
                            count(Some(b.premises_count)),
                        ]).collect(),
                    )
                    .on_open(Callback::from(move |()| open.set(Some(id))))
                    .attr("data-id", b.id.to_string())
                })
                .collect::<Vec<_>>()
        })
    });
    let mut columns = Vec::new();
    if may_update {
        columns.push(Column::new("pick", ""));
    }
    columns.extend([
        Column::new("address", ui.t(Key::ColAddress)).sortable(),
        Column::new("entrances", ui.t(Key::Entrances))
            .numeric()
            .sortable(),
        Column::new("floors", ui.t(Key::Floors))
            .numeric()
            .sortable(),
        Column::new("premises", ui.t(Key::Premises))
            .numeric()
            .sortable(),
    ]);
    let premises_columns = vec![
        Column::new("number", ui.t(Key::Apartment)).sortable(),
        Column::new("entrance", ui.t(Key::Entrance))
            .numeric()
            .sortable(),
        Column::new("floor", ui.t(Key::Floor)).numeric().sortable(),
        Column::new("rooms", ui.t(Key::Rooms)).numeric().sortable(),
        Column::new("area", ui.t(Key::TotalArea))
            .numeric()
            .sortable(),
    ];
    let premises = match &*card {
        Some(Ok(c)) => html! {
            <div class="card-view">
                <h3>{ format!("{} — {}", c.building.address, ui.t(Key::Premises)) }</h3>
                <AddressEditor key={format!("{}-{:?}", c.building.id, c.address)} building_id={c.building.id} address={c.address.clone()}
                    on_saved={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                <super::group_open::GroupOpen key={format!("go{}", c.building.id)} building_id={c.building.id}
                    street_id={c.address.street_id} street_buildings={c.address.street_buildings}
                    on_opened={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                <BuildingEditor key={c.building.id} id={c.building.id} details={c.details.clone()}
                    on_saved={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) }
                    on_deleted={ let (o, c, v) = (open.clone(), card.clone(), version.clone());
                        Callback::from(move |_| { o.set(None); c.set(None); v.set(*v + 1); }) } />
                <DataTable id="premises-table" columns={premises_columns.clone()} rows={Rows::Ready(
                    c.premises.iter().map(|p| {
                        let area = p.total_area.clone().unwrap_or_default();
                        let (opened, id) = (premises_open.clone(), p.id);
                        Row::new(p.id, vec![
                            Cell::text(p.number.clone()),
                            count(p.entrance),
                            count(p.floor),
                            count(p.rooms),
                            Cell::number(area.clone(), ui.quantity(&area)),
                        ])
                        .on_open(Callback::from(move |()| opened.set(Some(id))))
                        .attr("data-number", p.number.clone())
                    }).collect()
                )} />
                if let Some(p) = c.premises.iter().find(|p| Some(p.id) == *premises_open) {
                    <super::premises_editor::PremisesEditor key={p.id} premises={p.clone()}
                        on_saved={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                }
            </div>
        },
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        None => html! {},
    };
    html! {
        <div class="buildings-tab">
            <form class="search toolbar" onsubmit={on_search}>
                <input id="buildings-search" type="search" aria-label={ui.t(Key::ColAddress)} placeholder={ui.t(Key::ColAddress)}
                    value={(*draft).clone()} oninput={bind(&draft)} />
                <button type="submit">{ ui.t(Key::Search) }</button>
            </form>
            <DataTable id="buildings-table" {columns} rows={Rows::from(rows.map(|r| r.map_err(|e| e.clone())))} />
            if !ticked.is_empty() {
                <super::buildings_services::BuildingsServices building_ids={(*ticked).clone()}
                    on_done={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
            }
            { premises }
        </div>
    }
}
