//! The meter card (seed 001 §6.7 F4, seed 000 Fig. 14): every field of a working or
//! archived meter editable — its base (serial, model, service, install method, place,
//! install day, initial reading; locked by the server once closed periods hold its
//! readings), seal and verification, and the passport; the legal entity's metering point
//! it stands on; its main meter; and deleting a card entered by mistake (no readings yet).

use yew::prelude::*;

use crate::admin::{bind, opt};
use crate::shared::api::{
    self, DeleteMeter, MeterChoices, MeteringPointChoices, UpdateMeter, delete_meter,
    meter_choices, metering_point_choices, meters, update_meter,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, choose, field_error, invalid, pick, receipt, tick};
use crate::shared::i18n::Key;
use crate::shared::labels::{BALANCE_OWNERS, INSTALL_METHODS};
use crate::shell::{Ui, use_can};

type Meter = meters::MetersMetersItems;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub meter: Meter,
    pub on_changed: Callback<()>,
    pub on_close: Callback<()>,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn number(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// Every field the server may refuse by name.
const FIELDS: [&str; 19] = [
    "serial",
    "modelId",
    "serviceId",
    "installMethod",
    "premisesId",
    "place",
    "installedOn",
    "initialReading",
    "sealNumber",
    "verifiedOn",
    "manufacturer",
    "manufacturedOn",
    "installer",
    "commissionedOn",
    "balanceOwner",
    "riser",
    "entrance",
    "note",
    "meteringPointId",
];

#[function_component(MeterCard)]
pub fn meter_card(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_update, may_delete) = (can.allows("meters.update"), can.allows("meters.delete"));
    let m = &props.meter;
    // (id, name) of the services and of the models, for the selects.
    let choices = use_state(|| (Vec::<(i64, String)>::new(), Vec::<(i64, String)>::new()));
    {
        let choices = choices.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<MeterChoices>(meter_choices::Variables {}).await {
                    let services = d.services.items.into_iter().map(|s| (s.id, s.name));
                    let models = d.models.items.into_iter().map(|m| (m.id, m.name));
                    choices.set((services.collect(), models.collect()));
                }
            });
        });
    }
    let serial = use_state(|| m.serial.clone());
    let model = use_state(|| m.model_id);
    let service = use_state(|| Some(m.service_id));
    let method = use_state(|| m.install_method.clone());
    let place = use_state(|| text(&m.place));
    let installed = use_state(|| m.installed_on.clone());
    let initial = use_state(|| m.initial_reading.clone());
    let seal = use_state(|| text(&m.seal_number));
    let sealed = use_state(|| text(&m.sealed_on));
    let verified = use_state(|| text(&m.verified_on));
    let manufacturer = use_state(|| text(&m.manufacturer));
    let made = use_state(|| text(&m.manufactured_on));
    let installer = use_state(|| text(&m.installer));
    let commissioned = use_state(|| text(&m.commissioned_on));
    let remote = use_state(|| m.remote_reading);
    let virtual_meter = use_state(|| m.is_virtual);
    let owner = use_state(|| text(&m.balance_owner));
    let riser = use_state(|| number(m.riser));
    let entrance = use_state(|| number(m.entrance));
    let note = use_state(|| text(&m.note));
    // The metering points of the contracts on the meter's premises (a legal entity's).
    let point = use_state(|| m.metering_point_id);
    let points = use_state(Vec::<(i64, String)>::new);
    {
        let points = points.clone();
        use_effect_with(m.premises_id, move |premises| {
            if let Some(premises_id) = *premises {
                wasm_bindgen_futures::spawn_local(async move {
                    let vars = metering_point_choices::Variables { premises_id };
                    if let Ok(d) = api::run::<MeteringPointChoices>(vars).await {
                        let named = d
                            .metering_point_choices
                            .into_iter()
                            .map(|p| (p.id, format!("{} ({})", p.name, p.contract_number)));
                        points.set(named.collect());
                    }
                });
            }
        });
    }
    let outcome = use_state(|| None as Outcome);
    let onsubmit = {
        let base = (
            serial.clone(),
            model.clone(),
            service.clone(),
            method.clone(),
            place.clone(),
            installed.clone(),
            initial.clone(),
        );
        let check = (seal.clone(), sealed.clone(), verified.clone());
        let passport = (
            manufacturer.clone(),
            made.clone(),
            installer.clone(),
            commissioned.clone(),
            remote.clone(),
            virtual_meter.clone(),
            owner.clone(),
        );
        let position = (riser.clone(), entrance.clone(), note.clone(), point.clone());
        let (id, building, premises) = (m.id, m.building_id, m.premises_id);
        let (outcome, changed) = (outcome.clone(), props.on_changed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (serial, model, service, method, place, installed, initial) = &base;
            let (seal, sealed, verified) = &check;
            let (manufacturer, made, installer, commissioned, remote, virtual_meter, owner) =
                &passport;
            let (riser, entrance, note, point) = &position;
            // A position that is not a whole number goes as typed would not parse: it is
            // refused here under its field.
            let whole = |field: &'static str, s: &str| match s.trim() {
                "" => Ok(None),
                t => t.parse::<i64>().map(Some).map_err(|_| field),
            };
            let (riser, entrance) = match (whole("riser", riser), whole("entrance", entrance)) {
                (Ok(r), Ok(e)) => (r, e),
                (Err(f), _) | (_, Err(f)) => {
                    return outcome.set(Some(Err(api::ApiError {
                        code: "VALIDATION".into(),
                        field: Some(f.into()),
                        message: ui.t(Key::PremWholeNumber).to_owned(),
                        missing: Vec::new(),
                    })));
                }
            };
            let input = update_meter::MeterInput {
                serial: (**serial).clone(),
                model_id: **model,
                service_id: service.unwrap_or(0),
                install_method: (**method).clone(),
                building_id: building,
                premises_id: premises,
                place: opt(place),
                installed_on: (**installed).clone(),
                initial_reading: (**initial).clone(),
                seal_number: opt(seal),
                sealed_on: opt(sealed),
                verified_on: opt(verified),
                manufacturer: opt(manufacturer),
                manufactured_on: opt(made),
                installer: opt(installer),
                commissioned_on: opt(commissioned),
                remote_reading: **remote,
                is_virtual: **virtual_meter,
                balance_owner: opt(owner),
                riser,
                entrance,
                note: opt(note),
                metering_point_id: **point,
            };
            let (outcome, changed) = (outcome.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdateMeter>(update_meter::Variables { id, input }).await {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        changed.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let on_delete = {
        let (id, outcome, changed, close) = (
            m.id,
            outcome.clone(),
            props.on_changed.clone(),
            props.on_close.clone(),
        );
        Callback::from(move |_| {
            if !confirm(&ui, Key::ConfirmDelete) {
                return;
            }
            let (outcome, changed, close) = (outcome.clone(), changed.clone(), close.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<DeleteMeter>(delete_meter::Variables { id }).await {
                    Ok(_) => {
                        changed.emit(());
                        close.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let input = |id: &'static str,
                 key: Key,
                 field: &'static str,
                 state: &UseStateHandle<String>,
                 kind: &'static str| {
        let mode = if kind == "decimal" || kind == "numeric" {
            kind
        } else {
            "text"
        };
        let kind = if kind == "date" { "date" } else { "text" };
        html! {
            <label>{ ui.t(key) }<input id={id} type={kind} inputmode={mode} aria-invalid={invalid(&outcome, field)} value={(**state).clone()} oninput={bind(state)} />{ field_error(&outcome, field) }</label>
        }
    };
    let options = |items: &[(i64, String)], current: Option<i64>| {
        items
            .iter()
            .map(|(id, name)| html! { <option value={id.to_string()} selected={current == Some(*id)}>{ name }</option> })
            .collect::<Html>()
    };
    let close = {
        let close = props.on_close.clone();
        Callback::from(move |_| close.emit(()))
    };
    html! {
        <form id="meter-card" class="card" novalidate=true {onsubmit}>
            <h3>{ format!("{} {} — {}", ui.t(Key::MeterCard), m.serial, m.address) }</h3>
            <fieldset>
                <legend>{ ui.t(Key::MeterBase) }</legend>
                { input("mc-serial", Key::SerialNumber, "serial", &serial, "text") }
                <label>{ ui.t(Key::FieldModel) }<select id="mc-model" onchange={pick(&model)}>
                    <option value="" selected={model.is_none()}>{ "—" }</option>{ options(&choices.1, *model) }</select>{ field_error(&outcome, "modelId") }</label>
                <label>{ ui.t(Key::FieldServices) }<select id="mc-service" aria-invalid={invalid(&outcome, "serviceId")} onchange={pick(&service)}>{ options(&choices.0, *service) }</select>{ field_error(&outcome, "serviceId") }</label>
                <label>{ ui.t(Key::MeterInstallMethod) }<select id="mc-method" aria-invalid={invalid(&outcome, "installMethod")} onchange={choose(&method)}>{ INSTALL_METHODS.options(&ui, &method) }</select>{ field_error(&outcome, "installMethod") }{ field_error(&outcome, "premisesId") }</label>
                { input("mc-place", Key::MeterPlace, "place", &place, "text") }
                { input("mc-installed", Key::InstalledOn, "installedOn", &installed, "date") }
                { input("mc-initial", Key::InitialReading, "initialReading", &initial, "decimal") }
            </fieldset>
            <fieldset>
                <legend>{ ui.t(Key::MeterSealAndCheck) }</legend>
                { input("mc-seal", Key::SealNumber, "sealNumber", &seal, "text") }
                { input("mc-sealed", Key::MeterSealedOn, "sealedOn", &sealed, "date") }
                { input("mc-verified", Key::VerifiedOn, "verifiedOn", &verified, "date") }
            </fieldset>
            <fieldset>
                <legend>{ ui.t(Key::MeterPassport) }</legend>
                { input("mc-manufacturer", Key::MeterManufacturer, "manufacturer", &manufacturer, "text") }
                { input("mc-made", Key::MeterMadeOn, "manufacturedOn", &made, "date") }
                { input("mc-installer", Key::MeterInstaller, "installer", &installer, "text") }
                { input("mc-commissioned", Key::MeterCommissionedOn, "commissionedOn", &commissioned, "date") }
                <label class="check"><input id="mc-remote" type="checkbox" checked={*remote} onchange={tick(&remote)} />{ ui.t(Key::MeterRemote) }</label>
                <label class="check"><input id="mc-virtual" type="checkbox" checked={*virtual_meter} onchange={tick(&virtual_meter)} />{ ui.t(Key::MeterVirtual) }</label>
                <label>{ ui.t(Key::MeterBalanceOwner) }<select id="mc-owner" aria-invalid={invalid(&outcome, "balanceOwner")} onchange={choose(&owner)}>
                    <option value="" selected={owner.is_empty()}>{ "—" }</option>{ BALANCE_OWNERS.options(&ui, &owner) }</select>{ field_error(&outcome, "balanceOwner") }</label>
                { input("mc-riser", Key::PremRiser, "riser", &riser, "numeric") }
                { input("mc-entrance", Key::Entrance, "entrance", &entrance, "numeric") }
                <label>{ ui.t(Key::EdComment) }<textarea id="mc-note" aria-invalid={invalid(&outcome, "note")} value={(*note).clone()} oninput={ let n = note.clone(); Callback::from(move |e: InputEvent| n.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())) } />{ field_error(&outcome, "note") }</label>
            </fieldset>
            if !points.is_empty() || m.metering_point_id.is_some() {
                <label>{ ui.t(Key::MeteringPointName) }<select id="mc-point" aria-invalid={invalid(&outcome, "meteringPointId")} onchange={pick(&point)}>
                    <option value="" selected={point.is_none()}>{ "—" }</option>{ options(&points, *point) }</select>{ field_error(&outcome, "meteringPointId") }</label>
            }
            if m.install_method != "building" {
                <super::main_meter::MainMeterPanel meter_id={m.id} parent_serial={m.parent_serial.clone()} on_changed={props.on_changed.clone()} />
            }
            if may_update { <button id="mc-save" type="submit">{ ui.t(Key::Save) }</button> }
            if may_delete { <button id="mc-delete" type="button" class="danger" onclick={on_delete}>{ ui.t(Key::Delete) }</button> }
            <button id="mc-close" type="button" onclick={close}>{ ui.t(Key::Close) }</button>
            { receipt(&ui, &outcome, "mc-saved", &FIELDS) }
        </form>
    }
}
