//! The catalogue: which reports exist, the parameters each takes, and the input checked
//! into them (each refusal names its field). Every report needs `reports.view`; what it
//! reads is limited to the accounts within the user's reach, then to the branch or
//! building asked for.

use chrono::NaiveDate;
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::DatabaseTransaction;
use serde::{Deserialize, Serialize};

use crate::summary::Group;
use crate::table::ReportTable;
use access::auth::Reach;
use l10n::Lang;
use platform::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum ReportKind {
    /// The period's totals by service (сводная ведомость), reconciled with the closing.
    Summary,
    /// Accounts owing at least a threshold at the period's close, by the age of the debt.
    Debtors,
    /// Payments received in a date range, by day, kind and bank.
    PaymentRegister,
    /// The summary's columns by branch.
    ByBranch,
    /// Quantities and charges by service, method and tariff (реалізація).
    Sales,
    /// Every account's opening, charges, payments and closing (оборотно-сальдова).
    Turnover,
    /// Accounts by branch, type, state and meters, with residents.
    SubscriberCounts,
    /// Working meters by service and model: verification overdue and due, unread.
    Meters,
    /// Restructuring agreements signed in a date range.
    Restructurings,
    /// Every account with its holder, contacts, services, meters and balance.
    SubscriberInfo,
    /// The month's beneficiaries, person by person.
    Beneficiaries,
    /// The month's benefit categories: beneficiaries, members, accounts, benefit.
    BenefitCategories,
    /// Benefit and subsidy records the engine cannot apply as entered.
    BenefitErrors,
    /// Building meters against what the apartments were billed, with the trend.
    NonRevenueWater,
    /// The meters to read, controller by controller, in the order of the walk.
    RouteSheet,
    /// Electricity retail: contracts and annexes signed in a date range.
    RetailContracts,
}

impl ReportKind {
    pub const ALL: [ReportKind; 16] = [
        Self::Summary,
        Self::ByBranch,
        Self::Sales,
        Self::Turnover,
        Self::Debtors,
        Self::PaymentRegister,
        Self::SubscriberCounts,
        Self::Meters,
        Self::Restructurings,
        Self::SubscriberInfo,
        Self::Beneficiaries,
        Self::BenefitCategories,
        Self::BenefitErrors,
        Self::NonRevenueWater,
        Self::RouteSheet,
        Self::RetailContracts,
    ];

    /// The report's name in the catalogs.
    pub fn title_id(self) -> &'static str {
        match self {
            Self::Summary => "report-summary",
            Self::Debtors => "report-debtors",
            Self::PaymentRegister => "report-payment-register",
            Self::ByBranch => "report-by-branch",
            Self::Sales => "report-sales",
            Self::Turnover => "report-turnover",
            Self::SubscriberCounts => "report-subscriber-counts",
            Self::Meters => "report-meters",
            Self::Restructurings => "report-restructurings",
            Self::SubscriberInfo => "report-subscriber-info",
            Self::Beneficiaries => "report-beneficiaries",
            Self::BenefitCategories => "report-benefit-categories",
            Self::BenefitErrors => "report-benefit-errors",
            Self::NonRevenueWater => "report-non-revenue-water",
            Self::RouteSheet => "report-route-sheet",
            Self::RetailContracts => "report-retail-contracts",
        }
    }

    /// Whether the report is electricity retail's (else the water side's).
    pub fn electricity(self) -> bool {
        matches!(self, Self::RetailContracts)
    }

    /// Whether a tenant of `business_kind` uses the report: the water, housing and
    /// owners' kinds the water side's, electricity the trader's, `water_electricity` all.
    pub fn used_by(self, business_kind: &str) -> bool {
        match business_kind {
            "water_electricity" => true,
            "electricity" => self.electricity(),
            _ => !self.electricity(),
        }
    }

    /// The parameters its form shows (input field names).
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Self::Summary
            | Self::ByBranch
            | Self::Sales
            | Self::Turnover
            | Self::Meters
            | Self::Beneficiaries
            | Self::BenefitCategories
            | Self::BenefitErrors
            | Self::NonRevenueWater => &["period", "branchId", "buildingId"],
            Self::SubscriberCounts | Self::SubscriberInfo => &["branchId", "buildingId"],
            Self::RouteSheet => &["period", "controllerId", "branchId", "buildingId"],
            Self::Restructurings => &["from", "to", "branchId", "buildingId"],
            Self::Debtors => &["period", "branchId", "buildingId", "minDebt"],
            Self::PaymentRegister => &["from", "to", "branchId", "buildingId"],
            // A trader's customer stands in no building.
            Self::RetailContracts => &["from", "to", "branchId"],
        }
    }
}

/// A report asked for, as the form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, async_graphql::InputObject)]
#[serde(rename_all = "camelCase")]
pub struct ReportInput {
    pub kind: ReportKind,
    /// `YYYY-MM` (summary, debtors).
    pub period: Option<String>,
    /// A date range (payment register), both days included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub branch_id: Option<i32>,
    pub building_id: Option<i32>,
    /// Debtors: the least debt listed (text; none: anything above 0).
    pub min_debt: Option<String>,
    /// Route sheet: one controller's buildings (an employee marked as a controller).
    pub controller_id: Option<i32>,
}

/// The input checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub kind: ReportKind,
    pub period: Option<Period>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub branch: Option<i32>,
    pub building: Option<i32>,
    pub min_debt: Decimal,
    pub controller: Option<i32>,
}

