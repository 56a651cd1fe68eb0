//! The reconciliation statement (акт звірки) of one account over a range of months: the
//! opening balance, every charge, recalculation, benefit, subsidy and penalty of each
//! month (one row per kind and month, dated the month's last day) and every payment with
//! its document (dated when received), the totals and the closing balance — which, when
//! the months' invoices are formed, is the last invoice's closing. Rows come from the
//! account's history (`history`), so both say the same. Rendered as XLSX here and as PDF
//! by `documents::statement`.

use chrono::NaiveDate;
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::history::{self, Filter, HistoryKind};
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::sql::stmt;

/// One row: what happened, when, by which document, and on which side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    pub on: NaiveDate,
    pub kind: HistoryKind,
    /// A payment's source code (`bank`, `cash_desk`) and its document (bank, statement).
    pub source: Option<String>,
    pub document: String,
    /// What adds to the debt (charges, penalties, a positive recalculation).
    pub debit: Decimal,
    /// What takes from it (payments, benefits, subsidies, a negative recalculation).
    pub credit: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub number: String,
    pub holder: String,
    pub address: String,
    pub from: Period,
    pub to: Period,
    pub opening: Decimal,
    pub rows: Vec<StatementRow>,
    pub debit: Decimal,
    pub credit: Decimal,
    pub closing: Decimal,
}

#[derive(FromQueryResult)]
struct Head {
    number: String,
    holder_name: String,
    address: String,
    opening: Option<Decimal>,
    first: Option<NaiveDate>,
}

