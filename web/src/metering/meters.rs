//! The Meters section (seed 000 §4.4, Fig. 13): working and archived meters searched by
//! serial, seal or address, the "verification due soon" and "overdue" filters, a new
//! meter, and taking one out of service (with its final reading) or back; readings are
//! entered in the rows and read in a meter's history (`readings`).

use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};

use crate::admin::{bind, error_text, opt};
use crate::metering::held::HeldReadingsCard;
use crate::metering::readings::{ReadingCell, ReadingHistory, ReadingsImport};
use crate::shared::api::{
    self, AssignMainMeter, CreateMeter, MeterChoices, Meters, RemoveMainMeter, RemoveMeter,
    ReplaceMainMeter, RestoreMeter, VerifyMeter, assign_main_meter, create_meter, meter_choices,
    meters, remove_main_meter, remove_meter, replace_main_meter, restore_meter, verify_meter,
};
use crate::shared::confirm::confirm;
use crate::shared::drawer::Drawer;
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::premises_picker::PremisesPicker;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

fn select_id(e: &Event) -> Option<i64> {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
        .parse()
        .ok()
}

#[function_component(MetersSection)]
pub fn meters_section() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_create, may_update, may_read) = (
        can.allows("meters.create"),
        can.allows("meters.update"),
        can.allows("readings.create"),
    );
    let archive = use_state(|| false);
    let due = use_state(|| None::<meters::VerificationFilter>);
    let (draft, search) = (use_state(String::new), use_state(String::new));
    let version = use_state(|| 0u32);
    let page = use_state(|| None::<Result<meters::MetersMeters, String>>);
    let message = use_state(|| None::<String>);
    // The meter whose card is open (F4).
    let card = use_state(|| None::<i64>);
    let latest = api::use_latest();
    {
        let (page, latest) = (page.clone(), latest.clone());
        let key = (*archive, (*due).clone(), (*search).clone(), *version);
        use_effect_with(key, move |(archive, due, search, _)| {
            let ticket = latest.next();
            let vars = meters::Variables {
                state: if *archive {
                    meters::MeterState::ARCHIVE
                } else {
                    meters::MeterState::WORKING
                },
                search: opt(search),
                verification: due.clone(),
                account_id: None,
                offset: 0,
            };
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::run::<Meters>(vars).await.map(|d| d.meters);
                if latest.is(ticket) {
                    page.set(Some(answer));
                }
            });
        });
    }
    let filter = |value: Option<meters::VerificationFilter>, key: Key, id: &str| {
        let (due, active) = (due.clone(), *due == value);
        let onclick = Callback::from(move |_| due.set(value.clone()));
        html! { <button id={id.to_owned()} class={classes!("tab", active.then_some("active"))} {onclick}>{ ui.t(key) }</button> }
    };
    let picked = use_state(Vec::<i64>::new);
    let main = use_state(|| None::<i64>);
    let outcome = use_state(|| None::<String>);
    let removal_day = use_state(String::new);
    let (verified_day, new_seal) = (use_state(String::new), use_state(String::new));
    let final_reading = use_state(String::new);
    let verification_reading = use_state(String::new);
    let history = use_state(|| None::<(i64, String)>);
    let rows = page.as_ref().map(|r| {
        r.as_ref().map(|p| {
            p.items
            .iter()
            .map(|m| {
                let action = {
                    let (id, removed, day, reading, message, version) = (
                        m.id,
                        m.removed_on.is_some(),
                        removal_day.clone(),
                        final_reading.clone(),
                        message.clone(),
                        version.clone(),
                    );
                    Callback::from(move |_| {
                        if !removed && !confirm(&ui, Key::ConfirmTakeOut) {
                            return;
                        }
                        let (day, reading, message, version) =
                            ((*day).clone(), (*reading).clone(), message.clone(), version.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            let r = if removed {
                                api::call::<RestoreMeter>(restore_meter::Variables { id }).await.map(|_| ())
                            } else {
                                api::call::<RemoveMeter>(remove_meter::Variables {
                                    id,
                                    removed_on: day,
                                    final_reading: reading,
                                })
                                .await
                                .map(|_| ())
                            };
                            match r {
                                Ok(()) => {
                                    message.set(None);
                                    version.set(*version + 1);
                                }
                                Err(e) => message.set(Some(error_text(&e))),
                            }
                        });
                    })
                };
                let tick = {
                    let (picked, id) = (picked.clone(), m.id);
                    Callback::from(move |_| {
                        let mut v = (*picked).clone();
                        if v.contains(&id) {
                            v.retain(|x| *x != id);
                        } else {
                            v.push(id);
                        }
                        picked.set(v);
                    })
                };
                let verify = {
                    let (id, day, seal, reading, message, version) = (
                        m.id,
                        verified_day.clone(),
                        new_seal.clone(),
                        verification_reading.clone(),
                        message.clone(),
                        version.clone(),
                    );
                    Callback::from(move |_| {
                        let vars = verify_meter::Variables {
                            id,
                            verified_on: (*day).clone(),
                            seal_number: opt(&seal),
                            reading: opt(&reading),
                        };
                        let (message, version) = (message.clone(), version.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            match api::call::<VerifyMeter>(vars).await {
                                Ok(_) => {
                                    message.set(None);
                                    version.set(*version + 1);
                                }
                                Err(e) => message.set(Some(error_text(&e))),
                            }
                        });
                    })
                };
                let open_card = {
                    let (card, id) = (card.clone(), m.id);
                    Callback::from(move |_| card.set(Some(id)))
                };
                let show_history = {
                    let (history, id, serial) = (history.clone(), m.id, m.serial.clone());
                    Callback::from(move |_| history.set(Some((id, serial.clone()))))
                };
                let saved = {
                    let version = version.clone();
                    Callback::from(move |_| version.set(*version + 1))
                };
                let last = m
                    .last_reading
                    .as_ref()
                    .map(|r| {
                        let period = m.last_period.as_deref().and_then(|p| p.get(..7)).unwrap_or("");
                        format!("{r} ({}) {period}", m.last_flag.clone().unwrap_or_default())
                    })
                    .unwrap_or_default();
                let actions = html! {
                    <>
                        <button class="meter-card" onclick={open_card}>{ ui.t(Key::MeterCard) }</button>
                        <button class="meter-history" onclick={show_history}>{ ui.t(Key::ReadingHistory) }</button>
                        if may_update {
                            <button class="verify-meter" onclick={verify}>{ ui.t(Key::Verify) }</button><button class="meter-action" onclick={action}>{
                                if m.removed_on.is_some() { ui.t(Key::Restore) } else { ui.t(Key::TakeOut) }
                            }</button>
                        }
                    </>
                };
                let reading = if m.removed_on.is_none() && may_read {
                    html! { <ReadingCell meter_id={m.id} on_saved={saved} /> }
                } else {
                    html! {}
                };
                Row::new(
                    m.id,
                    vec![
                        Cell::html(html! {
                            <input type="checkbox" class="pick-meter" aria-label={m.serial.clone()} checked={picked.contains(&m.id)} onchange={tick} />
                        }).class("pick"),
                        Cell::text(m.serial.clone()),
                        Cell::text(m.holder_name.clone().unwrap_or_default()).class("holder"),
                        Cell::text(m.address.clone()),
                        Cell::text(m.account_number.clone().unwrap_or_default()),
                        Cell::text(m.service_name.clone()),
                        Cell::text(m.model_name.clone().unwrap_or_default()),
                        Cell::text(m.seal_number.clone().unwrap_or_default()).class("seal"),
                        Cell::text(m.installed_on.clone()),
                        Cell::text(m.next_verification.clone().unwrap_or_default()).class("next-verification"),
                        {
                            let main = Cell::text(m.parent_serial.clone().unwrap_or_default())
                                .class("main-meter");
                            if m.parent_removed { main.class("removed-main") } else { main }
                        },
                        Cell::text(m.metering_point_name.clone().unwrap_or_default()).class("metering-point"),
                        Cell::text(m.last_previous.as_deref().map(|v| ui.quantity(v)).unwrap_or_default()).class("previous-reading"),
                        Cell::text(last).class("last-reading"),
                        Cell::text(m.last_consumption.as_deref().map(|v| ui.quantity(v)).unwrap_or_default()).class("consumption"),
                        Cell::html(reading),
                        Cell::html(actions).class("actions"),
                    ],
                )
                .attr("data-serial", m.serial.clone())
            })
            .collect::<Vec<_>>()
        })
    });
    let columns = vec![
        Column::new("pick", ""),
        Column::new("serial", ui.t(Key::SerialNumber)).sortable(),
        Column::new("holder", ui.t(Key::MeterHolder))
            .sortable()
            .optional(),
        Column::new("address", ui.t(Key::ColAddress)).sortable(),
        Column::new("account", ui.t(Key::ColAccount)).sortable(),
        Column::new("service", ui.t(Key::FieldServices))
            .sortable()
            .optional(),
        Column::new("model", ui.t(Key::FieldModel))
            .sortable()
            .optional(),
        Column::new("seal", ui.t(Key::SealNumber))
            .sortable()
            .optional(),
        Column::new("installed", ui.t(Key::InstalledOn))
            .sortable()
            .optional(),
        Column::new("verification", ui.t(Key::NextVerification))
            .sortable()
            .optional(),
        Column::new("main", ui.t(Key::MainMeter)).optional(),
        Column::new("point", ui.t(Key::MeteringPointName)).optional(),
        Column::new("previous", ui.t(Key::MeterPrevious)).optional(),
        Column::new("last", ui.t(Key::LastReading)).optional(),
        Column::new("consumption", ui.t(Key::MeterConsumption)).optional(),
        Column::new("reading", ui.t(Key::NewReading)),
        Column::new("actions", ""),
    ];
    let on_search = {
        let (draft, search) = (draft.clone(), search.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            search.set(draft.trim().to_owned());
        })
    };
    // The list as filtered on screen, for its XLSX export.
    let export_filter = {
        use crate::shared::api::request_list_export::{MeterListFilter, VerificationFilter as V};
        MeterListFilter {
            archive: *archive,
            search: opt(&search),
            verification: due.as_ref().map(|d| match d {
                meters::VerificationFilter::OVERDUE => V::OVERDUE,
                _ => V::DUE_SOON,
            }),
        }
    };
    html! {
        <section class="meters">
            <MenuDashboard menu={DashboardMenu::METERS} />
            <div class="toolbar">
                <div class="tabs">
                    <button id="meters-working" class={classes!("tab", (!*archive).then_some("active"))} onclick={ let a = archive.clone(); Callback::from(move |_| a.set(false)) }>{ ui.t(Key::Working) }</button>
                    <button id="meters-archive" class={classes!("tab", archive.then_some("active"))} onclick={ let a = archive.clone(); Callback::from(move |_| a.set(true)) }>{ ui.t(Key::Archive) }</button>
                </div>
                <div class="tabs">
                    { filter(None, Key::AllMeters, "meters-all") }
                    { filter(Some(meters::VerificationFilter::DUE_SOON), Key::VerificationDueSoon, "meters-due-soon") }
                    { filter(Some(meters::VerificationFilter::OVERDUE), Key::VerificationOverdue, "meters-overdue") }
                </div>
                <crate::shared::export::ExportXlsx list={crate::shared::api::request_list_export::ListKind::METERS} meters={Some(export_filter)} />
                <form class="search" onsubmit={on_search}>
                    <input id="meter-search" type="search" placeholder={ui.t(Key::MeterSearchHint)} value={(*draft).clone()} oninput={bind(&draft)} />
                    <button type="submit">{ ui.t(Key::Search) }</button>
                </form>
            </div>
            <DataTable id="meters-table" {columns} rows={Rows::from(rows)} />
            if let Some(m) = (*page).as_ref().and_then(|p| p.as_ref().ok()).and_then(|p| p.items.iter().find(|m| Some(m.id) == *card)) {
                <super::meter_card::MeterCard key={m.id} meter={m.clone()}
                    on_changed={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) }
                    on_close={ let c = card.clone(); Callback::from(move |_| c.set(None)) } />
            }
            if may_update {
            <div class="inline">
                <label>{ ui.t(Key::RemovedOn) }<input id="meter-removed-on" type="date" value={(*removal_day).clone()} oninput={bind(&removal_day)} /></label>
                <label>{ ui.t(Key::FinalReading) }<input id="meter-final-reading" inputmode="decimal" value={(*final_reading).clone()} oninput={bind(&final_reading)} /></label>
                <label>{ ui.t(Key::VerifiedOn) }<input id="meter-verified-on" type="date" value={(*verified_day).clone()} oninput={bind(&verified_day)} /></label>
                <label>{ ui.t(Key::NewSeal) }<input id="meter-new-seal" value={(*new_seal).clone()} oninput={bind(&new_seal)} /></label>
                <label>{ ui.t(Key::VerificationReading) }<input id="meter-verification-reading" inputmode="decimal" value={(*verification_reading).clone()} oninput={bind(&verification_reading)} /></label>
            </div>
            }
            if let Some((id, serial)) = &*history {
                <Drawer id="history-drawer" title={format!("{} — {serial}", ui.t(Key::ReadingHistory))}
                    on_close={ let h = history.clone(); Callback::from(move |()| h.set(None)) }>
                    <ReadingHistory key={*id} meter_id={*id} />
                </Drawer>
            }
            if !picked.is_empty() && may_update {
                { hierarchy_panel(ui, &page, &picked, &main, &outcome, &version) }
            }
            if let Some(m) = &*message { <p id="meters-message" class="error" role="alert">{ m }</p> }
            if may_read { <HeldReadingsCard on_decided={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } /> }
            if may_read { <ReadingsImport /> }
            if may_create { <NewMeterForm on_created={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } /> }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    on_created: Callback<()>,
}

