//! The one data table every list draws: a header that stays in view while the rows
//! scroll, sorting by a column (in the browser, or asked of the server for paged lists),
//! the user's choice of columns (kept per table in the browser), paging of long lists,
//! loading, failure and empty states, rows opened with a click or Enter and walked with
//! the arrow keys, and on a phone each row a card whose cells carry their column's name.

use std::cmp::Ordering;
use std::rc::Rc;

use yew::prelude::*;
use yew::virtual_dom::VTag;

use crate::shared::i18n::Key;
use crate::shell::Ui;

/// A column: its id (the sort code and the key of the column choice), its title (the
/// header, the cell's label on a phone card and the column choice's entry).
#[derive(Clone, PartialEq)]
pub struct Column {
    pub id: &'static str,
    pub title: AttrValue,
    /// Drawn in the header instead of the title (a "pick all" box, say).
    pub header: Option<Html>,
    pub numeric: bool,
    pub sortable: bool,
    /// The user may hide it; the identifying columns stay.
    pub optional: bool,
}

impl Column {
    pub fn new(id: &'static str, title: impl Into<AttrValue>) -> Self {
        Self {
            id,
            title: title.into(),
            header: None,
            numeric: false,
            sortable: false,
            optional: false,
        }
    }

    /// Right-aligned figures that keep their line.
    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self
    }

    pub fn sortable(mut self) -> Self {
        self.sortable = true;
        self
    }

    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    pub fn header(mut self, html: Html) -> Self {
        self.header = Some(html);
        self
    }
}

/// What a cell sorts by.
#[derive(Clone, PartialEq, Default)]
pub enum SortKey {
    #[default]
    None,
    Text(String),
    /// A decimal as the API writes it ("-1234.50"), compared exactly, never as a float.
    Number(String),
}

/// One cell: what it shows and what it sorts by; `class` and `attrs` keep the hooks the
/// screen (and its tests) need.
#[derive(Clone, PartialEq)]
pub struct Cell {
    pub html: Html,
    pub sort: SortKey,
    pub class: Classes,
    pub attrs: Vec<(&'static str, String)>,
}

impl Cell {
    /// A text cell that sorts by its text.
    pub fn text(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            html: html! { { text.clone() } },
            sort: SortKey::Text(text),
            class: Classes::new(),
            attrs: Vec::new(),
        }
    }

    /// A figure shown as `shown` and sorted by the decimal `value`.
    pub fn number(value: impl Into<String>, shown: impl Into<String>) -> Self {
        let shown = shown.into();
        Self {
            html: html! { { shown } },
            sort: SortKey::Number(value.into()),
            class: Classes::new(),
            attrs: Vec::new(),
        }
    }

    /// A whole number (a count), sorted by its value.
    pub fn count(n: impl std::fmt::Display) -> Self {
        let n = n.to_string();
        Self::number(n.clone(), n)
    }

    /// Any content, not sorted.
    pub fn html(html: Html) -> Self {
        Self {
            html,
            sort: SortKey::None,
            class: Classes::new(),
            attrs: Vec::new(),
        }
    }

    pub fn class(mut self, class: &'static str) -> Self {
        self.class.push(class);
        self
    }

    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    pub fn sort_by(mut self, key: SortKey) -> Self {
        self.sort = key;
        self
    }
}

/// One row: its key (stable across renders), its cells in the columns' order, and what
/// opening it does.
#[derive(Clone, PartialEq)]
pub struct Row {
    pub key: String,
    pub cells: Vec<Cell>,
    pub on_open: Option<Callback<()>>,
    pub class: Classes,
    pub attrs: Vec<(&'static str, String)>,
    /// Drawn under the row across all columns (an explanation opened in place); it moves
    /// with its row when the table is sorted.
    pub detail: Option<(Classes, Html)>,
}

impl Row {
    pub fn new(key: impl ToString, cells: Vec<Cell>) -> Self {
        Self {
            key: key.to_string(),
            cells,
            on_open: None,
            class: Classes::new(),
            attrs: Vec::new(),
            detail: None,
        }
    }

    pub fn detail(mut self, class: impl Into<Classes>, html: Html) -> Self {
        self.detail = Some((class.into(), html));
        self
    }

    pub fn on_open(mut self, on_open: Callback<()>) -> Self {
        self.on_open = Some(on_open);
        self
    }

    pub fn class(mut self, class: impl Into<Classes>) -> Self {
        self.class.push(class.into());
        self
    }

    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }
}

/// The rows' state: loading, failed (the technical text goes to the tooltip), or here.
#[derive(Clone, PartialEq)]
pub enum Rows {
    Loading,
    Failed(String),
    Ready(Vec<Row>),
}

