//! Electricity retail: the customers' dossiers (seed 003 «досиета»). The list searched by
//! name, identifier, VAT number, a point's EIC or number or a contract's number; a new
//! customer; the card with the customer's data and invoicing settings (editable), its
//! metering points and its contracts with their annexes, each added or changed in a form
//! whose refusals show under the field they name.

mod card;
mod draft;
mod papers;

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api::{self, RetailChoices, RetailCustomers, retail_choices, retail_customers};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, server_pager};
use crate::shell::{Ui, use_can};

use card::CustomerForm;
pub use card::RetailCard;

/// What the dossier's forms choose from (ids and names).
#[derive(Clone, PartialEq, Default)]
pub struct Choices {
    pub branches: Vec<(i64, String)>,
    pub operators: Vec<(i64, String)>,
    pub intermediaries: Vec<(i64, String)>,
}

const PAGE: i64 = 20;

#[function_component(RetailSection)]
pub fn retail_section() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_create = use_can().allows("subscribers.create");
    let (draft, search) = (use_state(String::new), use_state(String::new));
    let (offset, version) = (use_state(|| 0i64), use_state(|| 0u32));
    let page = use_state(|| None::<Result<retail_customers::ResponseData, String>>);
    let open = use_state(|| None::<i64>);
    let creating = use_state(|| false);
    let choices = use_state(Choices::default);
    {
        let choices = choices.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<RetailChoices>(retail_choices::Variables {}).await {
                    let c = d.retail_choices;
                    choices.set(Choices {
                        branches: c.branches.into_iter().map(|b| (b.id, b.name)).collect(),
                        operators: c
                            .grid_operators
                            .into_iter()
                            .map(|b| (b.id, b.name))
                            .collect(),
                        intermediaries: c
                            .intermediaries
                            .into_iter()
                            .map(|b| (b.id, b.name))
                            .collect(),
                    });
                }
            });
        });
    }
    {
        let page = page.clone();
        use_effect_with(
            ((*search).clone(), *offset, *version),
            move |(s, offset, _)| {
                let (search, offset) = (Some(s.clone()).filter(|s| !s.is_empty()), *offset);
                wasm_bindgen_futures::spawn_local(async move {
                    page.set(Some(
                        api::run::<RetailCustomers>(retail_customers::Variables { search, offset })
                            .await,
                    ));
                });
            },
        );
    }
    let on_search = {
        let (draft, search, offset) = (draft.clone(), search.clone(), offset.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            offset.set(0);
            search.set(draft.trim().to_owned());
        })
    };
    let total = match &*page {
        Some(Ok(d)) => d.retail_customers.total,
        _ => 0,
    };
    let rows = Rows::from((*page).clone().map(|r| {
        r.map(|d| {
            d.retail_customers
                .items
                .iter()
                .map(|c| {
                    let open_it = {
                        let (open, creating, id) = (open.clone(), creating.clone(), c.id);
                        Callback::from(move |_| {
                            creating.set(false);
                            open.set(Some(id));
                        })
                    };
                    Row::new(
                        c.id,
                        vec![
                            Cell::text(c.name.clone()),
                            Cell::text(labels::code(&ui, "el_customers_kind", &c.kind)),
                            Cell::text(c.identifier.clone().unwrap_or_default()),
                            Cell::text(c.branch_name.clone()),
                            Cell::count(c.points),
                            Cell::count(c.contracts),
                            Cell::text(c.intermediary_name.clone().unwrap_or_default()),
                        ],
                    )
                    .attr("data-name", c.name.clone())
                    .on_open(open_it)
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("name", ui.t(Key::Name)).sortable(),
        Column::new("kind", ui.t(Key::RetailCustomerKind)).sortable(),
        Column::new("identifier", ui.t(Key::RetailIdentifier)).sortable(),
        Column::new("branch", ui.t(Key::ColBranch))
            .sortable()
            .optional(),
        Column::new("points", ui.t(Key::ColPoints))
            .numeric()
            .sortable(),
        Column::new("contracts", ui.t(Key::Contracts))
            .numeric()
            .sortable(),
        Column::new("intermediary", ui.t(Key::RetailIntermediary))
            .sortable()
            .optional(),
    ];
    let new_customer = {
        let (creating, open) = (creating.clone(), open.clone());
        Callback::from(move |_| {
            open.set(None);
            creating.set(true);
        })
    };
    let created = {
        let (creating, open, version) = (creating.clone(), open.clone(), version.clone());
        Callback::from(move |id: i64| {
            creating.set(false);
            version.set(*version + 1);
            open.set(Some(id));
        })
    };
    html! {
        <section class="retail-customers">
            <div class="toolbar">
                <crate::shared::export::ExportXlsx list={crate::shared::export::ListKind::RETAIL_CUSTOMERS}
                    search={Some((*search).clone()).filter(|s| !s.is_empty())} />
                <form class="search" onsubmit={on_search}>
                    <input id="retail-search" type="search" value={(*draft).clone()} oninput={bind(&draft)} />
                    <button type="submit">{ ui.t(Key::Search) }</button>
                </form>
                if may_create {
                    <button id="retail-new" type="button" onclick={new_customer}>{ ui.t(Key::RetailNewCustomer) }</button>
                }
            </div>
            <DataTable id="retail-table" {columns} {rows} footer={server_pager(&ui, &offset, PAGE, total)} />
            if *creating {
                <section class="card-view" id="retail-new-card">
                    <h3>{ ui.t(Key::RetailNewCustomer) }</h3>
                    <CustomerForm id={None::<i64>} initial={draft::Fields::default()} choices={(*choices).clone()} on_saved={created} />
                </section>
            }
            if let Some(id) = *open {
                <RetailCard key={id} {id} choices={(*choices).clone()}
                    on_changed={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
            }
        </section>
    }
}
