//! The dossier's scanned papers: the list (each opens in the browser's viewer), a file
//! attached to the customer or to one of its contracts, a paper removed.

use yew::prelude::*;

use crate::shared::api::{
    self, RemoveRetailDocument, remove_retail_document, retail_customer_card,
};
use crate::shared::confirm::confirm;
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, delete_cell};
use crate::shell::{Ui, use_can};

const ATTACH: &str = "mutation($c: Int!, $k: Int, $file: Upload!) { attachRetailDocument(customerId: $c, contractId: $k, file: $file) { customer { id } } }";

#[derive(Properties, PartialEq)]
pub struct PapersProps {
    pub customer: i64,
    pub documents: Vec<retail_customer_card::RetailCardDocuments>,
    /// Contracts and annexes: (id, number).
    pub contracts: Vec<(i64, String)>,
    pub on_saved: Callback<i64>,
}

#[function_component(Papers)]
pub fn papers(props: &PapersProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_update = use_can().allows("subscribers.update");
    let file = use_state(|| None::<web_sys::File>);
    let contract = use_state(String::new);
    let error = use_state(|| None::<String>);
    let number = |id: Option<i64>| {
        id.and_then(|id| props.contracts.iter().find(|c| c.0 == id))
            .map_or_else(|| ui.t(Key::RetailOfCustomer).to_owned(), |c| c.1.clone())
    };
    let rows: Vec<Row> = props
        .documents
        .iter()
        .map(|d| {
            let remove = {
                let (id, error, saved, customer) = (d.id, error.clone(), props.on_saved.clone(), props.customer);
                Callback::from(move |_: MouseEvent| {
                    if !confirm(&ui, Key::ConfirmDelete) {
                        return;
                    }
                    let (error, saved) = (error.clone(), saved.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match api::call::<RemoveRetailDocument>(remove_retail_document::Variables { id }).await {
                            Ok(_) => saved.emit(customer),
                            Err(e) => error.set(Some(e.message)),
                        }
                    });
                })
            };
            Row::new(
                d.id,
                vec![
                    Cell::html(html! {
                        <a href={format!("/files/retail-documents/{}", d.id)} target="_blank" rel="noopener">{ &d.file_name }</a>
                    }),
                    Cell::text(number(d.contract_id)),
                    Cell::number(d.bytes.to_string(), format!("{} KB", (d.bytes + 1023) / 1024)),
                    Cell::text(ui.moment(&d.uploaded_at)),
                    Cell::text(d.uploaded_by.clone()),
                    delete_cell(&ui, may_update, remove),
                ],
            )
            .attr("data-file", d.file_name.clone())
        })
        .collect();
    let columns = vec![
        Column::new("file", ui.t(Key::RetailDocuments)),
        Column::new("contract", ui.t(Key::Contracts)),
        Column::new("size", "KB").numeric(),
        Column::new("uploaded", ui.t(Key::RetailUploaded)),
        Column::new("by", ui.t(Key::User)),
        Column::new("delete", ""),
    ];
    let on_file = {
        let file = file.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            file.set(input.files().and_then(|f| f.get(0)));
        })
    };
    let attach = {
        let (file, contract, error, saved, customer) = (
            file.clone(),
            contract.clone(),
            error.clone(),
            props.on_saved.clone(),
            props.customer,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(f) = (*file).clone() else {
                return error.set(Some(ui.t(Key::FieldRequired).to_owned()));
            };
            let k: Option<i64> = contract.parse().ok();
            let (error, saved) = (error.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = serde_json::json!({ "c": customer, "k": k });
                match api::upload_value(ATTACH, vars, &f, "attachRetailDocument").await {
                    Ok(_) => saved.emit(customer),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let options = props.contracts.iter().map(|(id, n)| {
        html! { <option value={id.to_string()} selected={*contract == id.to_string()}>{ n }</option> }
    });
    html! {
        <div class="retail-papers">
            <h4>{ ui.t(Key::RetailDocuments) }</h4>
            <DataTable id="retail-documents" {columns} rows={Rows::Ready(rows)} page_size={0} />
            if may_update {
                <form id="retail-attach" class="card form-grid" onsubmit={attach}>
                    <label>{ ui.t(Key::RetailDocuments) }
                        <input id="rd-file" type="file" accept="application/pdf,image/png,image/jpeg,image/tiff" onchange={on_file} />
                    </label>
                    <label>{ ui.t(Key::Contracts) }
                        <select id="rd-contract" onchange={crate::shared::form::choose(&contract)}>
                            <option value="" selected={contract.is_empty()}>{ ui.t(Key::RetailOfCustomer) }</option>
                            { for options }
                        </select>
                    </label>
                    <button id="rd-submit" type="submit">{ ui.t(Key::RetailAttach) }</button>
                    if let Some(e) = &*error { <p id="rd-message" class="error" role="alert">{ e }</p> }
                </form>
            }
        </div>
    }
}
