//! What an act is to its readers: its kind and status, the act as the register and the
//! form show it, and the lines it books.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColIdx, DbErr, FromQueryResult, QueryResult, TryGetError, TryGetable};
use serde::{Deserialize, Serialize};

/// The kinds of act this version makes (the table allows the ones still to come).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, async_graphql::Enum)]
pub enum ActKind {
    /// Recalculates closed months: the services not provided on some days (seed 002).
    Recalculation,
    /// Writes a debt off: one service, or every service in proportion to its debt.
    Storno,
    /// An operator's ± adjustment of one service with its reason (seed 000 «Корректировка»).
    Correction,
    /// A fine, charged on the service marked as the fine service (seed 000 «Штраф»).
    Fine,
    /// Corrects a meter's reading of a closed month (seed 002 «Акт коригування показань»).
    ReadingCorrection,
    /// Late news about closed months: dated records and subsidies (seed 002
    /// «Актуалізація даних»).
    DataUpdate,
}

impl ActKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Recalculation => "recalculation",
            Self::Storno => "storno",
            Self::Correction => "correction",
            Self::Fine => "fine",
            Self::ReadingCorrection => "reading_correction",
            Self::DataUpdate => "data_update",
        }
    }

    pub fn of(code: &str) -> Option<Self> {
        [
            Self::Recalculation,
            Self::Storno,
            Self::Correction,
            Self::Fine,
            Self::ReadingCorrection,
            Self::DataUpdate,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// The reasons book's `applies_to` a reason of this kind must have (fines have none).
    pub fn reasons(self) -> Option<&'static str> {
        match self {
            Self::Recalculation => Some("recalculation"),
            Self::Storno => Some("storno"),
            Self::Correction => Some("correction"),
            // Both recompute closed months like a recalculation and share its reasons.
            Self::ReadingCorrection | Self::DataUpdate => Some("recalculation"),
            Self::Fine => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum ActStatus {
    Draft,
    Approved,
}

impl ActStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Approved => "approved",
        }
    }

    pub fn of(code: &str) -> Option<Self> {
        [Self::Draft, Self::Approved]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A coded column read into its enum; a code the enum does not know is a type error (the
/// queries ask only for kinds this version makes).
fn coded<T>(
    res: &QueryResult,
    index: impl ColIdx,
    of: impl Fn(&str) -> Option<T>,
) -> Result<T, TryGetError> {
    let code = String::try_get_by(res, index)?;
    of(&code).ok_or_else(|| TryGetError::DbErr(DbErr::Type(format!("unknown code {code}"))))
}

impl TryGetable for ActKind {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        coded(res, index, Self::of)
    }
}

impl TryGetable for ActStatus {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        coded(res, index, Self::of)
    }
}

/// The document a recalculation rests on (seed 002's list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum BasisDocument {
    HeatingOff,
    Memo,
    OwnerChange,
    TemperatureRegime,
    LowTemperature,
    Interruption,
    DailyAverage,
    BuildingOff,
}

impl BasisDocument {
    const ALL: [Self; 8] = [
        Self::HeatingOff,
        Self::Memo,
        Self::OwnerChange,
        Self::TemperatureRegime,
        Self::LowTemperature,
        Self::Interruption,
        Self::DailyAverage,
        Self::BuildingOff,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::HeatingOff => "heating_off",
            Self::Memo => "memo",
            Self::OwnerChange => "owner_change",
            Self::TemperatureRegime => "temperature_regime",
            Self::LowTemperature => "low_temperature",
            Self::Interruption => "interruption",
            Self::DailyAverage => "daily_average",
            Self::BuildingOff => "building_off",
        }
    }

    pub fn of(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.code() == code)
    }
}

impl TryGetable for BasisDocument {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        coded(res, index, Self::of)
    }
}