impl<E: ToString> From<Option<Result<Vec<Row>, E>>> for Rows {
    fn from(value: Option<Result<Vec<Row>, E>>) -> Self {
        match value {
            None => Rows::Loading,
            Some(Err(e)) => Rows::Failed(e.to_string()),
            Some(Ok(rows)) => Rows::Ready(rows),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct TableProps {
    /// The table's element id, also the key its column choice is kept under.
    pub id: AttrValue,
    pub columns: Vec<Column>,
    pub rows: Rows,
    /// Said when there are no rows (default "Nothing found").
    #[prop_or_default]
    pub empty: Option<AttrValue>,
    #[prop_or_default]
    pub caption: Option<AttrValue>,
    /// The server sorts (a paged list): the column and direction in force, and where a
    /// header click goes. Without it the table sorts the rows it holds.
    #[prop_or_default]
    pub sorted: Option<(&'static str, bool)>,
    #[prop_or_default]
    pub on_sort: Option<Callback<(&'static str, bool)>>,
    /// Rows per page when the table pages what it holds; 0 shows all.
    #[prop_or(50)]
    pub page_size: usize,
    /// Drawn under the table (a server pager, totals).
    #[prop_or_default]
    pub footer: Option<Html>,
    /// A totals row kept last whatever the sort (in the table's `tfoot`).
    #[prop_or_default]
    pub total: Option<Row>,
    #[prop_or_default]
    pub class: Classes,
}

/// Compares two decimals written as text, exactly: sign, then the whole part by length
/// and digits, then the fraction.
pub fn cmp_decimal(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> (bool, String, String) {
        let s = s.trim();
        let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let whole = whole.trim_start_matches('0').to_owned();
        let frac = frac.trim_end_matches('0').to_owned();
        let zero = whole.is_empty() && frac.is_empty();
        (neg && !zero, whole, frac)
    }
    let (na, wa, fa) = parts(a);
    let (nb, wb, fb) = parts(b);
    let magnitude = wa
        .len()
        .cmp(&wb.len())
        .then_with(|| wa.cmp(&wb))
        .then_with(|| fa.cmp(&fb));
    match (na, nb) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
    }
}

/// Orders two cells' keys: figures exactly, texts by `text` (the language's collation).
fn cmp_keys(a: &SortKey, b: &SortKey, text: &impl Fn(&str, &str) -> Ordering) -> Ordering {
    match (a, b) {
        (SortKey::Number(x), SortKey::Number(y)) => cmp_decimal(x, y),
        (SortKey::Text(x), SortKey::Text(y)) => text(x, y),
        (SortKey::None, SortKey::None) => Ordering::Equal,
        // Empty cells last.
        (SortKey::None, _) => Ordering::Greater,
        (_, SortKey::None) => Ordering::Less,
        (SortKey::Number(_), SortKey::Text(_)) => Ordering::Less,
        (SortKey::Text(_), SortKey::Number(_)) => Ordering::Greater,
    }
}

fn storage_key(id: &str) -> String {
    format!("table-columns:{id}")
}

fn stored_hidden(id: &str) -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(&storage_key(id)).ok().flatten())
        .map(|v| {
            v.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn store_hidden(id: &str, hidden: &[String]) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        // A full or refused storage only loses the choice for the next visit.
        let _ = storage.set_item(&storage_key(id), &hidden.join(","));
    }
}

/// Moves the focus to the row before or after the one the key was pressed on.
fn focus_sibling(e: &KeyboardEvent, forward: bool) {
    let Some(row) = e.target_dyn_into::<web_sys::HtmlElement>() else {
        return;
    };
    let next = if forward {
        row.next_element_sibling()
    } else {
        row.previous_element_sibling()
    };
    if let Some(next) =
        next.and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok())
    {
        e.prevent_default();
        let _ = next.focus();
    }
}

fn row_html(row: &Row, columns: &[(usize, &Column)]) -> Html {
    let mut tr = VTag::new("tr");
    tr.key = Some(row.key.as_str().into());
    let mut class = row.class.clone();
    if let Some(open) = &row.on_open {
        class.push("clickable");
        tr.add_attribute("tabindex", "0");
        let click = open.clone();
        tr.add_listener(Rc::new(yew::html::onclick::Wrapper::new(Callback::from(
            move |_: MouseEvent| click.emit(()),
        ))));
        let key = open.clone();
        tr.add_listener(Rc::new(yew::html::onkeydown::Wrapper::new(Callback::from(
            move |e: KeyboardEvent| {
                // Only the row's own keys: Enter in an input inside the row is that input's.
                // (Yew listens at the root, so the row is told by the target's tag.)
                let on_row = e
                    .target_dyn_into::<web_sys::HtmlElement>()
                    .is_some_and(|t| t.tag_name().eq_ignore_ascii_case("tr"));
                match e.key().as_str() {
                    "Enter" if on_row => key.emit(()),
                    "ArrowDown" if on_row => focus_sibling(&e, true),
                    "ArrowUp" if on_row => focus_sibling(&e, false),
                    _ => {}
                }
            },
        ))));
    }
    if !class.is_empty() {
        tr.add_attribute("class", class.to_string());
    }
    for (name, value) in &row.attrs {
        tr.add_attribute(name, value.clone());
    }
    for (i, column) in columns {
        let Some(cell) = row.cells.get(*i) else {
            continue;
        };
        let mut td = VTag::new("td");
        let mut class = cell.class.clone();
        if column.numeric {
            class.push("num");
        }
        if !class.is_empty() {
            td.add_attribute("class", class.to_string());
        }
        if !column.title.is_empty() {
            td.add_attribute("data-label", column.title.clone());
        }
        for (name, value) in &cell.attrs {
            td.add_attribute(name, value.clone());
        }
        td.add_child(cell.html.clone());
        tr.add_child(td.into());
    }
    tr.into()
}

#[function_component(DataTable)]
pub fn data_table(props: &TableProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let local_sort = use_state(|| None::<(&'static str, bool)>);
    let hidden = {
        let id = props.id.to_string();
        use_state(move || stored_hidden(&id))
    };
    let page = use_state(|| 0usize);
    let sorted = if props.on_sort.is_some() {
        props.sorted
    } else {
        *local_sort
    };
    let shown: Vec<(usize, &Column)> = props
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !(c.optional && hidden.contains(&c.id.to_owned())))
        .collect();

    let header = |column: &Column| {
        let content = column
            .header
            .clone()
            .unwrap_or_else(|| html! { { column.title.clone() } });
        let class = classes!(column.numeric.then_some("num"));
        if !column.sortable {
            return html! { <th {class} scope="col">{ content }</th> };
        }
        let id = column.id;
        let (aria, arrow) = match sorted {
            Some((c, false)) if c == id => ("ascending", " ▲"),
            Some((c, true)) if c == id => ("descending", " ▼"),
            _ => ("none", ""),
        };
        let onclick = {
            let (on_sort, local_sort, page) =
                (props.on_sort.clone(), local_sort.clone(), page.clone());
            Callback::from(move |_: MouseEvent| {
                let desc = matches!(sorted, Some((c, false)) if c == id);
                page.set(0);
                match &on_sort {
                    Some(on_sort) => on_sort.emit((id, desc)),
                    None => local_sort.set(Some((id, desc))),
                }
            })
        };
        html! {
            <th {class} scope="col" aria-sort={aria} data-sort={id}>
                <button type="button" class="sort" {onclick}>{ content }{ arrow }</button>
            </th>
        }
    };

    // Columns to choose only where there are rows to show them.
    let has_rows = matches!(&props.rows, Rows::Ready(rows) if !rows.is_empty());
    let chooser = if has_rows && props.columns.iter().any(|c| c.optional) {
        let items = props.columns.iter().filter(|c| c.optional).map(|c| {
            let checked = !hidden.contains(&c.id.to_owned());
            let onchange = {
                let (hidden, id, table) = (hidden.clone(), c.id, props.id.to_string());
                Callback::from(move |_: Event| {
                    let mut v = (*hidden).clone();
                    if v.iter().any(|h| h == id) {
                        v.retain(|h| h != id);
                    } else {
                        v.push(id.to_owned());
                    }
                    store_hidden(&table, &v);
                    hidden.set(v);
                })
            };
            html! {
                <label><input type="checkbox" data-column={c.id} {checked} {onchange} />{ c.title.clone() }</label>
            }
        });
        html! {
            <details class="columns">
                <summary>{ ui.t(Key::TableColumns) }</summary>
                <div class="columns-list">{ for items }</div>
            </details>
        }
    } else {
        html! {}
    };

    let body = match &props.rows {
        Rows::Loading => {
            html! { <p class="table-state" data-table={props.id.clone()} role="status">{ ui.t(Key::Loading) }</p> }
        }
        Rows::Failed(e) => {
            html! { <p class="table-state error" data-table={props.id.clone()} role="alert" title={e.clone()}>{ ui.t(Key::LoadFailed) }</p> }
        }
        Rows::Ready(rows) if rows.is_empty() => {
            let said = props
                .empty
                .clone()
                .unwrap_or_else(|| ui.t(Key::NothingFound).into());
            html! { <p class="table-state empty" data-table={props.id.clone()}>{ said }</p> }
        }
        Rows::Ready(rows) => {
            let mut order: Vec<&Row> = rows.iter().collect();
            if props.on_sort.is_none()
                && let Some((id, desc)) = sorted
                && let Some(i) = props.columns.iter().position(|c| c.id == id)
            {
                let none = SortKey::None;
                let lang = ui.lang;
                let text = move |x: &str, y: &str| crate::shared::format::collate(lang, x, y);
                order.sort_by(|a, b| {
                    let x = a.cells.get(i).map_or(&none, |c| &c.sort);
                    let y = b.cells.get(i).map_or(&none, |c| &c.sort);
                    let o = cmp_keys(x, y, &text);
                    if desc { o.reverse() } else { o }
                });
            }
            let size = if props.page_size == 0 {
                order.len().max(1)
            } else {
                props.page_size
            };
            let pages = order.len().div_ceil(size);
            let current = (*page).min(pages.saturating_sub(1));
            let first = current * size;
            let shown_rows = order.iter().skip(first).take(size).flat_map(|r| {
                let detail = r.detail.as_ref().map(|(class, html)| {
                    html! {
                        <tr key={format!("{}-detail", r.key)} class={class.clone()}>
                            <td colspan={shown.len().to_string()}>{ html.clone() }</td>
                        </tr>
                    }
                });
                std::iter::once(row_html(r, &shown)).chain(detail)
            });
            let pager = if pages > 1 {
                let prev = {
                    let page = page.clone();
                    Callback::from(move |_| page.set(current.saturating_sub(1)))
                };
                let next = {
                    let page = page.clone();
                    Callback::from(move |_| page.set(current + 1))
                };
                let last = (first + size).min(order.len());
                html! {
                    <div class="pager">
                        <button type="button" class="page-prev" disabled={current == 0} onclick={prev}>{ ui.t(Key::PagePrev) }</button>
                        <span>{ format!("{}–{} {} {}", first + 1, last, ui.t(Key::PageOf), order.len()) }</span>
                        <button type="button" class="page-next" disabled={current + 1 >= pages} onclick={next}>{ ui.t(Key::PageNext) }</button>
                    </div>
                }
            } else {
                html! {}
            };
            html! {
                <>
                <div class="table-wrap scroll-x">
                    <table id={props.id.clone()} class={classes!("grid", "data-table", props.class.clone())}>
                        if let Some(caption) = &props.caption { <caption>{ caption.clone() }</caption> }
                        <thead><tr>{ for shown.iter().map(|(_, c)| header(c)) }</tr></thead>
                        <tbody>{ for shown_rows }</tbody>
                        if let Some(total) = &props.total { <tfoot>{ row_html(total, &shown) }</tfoot> }
                    </table>
                </div>
                { pager }
                </>
            }
        }
    };
    html! {
        <div class="data-table-box">
            { chooser }
            { body }
            if let Some(footer) = &props.footer { { footer.clone() } }
        </div>
    }
}

/// A row's delete button in its actions cell, for a user who may delete (empty else).
pub fn delete_cell(ui: &Ui, allowed: bool, on_delete: Callback<MouseEvent>) -> Cell {
    let button = if allowed {
        html! { <button class="delete danger" onclick={on_delete}>{ ui.t(Key::Delete) }</button> }
    } else {
        html! {}
    };
    Cell::html(button).class("actions")
}

/// The pager of a list the server pages: previous, "21–40 of 135", next; `offset` is the
/// first row asked for, `page` the rows a page.
pub fn server_pager(ui: &Ui, offset: &UseStateHandle<i64>, page: i64, total: i64) -> Html {
    let last = (**offset + page).min(total);
    let prev = {
        let offset = offset.clone();
        Callback::from(move |_| offset.set((*offset - page).max(0)))
    };
    let next = {
        let offset = offset.clone();
        Callback::from(move |_| offset.set(*offset + page))
    };
    html! {
        <div class="pager">
            <button type="button" disabled={**offset == 0} onclick={prev}>{ ui.t(Key::PagePrev) }</button>
            <span>{ format!("{}–{} {} {}", **offset + 1, last, ui.t(Key::PageOf), total) }</span>
            <button type="button" disabled={last >= total} onclick={next}>{ ui.t(Key::PageNext) }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_exactly_by_sign_magnitude_and_fraction() {
        let mut v = vec!["10.5", "-3", "2", "0.00", "-10.25", "1947.85", "9.99", "-0"];
        v.sort_by(|a, b| cmp_decimal(a, b));
        assert_eq!(
            v,
            vec!["-10.25", "-3", "0.00", "-0", "2", "9.99", "10.5", "1947.85"]
        );
        assert_eq!(cmp_decimal("1.10", "1.1"), Ordering::Equal);
        assert_eq!(cmp_decimal("007", "7.0"), Ordering::Equal);
    }
}
