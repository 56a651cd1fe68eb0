//! The main menu's dashboards (seed 000 §4.1: «Каждому пункту меню соответствует
//! информационная панель-дашборд»): over the Subscribers, Legal entities, Meters,
//! Billing, Payment import, Payments, Acts, Reference books and Administration screens, the figures that section's user looks at first and a chart or two, each
//! read within the user's reach and needing that section's view permission. One shape for
//! all — figures (a title, a value, how to write it) and bar charts (labelled bars) — so
//! the client draws them with one component. The Reports screen keeps its own dashboard
//! (`dashboard`).

use async_graphql::{Context, Object, SimpleObject};
use chrono::{Months, NaiveDate};
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::table::{ColumnKind, money};
use access::auth::{self, Action, Document, Reach};
use l10n::{Lang, code_label};
use platform::error::AppResult;
use platform::sql::stmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum DashboardMenu {
    Subscribers,
    LegalEntities,
    Meters,
    Billing,
    PaymentImport,
    Payments,
    Acts,
    ReferenceBooks,
    Administration,
}

impl DashboardMenu {
    /// Viewing the section is what its dashboard needs.
    fn document(self) -> Document {
        match self {
            Self::Subscribers | Self::LegalEntities => Document::Accounts,
            Self::Meters => Document::Meters,
            Self::Billing => Document::Invoices,
            Self::Payments | Self::PaymentImport => Document::Payments,
            Self::Acts => Document::Acts,
            Self::ReferenceBooks => Document::ReferenceBooks,
            Self::Administration => Document::Users,
        }
    }
}

#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct DashFigure {
    pub key: String,
    pub title: String,
    /// A number as text (money with two decimals).
    pub value: String,
    pub kind: ColumnKind,
}

#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct DashBar {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct DashChart {
    pub key: String,
    pub title: String,
    /// How the bars' values are written.
    pub kind: ColumnKind,
    pub bars: Vec<DashBar>,
}

#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct MenuDashboard {
    pub figures: Vec<DashFigure>,
    pub charts: Vec<DashChart>,
}

#[derive(FromQueryResult)]
struct Bar {
    label: String,
    value: Decimal,
}

#[derive(FromQueryResult)]
struct Counts {
    a: Option<Decimal>,
    b: Option<Decimal>,
    c: Option<Decimal>,
    d: Option<Decimal>,
}

/// What a dashboard is read for: the user's reach and language, the working month, today.
pub struct Ask<'a> {
    pub reach: &'a Reach,
    pub lang: Lang,
    pub open: Period,
    pub today: NaiveDate,
}

impl Ask<'_> {
    fn t(&self, id: &str) -> String {
        platform::i18n::text(self.lang, id)
    }

    /// The accounts row `a` within reach.
    fn accounts(&self) -> String {
        self.reach
            .account_condition_of("a")
            .unwrap_or_else(|| "true".to_owned())
    }

    fn figure(&self, key: &str, id: &str, value: String, kind: ColumnKind) -> DashFigure {
        DashFigure {
            key: key.to_owned(),
            title: self.t(id),
            value,
            kind,
        }
    }

    fn chart(&self, key: &str, id: &str, kind: ColumnKind, bars: Vec<Bar>) -> DashChart {
        DashChart {
            key: key.to_owned(),
            title: self.t(id),
            kind,
            bars: bars
                .into_iter()
                .map(|b| DashBar {
                    label: b.label,
                    value: if kind == ColumnKind::Money {
                        money(b.value)
                    } else {
                        b.value.normalize().to_string()
                    },
                })
                .collect(),
        }
    }
}

