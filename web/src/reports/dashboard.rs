//! The dashboard over the Reports screen: charges against collections by month, the debt
//! by its age, the meters read this month, and this month's payments by day — SVG drawn
//! here, each with a title a screen reader says and the figures in its tooltips, so it
//! prints as it shows.

use yew::prelude::*;

use crate::shared::api::{self, ReportDashboard, report_dashboard};
use crate::shared::i18n::Key;
use crate::shell::Ui;

fn num(s: &str) -> f64 {
    s.parse().unwrap_or(0.0)
}

#[function_component(Dashboard)]
pub fn dashboard() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None as Option<report_dashboard::ReportDashboardReportDashboard>);
    {
        let data = data.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<ReportDashboard>(report_dashboard::Variables {}).await {
                    data.set(Some(d.report_dashboard));
                }
            });
        });
    }
    let Some(d) = &*data else {
        return html! {};
    };
    // Charges (blue) against collections (green), oldest on the left.
    let top = d
        .months
        .iter()
        .map(|m| num(&m.charged).max(num(&m.paid)))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let months = html! {
        <figure class="dash">
            <figcaption>{ ui.t(Key::DashMonths) }</figcaption>
            <svg id="dash-months" class="chart" width="520" height="150" role="img" aria-label={ui.t(Key::DashMonths)}>
                <title>{ ui.t(Key::DashMonths) }</title>
                { for d.months.iter().enumerate().map(|(i, m)| {
                    let x = 10 + i * 42;
                    let (hc, hp) = (num(&m.charged) / top * 110.0, num(&m.paid) / top * 110.0);
                    html! { <g class="dash-month" data-period={m.period.clone()} data-charged={m.charged.clone()} data-paid={m.paid.clone()}>
                        <rect x={x.to_string()} y={format!("{:.1}", 120.0 - hc)} width="16" height={format!("{hc:.1}")} fill="#4a7bd0"><title>{ format!("{} {}: {}", m.period, ui.t(Key::BillCharged), ui.money(&m.charged)) }</title></rect>
                        <rect x={(x + 17).to_string()} y={format!("{:.1}", 120.0 - hp)} width="16" height={format!("{hp:.1}")} fill="#5aa469"><title>{ format!("{} {}: {}", m.period, ui.t(Key::BillPaid), ui.money(&m.paid)) }</title></rect>
                        <text x={x.to_string()} y="138" font-size="10">{ m.period.get(2..).unwrap_or_default().to_owned() }</text>
                    </g> }
                }) }
            </svg>
        </figure>
    };
    let age_top = d
        .debt_by_age
        .iter()
        .map(|a| num(&a.amount))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let ages = html! {
        <figure class="dash">
            <figcaption>{ format!("{} {}", ui.t(Key::DashDebtByAge), d.debt_period.clone().unwrap_or_default()) }</figcaption>
            <svg id="dash-ages" class="chart" width="520" height={(20 + d.debt_by_age.len() * 22).to_string()} role="img" aria-label={ui.t(Key::DashDebtByAge)}>
                <title>{ ui.t(Key::DashDebtByAge) }</title>
                { for d.debt_by_age.iter().enumerate().map(|(i, a)| {
                    let y = 6 + i * 22;
                    let w = num(&a.amount) / age_top * 260.0;
                    html! { <g class="dash-age" data-amount={a.amount.clone()}>
                        <text x="0" y={(y + 13).to_string()} font-size="11">{ a.title.clone() }</text>
                        <rect x="150" y={y.to_string()} width={format!("{w:.1}")} height="16" fill="#c0504d"><title>{ format!("{}: {}", a.title, ui.money(&a.amount)) }</title></rect>
                        <text x={format!("{:.1}", 156.0 + w)} y={(y + 13).to_string()} font-size="11">{ ui.amount(&a.amount) }</text>
                    </g> }
                }) }
            </svg>
        </figure>
    };
    let day_top = d
        .payments_by_day
        .iter()
        .map(|p| num(&p.amount))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let days = html! {
        <figure class="dash">
            <figcaption>{ ui.t(Key::DashPaymentsByDay) }</figcaption>
            <svg id="dash-days" class="chart" width="520" height="130" role="img" aria-label={ui.t(Key::DashPaymentsByDay)}>
                <title>{ ui.t(Key::DashPaymentsByDay) }</title>
                { for d.payments_by_day.iter().map(|p| {
                    let day: usize = p.day.get(8..10).and_then(|t| t.parse().ok()).unwrap_or(1);
                    let x = 4 + (day.saturating_sub(1)) * 16;
                    let h = num(&p.amount) / day_top * 100.0;
                    html! { <g class="dash-day" data-day={p.day.clone()} data-amount={p.amount.clone()}>
                        <rect x={x.to_string()} y={format!("{:.1}", 106.0 - h)} width="12" height={format!("{h:.1}")} fill="#5aa469"><title>{ format!("{}: {}", p.day, ui.money(&p.amount)) }</title></rect>
                        <text x={x.to_string()} y="122" font-size="9">{ day }</text>
                    </g> }
                }) }
            </svg>
        </figure>
    };
    let read = if d.meters_working > 0 {
        d.meters_read * 100 / d.meters_working
    } else {
        0
    };
    html! {
        <section id="reports-dashboard" class="card dashboard">
            { months }
            { ages }
            { days }
            <p id="dash-meters" data-working={d.meters_working.to_string()} data-read={d.meters_read.to_string()}>
                { format!("{}: {read} % ({} / {}) · {}: {}", ui.t(Key::DashMetersRead), d.meters_read, d.meters_working, ui.t(Key::DashVerificationOverdue), d.verification_overdue) }
            </p>
        </section>
    }
}
