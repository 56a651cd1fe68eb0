//! What an invoice prints, read for a set of accounts of one period in a few queries: the
//! invoice and its lines, the account's meters with the period's readings, the tenant's
//! requisites and notes, the due date and the payment QR payload. Amounts are formatted
//! here (two decimals, quantities without trailing zeros), so the renderer only draws.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use domain::Period;
use domain::payment_qr::{self, Payee, QrFormat, Request};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use platform::error::AppResult;
use platform::sql::settings_row;
use platform::sql::stmt;

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedLine {
    pub service: String,
    pub quantity: String,
    pub flag: String,
    pub tariff: String,
    pub charged: String,
    pub benefit: String,
    pub subsidy: String,
    pub recalculation: String,
    pub penalty: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedReading {
    pub serial: String,
    pub service: String,
    pub previous: String,
    pub current: String,
}

/// What the invoice asks under a debt restructuring agreement
/// (`registry::restructuring_kept::on_invoices`): the month it is paid in brings the
/// invoice's charges for services first, then that month's instalment and what the
/// schedule is behind by; `due` is their sum, never more than the amount to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedAgreement {
    pub number: String,
    /// YYYY-MM: the month the instalment is of.
    pub month: String,
    pub instalment: String,
    pub behind: String,
    pub due: String,
}

/// Everything one invoice shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDoc {
    pub account_id: i64,
    pub account_number: String,
    pub payer: String,
    pub address: String,
    /// YYYY-MM.
    pub period: String,
    pub payee: Payee,
    pub payee_address: String,
    pub lines: Vec<PrintedLine>,
    pub readings: Vec<PrintedReading>,
    pub opening: String,
    pub charged: String,
    pub paid: String,
    /// The amount to pay (the closing balance; an advance prints as a negative amount).
    pub closing: String,
    pub due_on: String,
    pub notes: Option<String>,
    /// The QR code's text (None: the tenant prints none).
    pub qr: Option<String>,
    /// The code its subscriber registers in the portal with (None: the tenant takes no
    /// registrations).
    pub portal_code: Option<String>,
    /// The active restructuring agreement's part (None: no agreement asks anything).
    pub agreement: Option<PrintedAgreement>,
    /// What to pay when paying after the due day, where a price list "after the due day"
    /// makes it dearer (`domain::billing::late`; None: the same amount whenever paid).
    pub to_pay_late: Option<String>,
}

/// The tenant's requisites and layout choices (`invoice_settings`).
#[derive(Debug, Clone, FromQueryResult, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[graphql(complex)]
pub struct InvoiceSettings {
    pub legal_name: String,
    pub tax_code: String,
    pub address: String,
    pub bank_name: String,
    /// IBAN or settlement account.
    pub account: String,
    pub bic: String,
    pub correspondent_account: String,
    /// nbu, gost, epc or none.
    pub qr_format: String,
    pub purpose: String,
    pub notes: Option<String>,
}

#[async_graphql::ComplexObject]
impl InvoiceSettings {
    /// The requisites the chosen QR standard needs that are empty (settings field names):
    /// until they are filled in, invoices print no payment QR code.
    async fn qr_missing(&self) -> Vec<String> {
        self.qr_missing_fields()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}

impl InvoiceSettings {
    /// The payee the QR code and the invoice print, in `currency`.
    pub fn payee(&self, currency: &str) -> Payee {
        Payee {
            name: self.legal_name.clone(),
            tax_code: self.tax_code.clone(),
            account: self.account.clone(),
            bank_name: self.bank_name.clone(),
            bic: self.bic.clone(),
            correspondent_account: self.correspondent_account.clone(),
            currency: currency.to_owned(),
        }
    }

    /// [`payment_qr::missing`] for the chosen standard (none when no code is printed).
    pub fn qr_missing_fields(&self) -> Vec<&'static str> {
        QrFormat::parse(&self.qr_format)
            .map(|f| payment_qr::missing(f, &self.payee("")))
            .unwrap_or_default()
    }
}

pub async fn settings(txn: &DatabaseTransaction) -> AppResult<InvoiceSettings> {
    settings_row::<InvoiceSettings>(txn, "invoice_settings", "SELECT legal_name, tax_code, address, bank_name, account, bic, correspondent_account, qr_format, \
                purpose, notes FROM invoice_settings").await
}