/// The statement of `account` for the months `from`..=`to` (None: from its first invoice,
/// to the working month `open`).
pub async fn build(
    txn: &DatabaseTransaction,
    account: i64,
    from: Option<Period>,
    to: Option<Period>,
    open: Period,
) -> AppResult<Statement> {
    let head = Head::find_by_statement(stmt(
        "SELECT a.number, a.holder_name, a.address, \
                (SELECT min(period) FROM invoices WHERE account_id = a.id) AS first, \
                NULL::numeric AS opening FROM accounts a WHERE a.id = $1",
        vec![account.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {account} does not exist")))?;
    let to = to.unwrap_or(open);
    let from = match (from, head.first) {
        (Some(f), _) => f,
        (None, Some(first)) => Period::containing(first).unwrap_or(to),
        (None, None) => to,
    };
    if to < from {
        return Err(AppError::validation("to", "must not be before the start"));
    }
    // The balance the first month opened with: its invoice's opening, else the closing
    // of the latest invoice before it (nothing formed yet for that month).
    let opening = Head::find_by_statement(stmt(
        "SELECT '' AS number, '' AS holder_name, '' AS address, NULL::date AS first, \
                coalesce((SELECT opening FROM invoices WHERE account_id = $1 AND period = $2), \
                         (SELECT closing FROM invoices WHERE account_id = $1 AND period < $2 \
                          ORDER BY period DESC LIMIT 1), 0) AS opening",
        vec![account.into(), from.first_day().into()],
    ))
    .one(txn)
    .await?
    .and_then(|h| h.opening)
    .unwrap_or_default();
    let filter = Filter {
        from: Some(from.first_day()),
        to: Some(to.first_day()),
        kinds: Vec::new(),
        service_id: None,
    };
    let found = history::page(txn, account, &filter, 0, u64::from(u32::MAX)).await?;
    let mut rows: Vec<StatementRow> = Vec::new();
    for h in found.items.into_iter().filter(|h| !h.cancelled) {
        let side = |amount: Decimal| {
            if amount >= Decimal::ZERO {
                (amount, Decimal::ZERO)
            } else {
                (Decimal::ZERO, -amount)
            }
        };
        if h.kind == HistoryKind::Payment {
            let (debit, credit) = side(h.amount);
            rows.push(StatementRow {
                on: h.on,
                kind: h.kind,
                source: h.source,
                document: h.document.unwrap_or_default(),
                debit,
                credit,
            });
            continue;
        }
        // A month's lines of one kind make one row, dated the month's last day.
        let on = Period::containing(h.period).map_or(h.period, Period::last_day);
        match rows
            .iter_mut()
            .find(|r| r.kind == h.kind && r.on == on && r.document.is_empty())
        {
            Some(r) => {
                let net = r.debit - r.credit + h.amount;
                (r.debit, r.credit) = side(net);
            }
            None => {
                let (debit, credit) = side(h.amount);
                rows.push(StatementRow {
                    on,
                    kind: h.kind,
                    source: None,
                    document: String::new(),
                    debit,
                    credit,
                });
            }
        }
    }
    rows.retain(|r| !(r.debit.is_zero() && r.credit.is_zero()));
    rows.sort_by(|a, b| a.on.cmp(&b.on).then(order(a.kind).cmp(&order(b.kind))));
    let debit: Decimal = rows.iter().map(|r| r.debit).sum();
    let credit: Decimal = rows.iter().map(|r| r.credit).sum();
    Ok(Statement {
        number: head.number,
        holder: head.holder_name,
        address: head.address,
        from,
        to,
        opening,
        rows,
        debit,
        credit,
        closing: opening + debit - credit,
    })
}

/// The order of a month's rows: charges first, payments last.
fn order(k: HistoryKind) -> u8 {
    match k {
        HistoryKind::Charge => 0,
        HistoryKind::Recalculation => 1,
        HistoryKind::Benefit => 2,
        HistoryKind::Subsidy => 3,
        HistoryKind::Penalty => 4,
        HistoryKind::Payment => 5,
    }
}

/// A row's operation in words: the kind, and for a month's row the month.
pub fn operation(lang: Lang, r: &StatementRow) -> String {
    let kind = l10n::code_label(lang, "HistoryKind", r.kind.code());
    if r.kind == HistoryKind::Payment {
        kind
    } else {
        format!("{kind} {}", r.on.format("%Y-%m"))
    }
}

/// A row's document in words: a payment's source and its bank and statement.
pub fn document(lang: Lang, r: &StatementRow) -> String {
    match &r.source {
        Some(s) if r.document.is_empty() => l10n::code_label(lang, "payments_kind", s),
        Some(s) => format!(
            "{} · {}",
            l10n::code_label(lang, "payments_kind", s),
            r.document
        ),
        None => r.document.clone(),
    }
}

/// The statement's words in `lang` (the tenant's): title, heads, columns, signatures.
pub fn words(lang: Lang) -> std::collections::HashMap<&'static str, String> {
    [
        "statement-title",
        "statement-account",
        "statement-holder",
        "statement-address",
        "statement-months",
        "statement-date",
        "statement-operation",
        "statement-document",
        "statement-debit",
        "statement-credit",
        "statement-opening",
        "statement-turnover",
        "statement-closing",
        "statement-supplier-signature",
        "statement-subscriber-signature",
    ]
    .into_iter()
    .map(|id| (id, i18n::text(lang, id)))
    .collect()
}

/// The statement as a spreadsheet.
pub fn xlsx(s: &Statement, lang: Lang) -> AppResult<Vec<u8>> {
    use rust_decimal::prelude::ToPrimitive;
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let w = words(lang);
    let t = |id: &str| w.get(id).cloned().unwrap_or_default();
    let money = rust_xlsxwriter::Format::new().set_num_format("#,##0.00");
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let n = |d: Decimal| d.to_f64().unwrap_or_default();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string_with_format(0, 0, t("statement-title"), &bold)
        .map_err(err)?;
    let head = [
        ("statement-account", s.number.clone()),
        ("statement-holder", s.holder.clone()),
        ("statement-address", s.address.clone()),
        ("statement-months", format!("{} — {}", s.from, s.to)),
    ];
    for (r, (k, v)) in (1u32..).zip(head) {
        ws.write_string(r, 0, t(k)).map_err(err)?;
        ws.write_string(r, 1, v).map_err(err)?;
    }
    let top = 6u32;
    let columns = [
        "statement-date",
        "statement-operation",
        "statement-document",
        "statement-debit",
        "statement-credit",
    ];
    for (c, h) in (0u16..).zip(columns) {
        ws.write_string_with_format(top, c, t(h), &bold)
            .map_err(err)?;
    }
    ws.write_string(top + 1, 1, t("statement-opening"))
        .map_err(err)?;
    ws.write_number_with_format(top + 1, 3, n(s.opening), &money)
        .map_err(err)?;
    let mut r = top + 2;
    for row in &s.rows {
        ws.write_string(r, 0, row.on.to_string()).map_err(err)?;
        ws.write_string(r, 1, operation(lang, row)).map_err(err)?;
        ws.write_string(r, 2, document(lang, row)).map_err(err)?;
        ws.write_number_with_format(r, 3, n(row.debit), &money)
            .map_err(err)?;
        ws.write_number_with_format(r, 4, n(row.credit), &money)
            .map_err(err)?;
        r += 1;
    }
    ws.write_string_with_format(r, 1, t("statement-turnover"), &bold)
        .map_err(err)?;
    ws.write_number_with_format(r, 3, n(s.debit), &money)
        .map_err(err)?;
    ws.write_number_with_format(r, 4, n(s.credit), &money)
        .map_err(err)?;
    ws.write_string_with_format(r + 1, 1, t("statement-closing"), &bold)
        .map_err(err)?;
    ws.write_number_with_format(r + 1, 3, n(s.closing), &money)
        .map_err(err)?;
    ws.write_string(r + 3, 0, t("statement-supplier-signature"))
        .map_err(err)?;
    ws.write_string(r + 3, 3, t("statement-subscriber-signature"))
        .map_err(err)?;
    ws.autofit();
    wb.save_to_buffer().map_err(err)
}
