//! The dashboard over a main menu section (seed 000 §4.1): its key figures as tiles and
//! its charts as SVG bars, each bar's figure in its tooltip and a title a screen reader
//! says, so it prints as it shows. What a section shows is the server's
//! (`menuDashboard`); this draws any of them.

use yew::prelude::*;

use crate::acts::code_of;
use crate::shared::api::{self, MenuDashboard as Query, menu_dashboard as md};
use crate::shell::Ui;

pub use md::DashboardMenu;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub menu: DashboardMenu,
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or(0.0)
}

/// A value as its kind is written: money and counts in the user's format, shares with %.
fn shown(ui: &Ui, kind: &str, value: &str) -> String {
    match kind {
        "MONEY" => ui.money(value),
        "PERCENT" => format!("{value} %"),
        "QUANTITY" => ui.quantity(value),
        _ => value.to_owned(),
    }
}

fn chart(ui: &Ui, c: &md::MenuDashboardMenuDashboardCharts) -> Html {
    let kind = code_of(&c.kind);
    let top = c
        .bars
        .iter()
        .map(|b| num(&b.value))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    // Vertical bars for a series over time (days, months), horizontal for categories.
    let series = c.bars.len() > 6
        || c.bars
            .iter()
            .all(|b| b.label.chars().all(|ch| ch.is_ascii_digit() || ch == '-'));
    let body = if series {
        let step = (500 / c.bars.len().max(1)).clamp(10, 42);
        html! {
            <svg class="chart" width="520" height="140" role="img" aria-label={c.title.clone()}>
                <title>{ c.title.clone() }</title>
                { for c.bars.iter().enumerate().map(|(i, b)| {
                    let x = 4 + i * step;
                    let h = num(&b.value) / top * 100.0;
                    let label = b.label.get(b.label.len().saturating_sub(5)..).unwrap_or_default().to_owned();
                    html! { <g class="mdash-bar" data-label={b.label.clone()} data-value={b.value.clone()}>
                        <rect x={x.to_string()} y={format!("{:.1}", 106.0 - h)} width={(step - 3).to_string()} height={format!("{h:.1}")} fill="#4a7bd0"><title>{ format!("{}: {}", b.label, shown(ui, &kind, &b.value)) }</title></rect>
                        <text x={x.to_string()} y="122" font-size="9">{ label }</text>
                    </g> }
                }) }
            </svg>
        }
    } else {
        html! {
            <svg class="chart" width="520" height={(12 + c.bars.len() * 22).to_string()} role="img" aria-label={c.title.clone()}>
                <title>{ c.title.clone() }</title>
                { for c.bars.iter().enumerate().map(|(i, b)| {
                    let y = 4 + i * 22;
                    let w = num(&b.value) / top * 240.0;
                    html! { <g class="mdash-bar" data-label={b.label.clone()} data-value={b.value.clone()}>
                        <text x="0" y={(y + 13).to_string()} font-size="11">{ b.label.chars().take(24).collect::<String>() }</text>
                        <rect x="170" y={y.to_string()} width={format!("{w:.1}")} height="16" fill="#5aa469"><title>{ format!("{}: {}", b.label, shown(ui, &kind, &b.value)) }</title></rect>
                        <text x={format!("{:.1}", 176.0 + w)} y={(y + 13).to_string()} font-size="11">{ shown(ui, &kind, &b.value) }</text>
                    </g> }
                }) }
            </svg>
        }
    };
    html! {
        <figure class="dash" data-chart={c.key.clone()}>
            <figcaption>{ c.title.clone() }</figcaption>
            { body }
        </figure>
    }
}

#[function_component(MenuDashboard)]
pub fn menu_dashboard(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None as Option<md::MenuDashboardMenuDashboard>);
    {
        let data = data.clone();
        // Its titles come from the server in the user's language: asked again on a switch.
        use_effect_with((props.menu.clone(), ui.lang), move |(menu, _)| {
            let menu = menu.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<Query>(md::Variables { menu }).await {
                    data.set(Some(d.menu_dashboard));
                }
            });
        });
    }
    let Some(d) = &*data else {
        return html! {};
    };
    html! {
        <section class="card dashboard menu-dashboard" id={format!("dashboard-{}", code_of(&props.menu).to_lowercase())}>
            <div class="dash-figures">
                { for d.figures.iter().map(|f| html! {
                    <div class="dash-figure" data-key={f.key.clone()} data-value={f.value.clone()}>
                        <span class="dash-value">{ shown(&ui, &code_of(&f.kind), &f.value) }</span>
                        <span class="dash-title">{ f.title.clone() }</span>
                    </div>
                }) }
            </div>
            { for d.charts.iter().map(|c| chart(&ui, c)) }
        </section>
    }
}