#[derive(FromQueryResult)]
struct Head {
    account_id: i64,
    number: String,
    holder_name: String,
    address: String,
    opening: Decimal,
    charged: Decimal,
    /// The month's charges for services (charged + recalculation − benefit − subsidy).
    current: Decimal,
    paid: Decimal,
    closing: Decimal,
}

#[derive(FromQueryResult)]
struct LateRow {
    account_id: i64,
    quantity: Decimal,
    tariff: Decimal,
    late: Decimal,
}

/// What each account's invoice of `period` would owe more at its price list "after the
/// due day" (the premises', else the building's; tariffs on the period's first day, as
/// the month after charges it).
async fn late_extra(
    txn: &DatabaseTransaction,
    period: Period,
    accounts: &[i64],
) -> AppResult<HashMap<i64, Decimal>> {
    let mut out: HashMap<i64, Decimal> = HashMap::new();
    for r in LateRow::find_by_statement(stmt(
        "SELECT l.account_id, l.quantity, l.tariff, t.price AS late \
         FROM invoice_lines l JOIN accounts a ON a.id = l.account_id \
         JOIN premises p ON p.id = a.premises_id JOIN buildings b ON b.id = p.building_id \
         JOIN LATERAL (SELECT x.price FROM tariffs x \
                       WHERE x.price_list_id = coalesce(p.late_price_list_id, b.late_price_list_id) \
                         AND x.service_id = l.service_id AND x.valid_from <= $1 \
                       ORDER BY x.valid_from DESC LIMIT 1) t ON true \
         WHERE l.period = $1 AND l.account_id = ANY($2) \
           AND coalesce(p.late_price_list_id, b.late_price_list_id) IS NOT NULL",
        vec![period.first_day().into(), accounts.to_vec().into()],
    ))
    .all(txn)
    .await?
    {
        let charge = domain::billing::LateCharge {
            period,
            quantity: r.quantity,
            regular: r.tariff,
            late: r.late,
        };
        *out.entry(r.account_id).or_default() += charge.amount();
    }
    out.retain(|_, extra| *extra > Decimal::ZERO);
    Ok(out)
}

#[derive(FromQueryResult)]
struct LineRow {
    account_id: i64,
    service: String,
    basis: Option<String>,
    quantity: Decimal,
    tariff: Decimal,
    charged: Decimal,
    benefit: Decimal,
    subsidy: Decimal,
    recalculation: Decimal,
    penalty: Decimal,
}

#[derive(FromQueryResult)]
struct ReadingRow {
    account_id: i64,
    serial: String,
    service: String,
    previous: Decimal,
    current: Decimal,
}

#[derive(FromQueryResult)]
struct DueDay {
    due_day: i32,
}

pub(crate) fn money(d: Decimal) -> String {
    let mut d = domain::money(d);
    d.rescale(2);
    d.to_string()
}