/// The new meter's fields the server may refuse by name (each shows its own message).
const METER_FIELDS: [&str; 9] = [
    "buildingId",
    "installMethod",
    "premisesId",
    "serviceId",
    "modelId",
    "serial",
    "installedOn",
    "initialReading",
    "verifiedOn",
];

#[function_component(NewMeterForm)]
fn new_meter_form(props: &FormProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let choices = use_state(|| None::<meter_choices::ResponseData>);
    {
        let choices = choices.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<MeterChoices>(meter_choices::Variables {}).await {
                    choices.set(Some(d));
                }
            });
        });
    }
    let (building, premises) = (use_state(|| None::<i64>), use_state(|| None::<i64>));
    let (service, model) = (use_state(|| None::<i64>), use_state(|| None::<i64>));
    let (serial, installed, initial, seal, verified) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let message = use_state(|| None as Outcome<String>);
    let method = use_state(|| "apartment".to_owned());
    let onsubmit = {
        let method = method.clone();
        let (building, premises, service, model) = (
            building.clone(),
            premises.clone(),
            service.clone(),
            model.clone(),
        );
        let (serial, installed, initial, seal, verified) = (
            serial.clone(),
            installed.clone(),
            initial.clone(),
            seal.clone(),
            verified.clone(),
        );
        let (message, created) = (message.clone(), props.on_created.clone());
        let first_service = choices
            .as_ref()
            .and_then(|c| c.services.items.first().map(|s| s.id));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let required = [
                ("buildingId", if building.is_some() { "·" } else { "" }),
                ("serial", serial.as_str()),
                ("installedOn", installed.as_str()),
                ("initialReading", initial.as_str()),
            ];
            if let Some(refused) = missing(&ui, &required) {
                return message.set(Some(Err(refused)));
            }
            let input = create_meter::MeterInput {
                serial: (*serial).clone(),
                model_id: *model,
                service_id: (*service).or(first_service).unwrap_or(0),
                // "Apartment" with no apartment picked is the building's meter.
                install_method: if premises.is_none() && *method == "apartment" {
                    "building".to_owned()
                } else {
                    (*method).clone()
                },
                building_id: building.unwrap_or(0),
                premises_id: *premises,
                place: None,
                installed_on: (*installed).clone(),
                initial_reading: (*initial).clone(),
                seal_number: opt(&seal),
                sealed_on: None,
                verified_on: opt(&verified),
                // The passport is filled in on the card (F4) once the meter exists.
                manufacturer: None,
                manufactured_on: None,
                installer: None,
                commissioned_on: None,
                remote_reading: false,
                is_virtual: false,
                balance_owner: None,
                riser: None,
                entrance: None,
                note: None,
                // A legal entity's metering point is chosen on the card too.
                metering_point_id: None,
            };
            let (message, created) = (message.clone(), created.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CreateMeter>(create_meter::Variables { input }).await {
                    Ok(d) => {
                        message.set(Some(Ok(d.create_meter.serial)));
                        created.emit(());
                    }
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let options = |items: Option<Vec<(i64, String)>>| {
        items
            .unwrap_or_default()
            .into_iter()
            .map(|(id, name)| html! { <option value={id.to_string()}>{ name }</option> })
            .collect::<Html>()
    };
    let services = options(choices.as_ref().map(|c| {
        c.services
            .items
            .iter()
            .map(|s| (s.id, s.name.clone()))
            .collect()
    }));
    let models = options(choices.as_ref().map(|c| {
        c.models
            .items
            .iter()
            .map(|m| (m.id, m.name.clone()))
            .collect()
    }));
    html! {
        <form id="new-meter" class="card" {onsubmit}>
            <h3>{ ui.t(Key::NewMeter) }</h3>
            <PremisesPicker prefix="meter"
                on_building={ let b = building.clone(); Callback::from(move |v| b.set(v)) }
                on_pick={ let p = premises.clone(); Callback::from(move |v| p.set(v)) } />
            { field_error(&message, "buildingId") }{ field_error(&message, "premisesId") }
            <label>{ ui.t(Key::FieldServices) }<select id="meter-service" aria-invalid={invalid(&message, "serviceId")} onchange={ let s = service.clone(); Callback::from(move |e: Event| s.set(select_id(&e))) }>{ services }</select>{ field_error(&message, "serviceId") }</label>
            <label>{ ui.t(Key::FieldModel) }<select id="meter-model" onchange={ let m = model.clone(); Callback::from(move |e: Event| m.set(select_id(&e))) }>
                <option value="">{ "—" }</option>{ models }</select>{ field_error(&message, "modelId") }</label>
            <label>{ ui.t(Key::MeterInstallMethod) }<select id="meter-method" aria-invalid={invalid(&message, "installMethod")}
                onchange={ let m = method.clone(); Callback::from(move |e: Event| m.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                { crate::shared::labels::INSTALL_METHODS.options(&ui, &method) }</select>{ field_error(&message, "installMethod") }</label>
            <label>{ ui.t(Key::SerialNumber) }<input id="meter-serial" aria-required="true" aria-invalid={invalid(&message, "serial")} value={(*serial).clone()} oninput={bind(&serial)} />{ field_error(&message, "serial") }</label>
            <label>{ ui.t(Key::InstalledOn) }<input id="meter-installed" type="date" aria-required="true" aria-invalid={invalid(&message, "installedOn")} value={(*installed).clone()} oninput={bind(&installed)} />{ field_error(&message, "installedOn") }</label>
            <label>{ ui.t(Key::InitialReading) }<input id="meter-initial" inputmode="decimal" aria-required="true" aria-invalid={invalid(&message, "initialReading")} value={(*initial).clone()} oninput={bind(&initial)} />{ field_error(&message, "initialReading") }</label>
            <label>{ ui.t(Key::SealNumber) }<input id="meter-seal" value={(*seal).clone()} oninput={bind(&seal)} /></label>
            <label>{ ui.t(Key::VerifiedOn) }<input id="meter-verified" type="date" aria-invalid={invalid(&message, "verifiedOn")} value={(*verified).clone()} oninput={bind(&verified)} />{ field_error(&message, "verifiedOn") }</label>
            <button id="meter-submit" type="submit">{ ui.t(Key::Save) }</button>
            if let Some(Ok(serial)) = &*message { <p id="new-meter-message" role="status">{ format!("✓ {serial}") }</p> }
            { form_error(&message, Some("new-meter-error"), &METER_FIELDS) }
        </form>
    }
}

/// The main-meter panel for the ticked meters: a main meter from the working building
/// level meters on the page, assign or remove; the outcome with the skipped meters and the
/// warning about the open period's invoices.
fn hierarchy_panel(
    ui: Ui,
    page: &UseStateHandle<Option<Result<meters::MetersMeters, String>>>,
    picked: &UseStateHandle<Vec<i64>>,
    main: &UseStateHandle<Option<i64>>,
    outcome: &UseStateHandle<Option<String>>,
    version: &UseStateHandle<u32>,
) -> Html {
    let candidates: Vec<(i64, String)> = match &**page {
        Some(Ok(p)) => p
            .items
            .iter()
            .filter(|m| m.install_method != "apartment" && m.removed_on.is_none())
            .map(|m| (m.id, format!("{} — {}", m.serial, m.address)))
            .collect(),
        _ => Vec::new(),
    };
    let first = candidates.first().map(|c| c.0);
    let assign = {
        let (picked, main, outcome, version) = (
            picked.clone(),
            main.clone(),
            outcome.clone(),
            version.clone(),
        );
        Callback::from(move |_| {
            let Some(main_id) = (*main).or(first) else {
                return;
            };
            let (meter_ids, outcome, version) =
                ((*picked).clone(), outcome.clone(), version.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = assign_main_meter::Variables { main_id, meter_ids };
                let r = api::call::<AssignMainMeter>(vars).await.map(|d| {
                    let g = d.assign_main_meter;
                    let skipped = g.skipped.into_iter().map(|s| (s.serial, s.reason));
                    (g.changed, g.warning, skipped.collect())
                });
                show_outcome(ui, &outcome, &version, r);
            });
        })
    };
    let remove = {
        let (picked, outcome, version) = (picked.clone(), outcome.clone(), version.clone());
        Callback::from(move |_| {
            let (meter_ids, outcome, version) =
                ((*picked).clone(), outcome.clone(), version.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = remove_main_meter::Variables { meter_ids };
                let r = api::call::<RemoveMainMeter>(vars).await.map(|d| {
                    let g = d.remove_main_meter;
                    let skipped = g.skipped.into_iter().map(|s| (s.serial, s.reason));
                    (g.changed, g.warning, skipped.collect())
                });
                show_outcome(ui, &outcome, &version, r);
            });
        })
    };
    // Replace: the ticked meter is the old main (taken out of service), the one chosen
    // above its replacement installed the day the old one came out.
    let replace = {
        let (picked, main, outcome, version) = (
            picked.clone(),
            main.clone(),
            outcome.clone(),
            version.clone(),
        );
        Callback::from(move |_| {
            let (Some(old_main_id), Some(new_main_id)) =
                (picked.first().copied(), (*main).or(first))
            else {
                return;
            };
            let (outcome, version) = (outcome.clone(), version.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = replace_main_meter::Variables {
                    old_main_id,
                    new_main_id,
                };
                let r = api::call::<ReplaceMainMeter>(vars).await.map(|d| {
                    let g = d.replace_main_meter;
                    let skipped = g.skipped.into_iter().map(|s| (s.serial, s.reason));
                    (g.changed, g.warning, skipped.collect())
                });
                show_outcome(ui, &outcome, &version, r);
            });
        })
    };
    let on_main = {
        let main = main.clone();
        Callback::from(move |e: Event| main.set(select_id(&e)))
    };
    html! {
        <div id="meter-hierarchy" class="card group">
            <strong>{ format!("{}: {}", ui.t(Key::SelectedMeters), picked.len()) }</strong>
            <label>{ ui.t(Key::MainMeter) }
                <select id="main-meter" onchange={on_main}>
                    { for candidates.iter().map(|(id, text)| html! { <option value={id.to_string()} selected={**main == Some(*id)}>{ text }</option> }) }
                </select>
            </label>
            <button id="assign-main" type="button" onclick={assign}>{ ui.t(Key::AssignMain) }</button>
            <button id="remove-main" type="button" onclick={remove}>{ ui.t(Key::RemoveMain) }</button>
            <button id="replace-main" type="button" onclick={replace} title={ui.t(Key::ReplaceMainHint)}>{ ui.t(Key::ReplaceMain) }</button>
            if let Some(o) = &**outcome { <p id="hierarchy-result" role="status">{ o }</p> }
        </div>
    }
}

/// What a main-meter operation answered: meters changed, the warning, those skipped.
type GroupOutcome = (i64, Option<String>, Vec<(Option<String>, String)>);

/// Shows a main-meter operation's outcome (or its error) and refreshes the list.
fn show_outcome(
    ui: Ui,
    outcome: &UseStateHandle<Option<String>>,
    version: &UseStateHandle<u32>,
    r: Result<GroupOutcome, api::ApiError>,
) {
    outcome.set(Some(match r {
        Ok((changed, warning, skipped)) => {
            version.set(**version + 1);
            let mut text = format!("{}: {changed}", ui.t(Key::Changed));
            for (serial, reason) in skipped {
                text.push_str(&format!("; {} — {reason}", serial.unwrap_or_default()));
            }
            if let Some(w) = warning {
                text.push_str(&format!(". {w}"));
            }
            text
        }
        Err(e) => error_text(&e),
    }));
}
