//! Subsidies of a closed month (seed 001 §5.3, DOMAIN.md "Acts"): the social office's
//! corrective file for a month already closed cannot change that month; each account's
//! rows become one **draft data-update act** over the account and the month, its subsidy
//! news the rows' amounts (± — a negative one takes off an earlier subsidy), made by the
//! employee chosen at upload. The acts recompute the month as every data-update act does
//! and book the difference into the open period once an accountant approves them. The
//! template's rules apply as for an open month; a row of an unknown account or service, or
//! of an account the act refuses (no invoice of the month changes…), is listed with why.

use domain::Period;
use rust_decimal::Decimal;
use sea_orm::FromQueryResult;
use serde_json::json;

use crate::post::{Ctx, Outcome, lines, refuse_lines};
use crate::read::Record;
use acts::data_update::ActSubsidy;
use acts::model::{ActKind, BasisDocument};
use acts::store::ActInput;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

pub(crate) async fn subsidies(
    ctx: &Ctx<'_>,
    records: &[Record],
    period: Period,
    executor: i32,
) -> AppResult<Outcome> {
    let mut checks = crate::post::stage_subsidies(ctx, records, period, true).await?;
    let (from, to) = (period.first_day(), period.last_day());

    // One act per account: its rows' amounts per service added up.
    #[derive(FromQueryResult)]
    struct Part {
        account_id: i64,
        service_id: i32,
        amount: Decimal,
        lines: Vec<i32>,
    }
    let parts = Part::find_by_statement(stmt(
        "SELECT i.account_id, v.id AS service_id, sum(i.amount) AS amount, array_agg(i.line ORDER BY i.line) AS lines \
         FROM imp_subsidies i JOIN services v ON v.code = i.service \
         GROUP BY i.account_id, v.id ORDER BY i.account_id, v.id",
        vec![],
    ))
    .all(ctx.txn)
    .await?;
    let mut accounts: std::collections::BTreeMap<i64, (Vec<i32>, Vec<ActSubsidy>)> =
        std::collections::BTreeMap::new();
    for p in parts {
        let (lines, news) = accounts.entry(p.account_id).or_default();
        lines.extend(p.lines);
        news.push(ActSubsidy {
            account_id: p.account_id,
            service_id: p.service_id,
            period: period.to_string(),
            amount: p.amount.to_string(),
        });
    }
    let (mut made, mut total) = (Vec::new(), Decimal::ZERO);
    for (account_id, (rows, news)) in accounts {
        let input = ActInput {
            account_id: Some(account_id),
            from: Some(from),
            to: Some(to),
            basis_document: Some(BasisDocument::Memo),
            executor_id: Some(executor),
            comment: Some(format!("subsidies {period}")),
            subsidies: news.clone(),
            ..ActInput::of(ActKind::DataUpdate)
        };
        match acts::store::create(ctx.txn, ctx.actor, ctx.now, &input, false).await {
            Ok(act) => {
                made.push(act.id);
                total += news
                    .iter()
                    .filter_map(|n| n.amount.parse::<Decimal>().ok())
                    .sum::<Decimal>();
            }
            Err(AppError::Validation { field, message }) => refuse_lines(
                &mut checks,
                rows.iter()
                    .map(|l| {
                        (
                            usize::try_from(*l).unwrap_or(0),
                            format!("{field}: {message}"),
                        )
                    })
                    .collect(),
            ),
            Err(e) => return Err(e),
        }
    }
    Ok(Outcome {
        refused: None,
        lines: lines(checks),
        totals: json!({"period": period.to_string(), "acts": made.len(), "actIds": made, "total": total}),
    })
}