fn qty(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The date `period`'s invoice is to be paid by: the tenant's due day of the next month
/// (the month's last day when it is shorter).
pub async fn due_date(txn: &DatabaseTransaction, period: Period) -> AppResult<NaiveDate> {
    let due_day = DueDay::find_by_statement(stmt("SELECT due_day FROM billing_settings", vec![]))
        .one(txn)
        .await?
        .map_or(20, |t| t.due_day);
    let next = period.next().first_day();
    Ok(next
        .with_day(
            u32::try_from(due_day)
                .unwrap_or(20)
                .min(period.next().days()),
        )
        .unwrap_or(next))
}

/// The invoices of `period` for `accounts` (those without an invoice are left out);
/// `portal`: the tenant takes registrations in the portal (each prints its code).
pub async fn load(
    txn: &DatabaseTransaction,
    period: Period,
    accounts: &[i64],
    currency: &str,
    portal: bool,
) -> AppResult<Vec<InvoiceDoc>> {
    let first = period.first_day();
    let s = settings(txn).await?;
    let due = due_date(txn, period).await?;
    let heads = Head::find_by_statement(stmt(
        "SELECT a.id AS account_id, a.number, a.holder_name, a.address, v.opening, v.charged, \
                v.charged + v.recalculation - v.benefit - v.subsidy AS current, v.paid, v.closing \
         FROM invoices v JOIN accounts a ON a.id = v.account_id \
         WHERE v.period = $1 AND v.account_id = ANY($2) ORDER BY a.number",
        vec![first.into(), accounts.to_vec().into()],
    ))
    .all(txn)
    .await?;
    let mut lines: HashMap<i64, Vec<PrintedLine>> = HashMap::new();
    for l in LineRow::find_by_statement(stmt(
        "SELECT l.account_id, s.name AS service, l.basis, l.quantity, l.tariff, l.charged, l.benefit, l.subsidy, \
                l.recalculation, l.penalty \
         FROM invoice_lines l JOIN services s ON s.id = l.service_id \
         WHERE l.period = $1 AND l.account_id = ANY($2) ORDER BY l.account_id, s.code",
        vec![first.into(), accounts.to_vec().into()],
    ))
    .all(txn)
    .await?
    {
        lines.entry(l.account_id).or_default().push(PrintedLine {
            service: l.service,
            quantity: qty(l.quantity),
            flag: l
                .basis
                .as_deref()
                .and_then(domain::readings::Basis::parse)
                .map(|b| b.flag().to_owned())
                .unwrap_or_default(),
            tariff: qty(l.tariff),
            charged: money(l.charged),
            benefit: money(l.benefit),
            subsidy: money(l.subsidy),
            recalculation: money(l.recalculation),
            penalty: money(l.penalty),
        });
    }
    let mut readings: HashMap<i64, Vec<PrintedReading>> = HashMap::new();
    for r in ReadingRow::find_by_statement(stmt(
        "SELECT m.account_id, m.serial, s.name AS service, r.previous, r.current \
         FROM readings r JOIN meters m ON m.id = r.meter_id JOIN services s ON s.id = m.service_id \
         WHERE r.period = $1 AND m.account_id = ANY($2) ORDER BY m.account_id, m.serial",
        vec![first.into(), accounts.to_vec().into()],
    ))
    .all(txn)
    .await?
    {
        readings
            .entry(r.account_id)
            .or_default()
            .push(PrintedReading {
                serial: r.serial,
                service: r.service,
                previous: qty(r.previous),
                current: qty(r.current),
            });
    }
    let mut codes = if portal {
        access::portal_codes::codes_for(txn, accounts, chrono::Utc::now()).await?
    } else {
        HashMap::new()
    };
    let mut agreements = registry::restructuring_kept::on_invoices(txn, accounts, period).await?;
    let mut late = late_extra(txn, period, accounts).await?;
    // A third party who pays for the account is the invoice's payer (and the QR's).
    let mut payers = registry::subscribers::payer_names(txn, accounts).await?;
    let payee = s.payee(currency);
    // A code a bank app would refuse is worse than none: without the requisites the
    // standard needs, the invoice prints no code (and the job says which are missing).
    let format = QrFormat::parse(&s.qr_format).filter(|_| s.qr_missing_fields().is_empty());
    Ok(heads
        .into_iter()
        .map(|h| {
            let payer = payers.remove(&h.account_id).unwrap_or(h.holder_name);
            let qr = format.map(|f| {
                payment_qr::payload(
                    f,
                    &payee,
                    &Request {
                        amount: h.closing,
                        account_number: h.number.clone(),
                        payer: payer.clone(),
                        address: h.address.clone(),
                        period: format!("{:02}{}", period.month(), period.year()),
                        purpose: s.purpose.clone(),
                    },
                )
            });
            InvoiceDoc {
                account_id: h.account_id,
                account_number: h.number,
                payer,
                address: h.address,
                period: period.to_string(),
                payee: payee.clone(),
                payee_address: s.address.clone(),
                lines: lines.remove(&h.account_id).unwrap_or_default(),
                readings: readings.remove(&h.account_id).unwrap_or_default(),
                opening: money(h.opening),
                charged: money(h.charged),
                paid: money(h.paid),
                closing: money(h.closing),
                due_on: due.format("%d.%m.%Y").to_string(),
                notes: s.notes.clone(),
                qr,
                portal_code: codes.remove(&h.account_id),
                to_pay_late: late
                    .remove(&h.account_id)
                    .map(|extra| money(h.closing.max(Decimal::ZERO) + extra)),
                agreement: agreements.remove(&h.account_id).map(|a| PrintedAgreement {
                    due: money(
                        (h.current.max(Decimal::ZERO) + a.instalment + a.behind)
                            .min(h.closing.max(Decimal::ZERO)),
                    ),
                    number: a.number,
                    month: a.month.to_string(),
                    instalment: money(a.instalment),
                    behind: money(a.behind),
                }),
            }
        })
        .collect())
}