/// An act with the names of what it points at and the sum of its lines.
#[derive(Debug, Clone, Serialize, FromQueryResult, async_graphql::SimpleObject)]
#[serde(rename_all = "camelCase")]
pub struct Act {
    pub id: i64,
    pub number: i64,
    pub kind: ActKind,
    pub status: ActStatus,
    /// The open period it is booked in, `YYYY-MM`.
    pub period: String,
    pub act_date: NaiveDate,
    pub account_id: Option<i64>,
    pub account_number: Option<String>,
    pub address: Option<String>,
    /// A recalculation act over a building's accounts.
    pub building_id: Option<i32>,
    pub building: Option<String>,
    /// Over a branch's accounts, or every account.
    pub branch_id: Option<i32>,
    pub branch: Option<String>,
    pub all_accounts: bool,
    /// Consumers 1 and 2 (seed 002): accounts the act concerns besides its scope, by
    /// number and holder.
    pub consumer1_account_id: Option<i64>,
    pub consumer1: Option<String>,
    pub consumer2_account_id: Option<i64>,
    pub consumer2: Option<String>,
    /// Its lines are being computed by the job `jobId` (it cannot be approved yet).
    pub computing: bool,
    pub job_id: Option<String>,
    /// A recalculation act: the services of this calculation method (none: all).
    pub method: Option<String>,
    /// A recalculation act: the days the services were not provided.
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
    pub basis_document: Option<BasisDocument>,
    /// A reading correction: the meter, the closed month (`YYYY-MM`), the reading as it
    /// stood and the corrected value.
    pub meter_id: Option<i64>,
    pub meter: Option<String>,
    pub reading_period: Option<String>,
    pub reading_was: Option<Decimal>,
    pub reading_value: Option<Decimal>,
    pub service_id: Option<i32>,
    pub service: Option<String>,
    pub reason_id: Option<i32>,
    pub reason: Option<String>,
    pub executor_id: Option<i32>,
    pub executor: Option<String>,
    /// What the user entered: the amount written off (storno), the ± correction, the fine.
    pub amount: Option<Decimal>,
    pub comment: String,
    /// Σ of its lines: what it does to the balance (negative takes off the debt).
    pub total: Decimal,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// False once its period is closed: nothing about it can change any more.
    pub editable: bool,
    /// The open month its lines were computed in (a draft carried past a closing must be
    /// saved again before it is approved).
    #[graphql(skip)]
    #[serde(skip)]
    pub computed_in: Option<NaiveDate>,
}

/// The act's columns with the names they point at, for `FROM acts x` (the register adds
/// its filters). `editable`: the act's period is still open.
pub(crate) const SELECT: &str = "SELECT x.id, x.number, x.kind, x.status, to_char(x.period, 'YYYY-MM') AS period, \
        x.act_date, x.account_id, a.number AS account_number, a.address, x.building_id, \
        (SELECT st.name || ', ' || bd.number FROM buildings bd JOIN streets st ON st.id = bd.street_id WHERE bd.id = x.building_id) AS building, \
        x.branch_id, (SELECT b.name FROM branches b WHERE b.id = x.branch_id) AS branch, x.all_accounts, \
        x.consumer1_account_id, (SELECT c.number || ' · ' || c.holder_name FROM accounts c WHERE c.id = x.consumer1_account_id) AS consumer1, \
        x.consumer2_account_id, (SELECT c.number || ' · ' || c.holder_name FROM accounts c WHERE c.id = x.consumer2_account_id) AS consumer2, \
        x.computing, x.job_id::text AS job_id, x.method, x.from_date, x.to_date, x.basis_document, x.meter_id, \
        (SELECT m.serial FROM meters m WHERE m.id = x.meter_id) AS meter, \
        to_char(x.reading_period, 'YYYY-MM') AS reading_period, x.reading_was, x.reading_value, x.service_id, s.name AS service, \
        x.reason_id, r.name AS reason, x.executor_id, e.name AS executor, x.amount, x.comment, \
        coalesce((SELECT sum(l.amount) FROM act_lines l WHERE l.act_id = x.id), 0) AS total, \
        x.created_by, x.created_at, x.approved_by, x.approved_at, \
        EXISTS (SELECT 1 FROM periods p WHERE p.month = x.period AND p.state = 'open') AS editable, x.computed_in \
     FROM acts x LEFT JOIN accounts a ON a.id = x.account_id LEFT JOIN services s ON s.id = x.service_id \
     LEFT JOIN recalculation_reasons r ON r.id = x.reason_id LEFT JOIN employees e ON e.id = x.executor_id";

/// One line an act books: the amount on a service of an account and why.
#[derive(Debug, Clone, Serialize, FromQueryResult, async_graphql::SimpleObject)]
#[serde(rename_all = "camelCase")]
pub struct ActLine {
    pub account_id: i64,
    pub account_number: String,
    pub service_id: i32,
    pub service: String,
    pub amount: Decimal,
    /// `[{kind, args, value}]` as on invoice lines.
    pub steps: serde_json::Value,
}

/// A closed month an act recomputed for an account: the issued invoice it corrects (the
/// Specification tab), the service, the net charge compared against and recomputed.
#[derive(Debug, Clone, Serialize, FromQueryResult, async_graphql::SimpleObject)]
#[serde(rename_all = "camelCase")]
pub struct ActMonth {
    pub account_id: i64,
    pub account_number: String,
    /// `YYYY-MM`.
    pub period: String,
    /// The issued invoice of the account and month (None when it was since removed).
    pub invoice_id: Option<i64>,
    pub service_id: i32,
    pub service: String,
    pub was: Decimal,
    pub now: Decimal,
}

/// A building's house meter, as a top-up names it.
#[derive(Debug, Clone, Serialize, FromQueryResult, async_graphql::SimpleObject)]
#[serde(rename_all = "camelCase")]
pub struct HouseMeter {
    pub id: i64,
    pub serial: String,
    pub service: String,
}
