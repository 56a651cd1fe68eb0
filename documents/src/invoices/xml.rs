//! The e-invoice export: a period's issued invoices as XML in the product's documented
//! schema (`assets/einvoice/invoices-v1.xsd`, namespace `urn:utility-billing:invoices:1`),
//! read 5,000 accounts at a time. Text is escaped here; amounts keep their scale.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use super::document::InvoiceSettings;
use access::auth::Reach;
use platform::error::AppResult;
use platform::sql::stmt;

/// The schema the export follows (served with the product's docs and used by the tests).
pub const SCHEMA: &str = include_str!("../../assets/einvoice/invoices-v1.xsd");

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no place for other control characters.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn money(d: Decimal) -> String {
    let mut d = domain::money(d);
    d.rescale(2);
    d.to_string()
}

fn qty(d: Decimal) -> String {
    d.round_dp(4).normalize().to_string()
}

#[derive(FromQueryResult)]
struct Head {
    account_id: i64,
    number: String,
    holder_name: String,
    address: String,
    formed_at: DateTime<Utc>,
    opening: Decimal,
    charged: Decimal,
    recalculation: Decimal,
    benefit: Decimal,
    subsidy: Decimal,
    penalty: Decimal,
    paid: Decimal,
    closing: Decimal,
}

#[derive(FromQueryResult)]
struct LineRow {
    account_id: i64,
    service: String,
    basis: Option<String>,
    quantity: Decimal,
    tariff: Decimal,
    opening: Decimal,
    charged: Decimal,
    recalculation: Decimal,
    benefit: Decimal,
    subsidy: Decimal,
    penalty: Decimal,
    paid: Decimal,
    closing: Decimal,
}

#[derive(FromQueryResult)]
struct Id {
    account_id: i64,
}

fn amounts(a: [Decimal; 8]) -> String {
    let names = [
        "opening",
        "charged",
        "recalculation",
        "benefit",
        "subsidy",
        "penalty",
        "paid",
        "closing",
    ];
    names
        .iter()
        .zip(a)
        .map(|(n, v)| format!(" {n}=\"{}\"", money(v)))
        .collect()
}

/// The XML of every invoice of `period` within `reach`; returns it with the count.
pub async fn export(
    txn: &DatabaseTransaction,
    s: &InvoiceSettings,
    period: Period,
    currency: &str,
    due_day: u32,
    reach: &Reach,
) -> AppResult<(Vec<u8>, usize)> {
    let first = period.first_day();
    let within = reach
        .account_condition_of("a")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let ids: Vec<i64> = Id::find_by_statement(stmt(
        &format!(
            "SELECT v.account_id FROM invoices v JOIN accounts a ON a.id = v.account_id \
             WHERE v.period = $1{within} ORDER BY a.number"
        ),
        vec![first.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| r.account_id)
    .collect();
    let next = period.next();
    let due = NaiveDate::from_ymd_opt(next.year(), next.month(), due_day.clamp(1, next.days()))
        .unwrap_or(next.first_day());
    let mut out = String::with_capacity(ids.len() * 1200 + 1024);
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoices xmlns=\"urn:utility-billing:invoices:1\" period=\"{period}\" currency=\"{}\" count=\"{}\">\n",
        esc(currency),
        ids.len()
    ));
    out.push_str(&format!(
        "  <Supplier><Name>{}</Name><TaxCode>{}</TaxCode><Address>{}</Address><BankName>{}</BankName><Account>{}</Account>{}</Supplier>\n",
        esc(&s.legal_name),
        esc(&s.tax_code),
        esc(&s.address),
        esc(&s.bank_name),
        esc(&s.account),
        if s.bic.is_empty() { String::new() } else { format!("<Bic>{}</Bic>", esc(&s.bic)) }
    ));
    for chunk in ids.chunks(5000) {
        let heads = Head::find_by_statement(stmt(
            "SELECT a.id AS account_id, a.number, a.holder_name, a.address, v.formed_at, v.opening, v.charged, \
                    v.recalculation, v.benefit, v.subsidy, v.penalty, v.paid, v.closing \
             FROM invoices v JOIN accounts a ON a.id = v.account_id \
             WHERE v.period = $1 AND v.account_id = ANY($2) ORDER BY a.number",
            vec![first.into(), chunk.to_vec().into()],
        ))
        .all(txn)
        .await?;
        let lines = LineRow::find_by_statement(stmt(
            "SELECT l.account_id, s.name AS service, l.basis, l.quantity, l.tariff, l.opening, l.charged, \
                    l.recalculation, l.benefit, l.subsidy, l.penalty, l.paid, l.closing \
             FROM invoice_lines l JOIN services s ON s.id = l.service_id \
             WHERE l.period = $1 AND l.account_id = ANY($2) ORDER BY l.account_id, s.code",
            vec![first.into(), chunk.to_vec().into()],
        ))
        .all(txn)
        .await?;
        let mut by_account: std::collections::HashMap<i64, Vec<&LineRow>> =
            std::collections::HashMap::new();
        for l in &lines {
            by_account.entry(l.account_id).or_default().push(l);
        }
        for h in heads {
            out.push_str(&format!(
                "  <Invoice account=\"{}\" issued=\"{}\">\n    <Customer><Name>{}</Name><Address>{}</Address></Customer>\n",
                esc(&h.number),
                h.formed_at.format("%Y-%m-%dT%H:%M:%SZ"),
                esc(&h.holder_name),
                esc(&h.address)
            ));
            for l in by_account.remove(&h.account_id).unwrap_or_default() {
                let basis = l
                    .basis
                    .as_deref()
                    .and_then(domain::readings::Basis::parse)
                    .map(|b| format!(" basis=\"{}\"", b.code()))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "    <Line service=\"{}\" quantity=\"{}\"{basis} tariff=\"{}\"{}/>\n",
                    esc(&l.service),
                    qty(l.quantity),
                    qty(l.tariff),
                    amounts([
                        l.opening,
                        l.charged,
                        l.recalculation,
                        l.benefit,
                        l.subsidy,
                        l.penalty,
                        l.paid,
                        l.closing
                    ])
                ));
            }
            out.push_str(&format!(
                "    <Totals{}/>\n    <DueDate>{due}</DueDate>\n  </Invoice>\n",
                amounts([
                    h.opening,
                    h.charged,
                    h.recalculation,
                    h.benefit,
                    h.subsidy,
                    h.penalty,
                    h.paid,
                    h.closing
                ])
            ));
        }
    }
    out.push_str("</Invoices>\n");
    Ok((out.into_bytes(), ids.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            esc("ТОВ «A&B» <x> \"q\" 'a'\u{1}"),
            "ТОВ «A&amp;B» &lt;x&gt; &quot;q&quot; &apos;a&apos; "
        );
        assert_eq!(money(Decimal::new(5, 1)), "0.50");
        assert_eq!(qty(Decimal::new(123456789, 5)), "1234.5679");
        assert!(SCHEMA.contains("urn:utility-billing:invoices:1"));
    }
}