async fn bars(
    txn: &DatabaseTransaction,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> AppResult<Vec<Bar>> {
    Ok(Bar::find_by_statement(stmt(sql, values)).all(txn).await?)
}

async fn counts(
    txn: &DatabaseTransaction,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> AppResult<[Decimal; 4]> {
    // No row (no month invoiced yet) reads as nothing.
    Ok(Counts::find_by_statement(stmt(sql, values))
        .one(txn)
        .await?
        .map_or([Decimal::ZERO; 4], |c| {
            [c.a, c.b, c.c, c.d].map(Option::unwrap_or_default)
        }))
}

fn count(d: Decimal) -> String {
    d.trunc().to_string()
}

/// The share `part / whole` in per cent with one decimal ("0.0" of nothing).
fn share(part: Decimal, whole: Decimal) -> String {
    if whole.is_zero() {
        "0.0".to_owned()
    } else {
        format!("{:.1}", (part * Decimal::ONE_HUNDRED / whole).round_dp(1))
    }
}

/// The first day of the month eleven months before `open`: twelve months of charts.
fn year_before(open: Period) -> NaiveDate {
    open.first_day() - Months::new(11)
}

/// `actor`: the user asking, whose own actions are all a user limited to branches or
/// buildings sees of the change log (as on the Administration screen).
pub async fn menu_dashboard(
    txn: &DatabaseTransaction,
    menu: DashboardMenu,
    ask: &Ask<'_>,
    actor: uuid::Uuid,
) -> AppResult<MenuDashboard> {
    match menu {
        DashboardMenu::Subscribers => subscribers(txn, ask).await,
        DashboardMenu::LegalEntities => legal_entities(txn, ask).await,
        DashboardMenu::PaymentImport => payment_import(txn, ask).await,
        DashboardMenu::Meters => meters(txn, ask).await,
        DashboardMenu::Billing => billing(txn, ask).await,
        DashboardMenu::Payments => payments(txn, ask).await,
        DashboardMenu::Acts => acts(txn, ask).await,
        DashboardMenu::ReferenceBooks => reference_books(txn, ask).await,
        DashboardMenu::Administration => administration(txn, ask, actor).await,
    }
}

/// Open accounts, their residents, the share with meters, accounts opened this month;
/// accounts by type, and accounts opened by month.
async fn subscribers(txn: &DatabaseTransaction, ask: &Ask<'_>) -> AppResult<MenuDashboard> {
    let within = ask.accounts();
    let open = format!("(a.closed_on IS NULL OR a.closed_on > $1) AND {within}");
    let [accounts, residents, metered, new] = counts(
        txn,
        &format!(
            "SELECT count(*)::numeric AS a, coalesce(sum(a.residents), 0)::numeric AS b, \
                    count(*) FILTER (WHERE a.meters > 0)::numeric AS c, \
                    count(*) FILTER (WHERE a.opened_on >= $2)::numeric AS d \
             FROM accounts a WHERE {open}"
        ),
        vec![ask.today.into(), ask.open.first_day().into()],
    )
    .await?;
    let by_type = bars(
        txn,
        &format!(
            "SELECT a.account_type AS label, count(*)::numeric AS value FROM accounts a \
             WHERE {open} GROUP BY a.account_type ORDER BY 2 DESC"
        ),
        vec![ask.today.into()],
    )
    .await?
    .into_iter()
    .map(|b| Bar {
        label: code_label(ask.lang, "accounts_type", &b.label),
        value: b.value,
    })
    .collect();
    let opened = bars(
        txn,
        &format!(
            "SELECT to_char(m, 'YYYY-MM') AS label, coalesce(o.n, 0)::numeric AS value \
             FROM generate_series($1::date, $2::date, interval '1 month') m \
             LEFT JOIN (SELECT date_trunc('month', a.opened_on) AS month, count(*) AS n FROM accounts a \
                        WHERE a.opened_on >= $1 AND {within} GROUP BY 1) o ON o.month = m \
             ORDER BY m"
        ),
        vec![year_before(ask.open).into(), ask.open.first_day().into()],
    )
    .await?;
    Ok(MenuDashboard {
        figures: vec![
            ask.figure(
                "accounts",
                "menu-dash-open-accounts",
                count(accounts),
                ColumnKind::Count,
            ),
            ask.figure(
                "residents",
                "report-col-residents",
                count(residents),
                ColumnKind::Count,
            ),
            ask.figure(
                "metered",
                "menu-dash-metered-share",
                share(metered, accounts),
                ColumnKind::Percent,
            ),
            ask.figure(
                "opened",
                "menu-dash-opened-this-month",
                count(new),
                ColumnKind::Count,
            ),
        ],
        charts: vec![
            ask.chart(
                "byType",
                "report-col-account-type",
                ColumnKind::Count,
                by_type,
            ),
            ask.chart(
                "opened",
                "menu-dash-opened-by-month",
                ColumnKind::Count,
                opened,
            ),
        ],
    })
}

/// Open accounts of legal entities, contracts in force today and ending within 30 days,
/// the legal entities' debt at the latest invoiced month; the ten largest debts.
async fn legal_entities(txn: &DatabaseTransaction, ask: &Ask<'_>) -> AppResult<MenuDashboard> {
    let within = ask.accounts();
    let legal = format!(
        "a.account_type = 'legal' AND (a.closed_on IS NULL OR a.closed_on > $1) AND {within}"
    );
    // The latest invoiced month before the open one ($2), its closing by account.
    let debts = format!(
        "SELECT a.holder_name, sum(l.closing) AS closing FROM invoice_lines l JOIN accounts a ON a.id = l.account_id \
         WHERE {legal} AND l.period = (SELECT max(period) FROM invoice_lines WHERE period < $2) \
         GROUP BY a.id, a.holder_name"
    );
    let [accounts, contracts, ending, debt] = counts(
        txn,
        &format!(
            "SELECT (SELECT count(*) FROM accounts a WHERE {legal})::numeric AS a, \
                    (SELECT count(*) FROM contracts c JOIN accounts a ON a.id = c.account_id \
                     WHERE {legal} AND c.signed_on <= $1 AND (c.valid_to IS NULL OR c.valid_to >= $1))::numeric AS b, \
                    (SELECT count(*) FROM contracts c JOIN accounts a ON a.id = c.account_id \
                     WHERE {legal} AND c.valid_to BETWEEN $1 AND $1 + 30)::numeric AS c, \
                    (SELECT coalesce(sum(closing), 0) FROM ({debts}) d) AS d"
        ),
        vec![ask.today.into(), ask.open.first_day().into()],
    )
    .await?;
    let largest = bars(
        txn,
        &format!(
            "SELECT holder_name AS label, closing AS value FROM ({debts}) d \
             WHERE closing > 0 ORDER BY closing DESC, holder_name LIMIT 10"
        ),
        vec![ask.today.into(), ask.open.first_day().into()],
    )
    .await?;
    Ok(MenuDashboard {
        figures: vec![
            ask.figure(
                "accounts",
                "menu-dash-open-accounts",
                count(accounts),
                ColumnKind::Count,
            ),
            ask.figure(
                "contracts",
                "menu-dash-contracts",
                count(contracts),
                ColumnKind::Count,
            ),
            ask.figure(
                "ending",
                "menu-dash-contracts-ending",
                count(ending),
                ColumnKind::Count,
            ),
            ask.figure(
                "debt",
                "menu-dash-debt-last-month",
                money(debt),
                ColumnKind::Money,
            ),
        ],
        charts: vec![ask.chart(
            "largest",
            "menu-dash-largest-debts",
            ColumnKind::Money,
            largest,
        )],
    })
}

/// Bank files of this month: files, rows posted, rows refused, amount posted; the amount
/// posted by receipt day. A user limited to branches or buildings sees what the files
/// posted to accounts within reach (the refused rows belong to no account).
async fn payment_import(txn: &DatabaseTransaction, ask: &Ask<'_>) -> AppResult<MenuDashboard> {
    let span = || vec![ask.open.first_day().into(), ask.open.last_day().into()];
    let posted = format!(
        "FROM payment_file_rows r JOIN payment_files f ON f.id = r.file_id \
         JOIN payments p ON p.id = r.payment_id JOIN accounts a ON a.id = p.account_id \
         WHERE f.received_on BETWEEN $1 AND $2 AND f.state = 'loaded' AND {}",
        ask.accounts()
    );
    let [files, rows, refused, amount] = if ask.reach.everything() {
        counts(
            txn,
            "SELECT count(*)::numeric AS a, coalesce(sum(rows_loaded), 0)::numeric AS b, \
                    coalesce(sum(rows_refused), 0)::numeric AS c, coalesce(sum(amount_loaded), 0) AS d \
             FROM payment_files WHERE received_on BETWEEN $1 AND $2",
            span(),
        )
        .await?
    } else {
        counts(
            txn,
            &format!(
                "SELECT count(DISTINCT f.id)::numeric AS a, count(*)::numeric AS b, 0::numeric AS c, \
                        coalesce(sum(p.amount), 0) AS d {posted}"
            ),
            span(),
        )
        .await?
    };
    let by_day = bars(
        txn,
        &format!(
            "SELECT to_char(f.received_on, 'DD') AS label, sum(p.amount) AS value {posted} GROUP BY 1 ORDER BY 1"
        ),
        span(),
    )
    .await?;
    Ok(MenuDashboard {
        figures: vec![
            ask.figure("files", "menu-dash-files", count(files), ColumnKind::Count),
            ask.figure(
                "rows",
                "menu-dash-rows-posted",
                count(rows),
                ColumnKind::Count,
            ),
            ask.figure(
                "refused",
                "menu-dash-rows-refused",
                count(refused),
                ColumnKind::Count,
            ),
            ask.figure(
                "amount",
                "menu-dash-amount-posted",
                money(amount),
                ColumnKind::Money,
            ),
        ],
        charts: vec![ask.chart(
            "byDay",
            "menu-dash-posted-by-day",
            ColumnKind::Money,
            by_day,
        )],
    })
}

/// Working meters, read this month (count and share), verification overdue and due in the
/// next three months; readings entered by day this month, and working meters by service.
async fn meters(txn: &DatabaseTransaction, ask: &Ask<'_>) -> AppResult<MenuDashboard> {
    let within = ask
        .reach
        .building_condition("b")
        .unwrap_or_else(|| "true".to_owned());
    let working = format!(
        "m.installed_on <= $2 AND (m.removed_on IS NULL OR m.removed_on >= $1) AND {within}"
    );
    let from = ask.open.first_day();
    let [all, read, overdue, due] = counts(
        txn,
        &format!(
            "SELECT count(*)::numeric AS a, \
                    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = $1))::numeric AS b, \
                    count(*) FILTER (WHERE m.next_verification < $3)::numeric AS c, \
                    count(*) FILTER (WHERE m.next_verification >= $3 AND m.next_verification < $3 + interval '3 months')::numeric AS d \
             FROM meters m JOIN buildings b ON b.id = m.building_id WHERE {working}"
        ),
        vec![from.into(), ask.open.last_day().into(), ask.today.into()],
    )
    .await?;
    let by_day = bars(
        txn,
        &format!(
            "SELECT to_char(r.entered_at, 'DD') AS label, count(*)::numeric AS value \
             FROM readings r JOIN meters m ON m.id = r.meter_id JOIN buildings b ON b.id = m.building_id \
             WHERE r.period = $1 AND {within} GROUP BY 1 ORDER BY 1"
        ),
        vec![from.into()],
    )
    .await?;
    let by_service = bars(
        txn,
        &format!(
            "SELECT s.name AS label, count(*)::numeric AS value FROM meters m \
             JOIN buildings b ON b.id = m.building_id JOIN services s ON s.id = m.service_id \
             WHERE {working} GROUP BY s.id, s.name ORDER BY 2 DESC, 1"
        ),
        vec![from.into(), ask.open.last_day().into()],
    )
    .await?;
    Ok(MenuDashboard {
        figures: vec![
            ask.figure(
                "working",
                "report-col-working",
                count(all),
                ColumnKind::Count,
            ),
            ask.figure(
                "read",
                "menu-dash-read-this-month",
                count(read),
                ColumnKind::Count,
            ),
            ask.figure(
                "readShare",
                "menu-dash-read-share",
                share(read, all),
                ColumnKind::Percent,
            ),
            ask.figure(
                "overdue",
                "report-col-verification-overdue",
                count(overdue),
                ColumnKind::Count,
            ),
            ask.figure(
                "due",
                "menu-dash-verification-soon",
                count(due),
                ColumnKind::Count,
            ),
        ],
        charts: vec![
            ask.chart(
                "readingsByDay",
                "menu-dash-readings-by-day",
                ColumnKind::Count,
                by_day,
            ),
            ask.chart(
                "byService",
                "menu-dash-meters-by-service",
                ColumnKind::Count,
                by_service,
            ),
        ],
    })
}

/// The latest invoiced month's accounts, net charge, paid and closing debt; the net
/// charge and the closing debt by month over a year.
async fn billing(txn: &DatabaseTransaction, ask: &Ask<'_>) -> AppResult<MenuDashboard> {
    let within = ask.accounts();
    let monthly = format!(
        "SELECT l.period, count(DISTINCT l.account_id)::numeric AS accounts, \
                sum(l.charged + l.recalculation - l.benefit - l.subsidy) AS charged, \
                sum(l.paid) AS paid, sum(l.closing) AS closing \
         FROM invoice_lines l JOIN accounts a ON a.id = l.account_id \
         WHERE l.period BETWEEN $1 AND $2 AND {within} GROUP BY l.period"
    );
    let span = || vec![year_before(ask.open).into(), ask.open.first_day().into()];
    let [accounts, charged, paid, closing] = counts(
        txn,
        &format!(
            "SELECT accounts AS a, charged AS b, paid AS c, closing AS d FROM ({monthly}) t \
             WHERE period < $2 ORDER BY period DESC LIMIT 1"
        ),
        span(),
    )
    .await?;
    let charges = bars(
        txn,
        &format!("SELECT to_char(period, 'YYYY-MM') AS label, charged AS value FROM ({monthly}) t ORDER BY period"),
        span(),
    )
    .await?;
    let debts = bars(
        txn,
        &format!("SELECT to_char(period, 'YYYY-MM') AS label, closing AS value FROM ({monthly}) t ORDER BY period"),
        span(),
    )
    .await?;
    Ok(MenuDashboard {
        figures: vec![
            ask.figure(
                "accounts",
                "menu-dash-invoiced-accounts",
                count(accounts),
                ColumnKind::Count,
            ),
            ask.figure(
                "charged",
                "menu-dash-charged-last-month",
                money(charged),
                ColumnKind::Money,
            ),
            ask.figure(
                "paid",
                "menu-dash-paid-last-month",
                money(paid),
                ColumnKind::Money,
            ),
            ask.figure(
                "closing",
                "menu-dash-debt-last-month",
                money(closing),
                ColumnKind::Money,
            ),
        ],
        charts: vec![
            ask.chart(
                "charged",
                "menu-dash-charged-by-month",
                ColumnKind::Money,
                charges,
            ),
            ask.chart(
                "closing",
                "menu-dash-debt-by-month",
                ColumnKind::Money,
                debts,
            ),
        ],
    })
}

/// This month's live payments (count, amount, average); by day and by kind.
async fn payments(txn: &DatabaseTransaction, ask: &Ask<'_>) -> AppResult<MenuDashboard> {
    let within = ask.accounts();
    let live = format!(
        "p.cancelled_at IS NULL AND p.cancelled_by_act IS NULL AND p.received_on BETWEEN $1 AND $2 AND {within}"
    );
    let span = || vec![ask.open.first_day().into(), ask.open.last_day().into()];
    let [n, amount, _, _] = counts(
        txn,
        &format!(
            "SELECT count(*)::numeric AS a, coalesce(sum(p.amount), 0) AS b, NULL::numeric AS c, NULL::numeric AS d \
             FROM payments p JOIN accounts a ON a.id = p.account_id WHERE {live}"
        ),
        span(),
    )
    .await?;
    let by_day = bars(
        txn,
        &format!(
            "SELECT to_char(p.received_on, 'DD') AS label, sum(p.amount) AS value \
             FROM payments p JOIN accounts a ON a.id = p.account_id WHERE {live} GROUP BY 1 ORDER BY 1"
        ),
        span(),
    )
    .await?;
    let by_kind = bars(
        txn,
        &format!(
            "SELECT p.kind AS label, sum(p.amount) AS value \
             FROM payments p JOIN accounts a ON a.id = p.account_id WHERE {live} GROUP BY 1 ORDER BY 2 DESC"
        ),
        span(),
    )
    .await?
    .into_iter()
    .map(|b| Bar {
        label: code_label(ask.lang, "payments_kind", &b.label),
        value: b.value,
    })
    .collect();
    let average = if n.is_zero() {
        Decimal::ZERO
    } else {
        amount / n
    };
    Ok(MenuDashboard {
        figures: vec![
            ask.figure("count", "report-col-count", count(n), ColumnKind::Count),
            ask.figure(
                "amount",
                "report-col-amount",
                money(amount),
                ColumnKind::Money,
            ),
            ask.figure(
                "average",
                "menu-dash-average-payment",
                money(average),
                ColumnKind::Money,
            ),
        ],
        charts: vec![
            ask.chart(
                "byDay",
                "menu-dash-payments-by-day",
                ColumnKind::Money,
                by_day,
            ),
            ask.chart("byKind", "report-col-kind", ColumnKind::Money, by_kind),
        ],
    })
}

/// The working month's acts: drafts awaiting approval, approved, their amounts; by kind.
async fn acts(txn: &DatabaseTransaction, ask: &Ask<'_>) -> AppResult<MenuDashboard> {
    // An act of one account is seen within reach; one over many accounts by whom sees all.
    let seen = if ask.reach.everything() {
        "true".to_owned()
    } else {
        format!("x.account_id IS NOT NULL AND {}", ask.accounts())
    };
    let month = format!("x.period = $1 AND {seen}");
    let within = ask.accounts();
    let [drafts, approved, amount, _] = counts(
        txn,
        &format!(
            "SELECT count(*) FILTER (WHERE x.status = 'draft')::numeric AS a, \
                    count(*) FILTER (WHERE x.status = 'approved')::numeric AS b, \
                    coalesce((SELECT sum(l.amount) FROM act_lines l JOIN acts y ON y.id = l.act_id \
                              JOIN accounts a ON a.id = l.account_id \
                              WHERE y.status = 'approved' AND y.period = $1 AND {within}), 0) AS c, \
                    NULL::numeric AS d \
             FROM acts x LEFT JOIN accounts a ON a.id = x.account_id WHERE {month}"
        ),
        vec![ask.open.first_day().into()],
    )
    .await?;
    let by_kind = bars(
        txn,
        &format!(
            "SELECT x.kind AS label, count(*)::numeric AS value FROM acts x \
             LEFT JOIN accounts a ON a.id = x.account_id WHERE {month} GROUP BY 1 ORDER BY 2 DESC"
        ),
        vec![ask.open.first_day().into()],
    )
    .await?
    .into_iter()
    .map(|b| Bar {
        label: code_label(ask.lang, "acts_kind", &b.label),
        value: b.value,
    })
    .collect();
    Ok(MenuDashboard {
        figures: vec![
            ask.figure(
                "drafts",
                "menu-dash-acts-drafts",
                count(drafts),
                ColumnKind::Count,
            ),
            ask.figure(
                "approved",
                "menu-dash-acts-approved",
                count(approved),
                ColumnKind::Count,
            ),
            ask.figure(
                "amount",
                "menu-dash-acts-amount",
                money(amount),
                ColumnKind::Money,
            ),
        ],
        charts: vec![ask.chart(
            "byKind",
            "menu-dash-acts-by-kind",
            ColumnKind::Count,
            by_kind,
        )],
    })
}

/// Services and price lists in use, tariffs entered from this month, the penalty rate in
/// force today; tariffs entered by month over a year.
async fn reference_books(txn: &DatabaseTransaction, ask: &Ask<'_>) -> AppResult<MenuDashboard> {
    let [services, lists, tariffs, rate] = counts(
        txn,
        "SELECT (SELECT count(*) FROM services WHERE active)::numeric AS a, \
                (SELECT count(*) FROM price_lists WHERE active)::numeric AS b, \
                (SELECT count(*) FROM tariffs WHERE valid_from BETWEEN $1 AND $2)::numeric AS c, \
                (SELECT rate FROM penalty_rates WHERE valid_from <= $3 ORDER BY valid_from DESC LIMIT 1) AS d",
        vec![
            ask.open.first_day().into(),
            ask.open.last_day().into(),
            ask.today.into(),
        ],
    )
    .await?;
    let by_month = bars(
        txn,
        "SELECT to_char(m, 'YYYY-MM') AS label, \
                (SELECT count(*) FROM tariffs t WHERE date_trunc('month', t.valid_from) = m)::numeric AS value \
         FROM generate_series($1::date, $2::date, interval '1 month') m ORDER BY m",
        vec![year_before(ask.open).into(), ask.open.first_day().into()],
    )
    .await?;
    Ok(MenuDashboard {
        figures: vec![
            ask.figure(
                "services",
                "menu-dash-services",
                count(services),
                ColumnKind::Count,
            ),
            ask.figure(
                "priceLists",
                "menu-dash-price-lists",
                count(lists),
                ColumnKind::Count,
            ),
            ask.figure(
                "tariffs",
                "menu-dash-tariffs-this-month",
                count(tariffs),
                ColumnKind::Count,
            ),
            ask.figure(
                "rate",
                "menu-dash-penalty-rate",
                rate.normalize().to_string(),
                ColumnKind::Percent,
            ),
        ],
        charts: vec![ask.chart(
            "tariffsByMonth",
            "menu-dash-tariffs-by-month",
            ColumnKind::Count,
            by_month,
        )],
    })
}

/// The change log: changes today and over seven days, the people who made them; changes by
/// day over two weeks and by kind of record over seven days.
async fn administration(
    txn: &DatabaseTransaction,
    ask: &Ask<'_>,
    actor: uuid::Uuid,
) -> AppResult<MenuDashboard> {
    let mine = if ask.reach.everything() {
        "true".to_owned()
    } else {
        format!("l.actor_id = '{actor}'")
    };
    let week = format!("l.at >= $1::date - 6 AND {mine}");
    let [today, seven, people, _] = counts(
        txn,
        &format!(
            "SELECT count(*) FILTER (WHERE l.at >= $1::date)::numeric AS a, count(*)::numeric AS b, \
                    count(DISTINCT l.actor_login)::numeric AS c, NULL::numeric AS d \
             FROM audit_log l WHERE {week}"
        ),
        vec![ask.today.into()],
    )
    .await?;
    let by_day = bars(
        txn,
        &format!(
            "SELECT to_char(d, 'MM-DD') AS label, \
                    (SELECT count(*) FROM audit_log l WHERE l.at >= d AND l.at < d + interval '1 day' AND {mine})::numeric AS value \
             FROM generate_series($1::date - 13, $1::date, interval '1 day') d ORDER BY d"
        ),
        vec![ask.today.into()],
    )
    .await?;
    let by_entity = bars(
        txn,
        &format!(
            "SELECT l.entity AS label, count(*)::numeric AS value FROM audit_log l WHERE {week} \
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 8"
        ),
        vec![ask.today.into()],
    )
    .await?
    .into_iter()
    .map(|b| Bar {
        label: code_label(ask.lang, "audit_entity", &b.label),
        value: b.value,
    })
    .collect();
    Ok(MenuDashboard {
        figures: vec![
            ask.figure(
                "today",
                "menu-dash-changes-today",
                count(today),
                ColumnKind::Count,
            ),
            ask.figure(
                "week",
                "menu-dash-changes-week",
                count(seven),
                ColumnKind::Count,
            ),
            ask.figure(
                "people",
                "menu-dash-people-week",
                count(people),
                ColumnKind::Count,
            ),
        ],
        charts: vec![
            ask.chart(
                "byDay",
                "menu-dash-changes-by-day",
                ColumnKind::Count,
                by_day,
            ),
            ask.chart(
                "byEntity",
                "menu-dash-changes-by-record",
                ColumnKind::Count,
                by_entity,
            ),
        ],
    })
}

#[derive(Default)]
pub struct MenuDashboardQuery;

#[Object]
impl MenuDashboardQuery {
    /// The dashboard over a main menu section, within the user's reach (the section's
    /// view permission).
    async fn menu_dashboard(
        &self,
        ctx: &Context<'_>,
        menu: DashboardMenu,
    ) -> AppResult<MenuDashboard> {
        let scope = auth::authorize(ctx, menu.document(), Action::View)?;
        let txn = scope.begin().await?;
        let open = metering::readings::current_open(&txn).await?;
        let ask = Ask {
            reach: &scope.session.reach,
            lang: ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN),
            open,
            today: chrono::Utc::now().date_naive(),
        };
        let d = menu_dashboard(&txn, menu, &ask, scope.session.user_id).await?;
        txn.commit().await?;
        Ok(d)
    }
}