impl Params {
    /// The month of a report that takes one.
    pub fn month(&self) -> AppResult<Period> {
        self.period
            .ok_or_else(|| AppError::validation("period", "is required"))
    }
}

/// Checks the input against the report's parameters.
pub fn check(input: &ReportInput) -> AppResult<Params> {
    let needs = input.kind.params();
    let period = if needs.contains(&"period") {
        Some(
            input
                .period
                .as_deref()
                .unwrap_or_default()
                .trim()
                .parse::<Period>()
                .map_err(|_| AppError::validation("period", "must look like 2026-11"))?,
        )
    } else {
        None
    };
    let (from, to) = if needs.contains(&"from") {
        let from = input
            .from
            .ok_or_else(|| AppError::validation("from", "is required"))?;
        let to = input
            .to
            .ok_or_else(|| AppError::validation("to", "is required"))?;
        if to < from {
            return Err(AppError::validation("to", "must not be before the start"));
        }
        if (to - from).num_days() > 366 {
            return Err(AppError::validation(
                "to",
                "must be at most a year after the start",
            ));
        }
        (Some(from), Some(to))
    } else {
        (None, None)
    };
    let min_debt = match input.min_debt.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() && needs.contains(&"minDebt") => {
            let d = platform::input::parse_amount("minDebt", t)?;
            if d < Decimal::ZERO {
                return Err(AppError::validation("minDebt", "must not be negative"));
            }
            d
        }
        _ => Decimal::new(1, 2),
    };
    Ok(Params {
        kind: input.kind,
        period,
        from,
        to,
        branch: input.branch_id,
        building: input.building_id,
        min_debt,
        controller: input
            .controller_id
            .filter(|_| needs.contains(&"controllerId")),
    })
}

/// The SQL condition on the accounts row `alias`: within reach, then the branch and the
/// building asked for (ids are typed integers, written as literals).
pub fn accounts_where(reach: &Reach, p: &Params, alias: &str) -> String {
    let mut w: Vec<String> = reach.account_condition_of(alias).into_iter().collect();
    if let Some(b) = p.branch {
        w.push(format!("{alias}.branch_id = {b}"));
    }
    if let Some(b) = p.building {
        w.push(format!(
            "{alias}.premises_id IN (SELECT id FROM premises WHERE building_id = {b})"
        ));
    }
    if w.is_empty() {
        "true".to_owned()
    } else {
        w.join(" AND ")
    }
}

/// The SQL condition on the buildings row `b`: within reach, then the branch and the
/// building asked for.
pub fn buildings_where(reach: &Reach, p: &Params) -> String {
    let mut w: Vec<String> = reach.building_condition("b").into_iter().collect();
    if let Some(x) = p.branch {
        w.push(format!("b.branch_id = {x}"));
    }
    if let Some(x) = p.building {
        w.push(format!("b.id = {x}"));
    }
    if w.is_empty() {
        "true".to_owned()
    } else {
        w.join(" AND ")
    }
}

/// A page of the report (`offset`, `limit`), with its totals over every row; `today`
/// for what depends on the day (an account closed, an instalment due).
#[allow(clippy::too_many_arguments)]
pub async fn run(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
    today: NaiveDate,
) -> AppResult<ReportTable> {
    let mut table = match p.kind {
        ReportKind::Summary => {
            crate::summary::table(txn, reach, lang, p, offset, limit, Group::Service).await?
        }
        ReportKind::ByBranch => {
            crate::summary::table(txn, reach, lang, p, offset, limit, Group::Branch).await?
        }
        ReportKind::Sales => crate::sales::table(txn, reach, lang, p, offset, limit).await?,
        ReportKind::Turnover => crate::turnover::table(txn, reach, lang, p, offset, limit).await?,
        ReportKind::Debtors => crate::debtors::table(txn, reach, lang, p, offset, limit).await?,
        ReportKind::PaymentRegister => {
            crate::payments::table(txn, reach, lang, p, offset, limit).await?
        }
        ReportKind::SubscriberCounts => {
            crate::counts::table(txn, reach, lang, p, offset, limit, today).await?
        }
        ReportKind::Meters => crate::meters::table(txn, reach, lang, p, offset, limit).await?,
        ReportKind::Restructurings => {
            crate::restructurings::table(txn, reach, lang, p, offset, limit, today).await?
        }
        ReportKind::SubscriberInfo => {
            crate::subscriber_info::table(txn, reach, lang, p, offset, limit, today).await?
        }
        ReportKind::Beneficiaries => {
            crate::benefits::beneficiaries(txn, reach, lang, p, offset, limit).await?
        }
        ReportKind::BenefitCategories => {
            crate::benefits::categories(txn, reach, lang, p, offset, limit).await?
        }
        ReportKind::BenefitErrors => {
            crate::benefits::errors(txn, reach, lang, p, offset, limit).await?
        }
        ReportKind::NonRevenueWater => {
            crate::water_balance::table(txn, reach, lang, p, offset, limit).await?
        }
        ReportKind::RouteSheet => {
            crate::route_sheet::table(txn, reach, lang, p, offset, limit).await?
        }
        ReportKind::RetailContracts => {
            crate::retail_contracts::table(txn, reach, lang, p, offset, limit).await?
        }
    };
    table.title = platform::i18n::text(lang, p.kind.title_id());
    Ok(table)
}
