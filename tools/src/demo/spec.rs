//! What a demo tenant is made of, as data: its houses and apartments, the people living
//! there and how they pay, the company on a contract, the price list and requisites. One
//! `Spec` per jurisdiction (`ua.rs`, `ru.rs`); the seeding steps read it and put it through
//! the product's own use cases.

use backend::tenants::NewTenant;

/// The metering an apartment has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kit {
    /// No meters: cold (and hot) water by the norm (basis Р).
    None,
    /// A cold-water meter; hot water, where the house has it, by the norm.
    Cold,
    /// Cold- and hot-water meters.
    ColdHot,
}

/// How a household pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    /// The whole bill every month.
    Prompt,
    /// The whole bill every other month.
    Late,
    /// A round sum, about two thirds of the bill.
    Partial,
    /// Nothing (a debtor; penalties grow).
    Debtor,
    /// The bill rounded up, with something ahead.
    Advance,
}

/// What happens in an apartment during the demo's months (each shows a rule at work).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    /// A resident holds a benefit (a reference book code); `family`: it extends to the
    /// others living there.
    Benefit { code: &'static str, family: bool },
    /// A monthly heating subsidy of this amount in each of the last three months.
    Subsidy(&'static str),
    /// A debt restructuring agreement signed in the second month.
    Restructuring(&'static str),
    /// The cold-water meter is taken out at the end of the second month and not replaced:
    /// daily-average consumption (СС) afterwards.
    MeterRemoved,
    /// No cold-water meter until the third month, when one is installed: the norm (Р)
    /// until it is read.
    MeterInstalled,
    /// The meters are not read in the last closed month: the monthly average (СМ).
    SilentLastMonth,
    /// A resident of this name moves in on the 15th of the second month (day-weighted).
    MovesIn(&'static str),
    /// The last family member moves out on the 10th of the third month.
    MovesOut,
    /// Exempt from penalties.
    NoPenalty,
    /// Submits readings through the subscriber portal.
    Portal,
    /// In the open month types a reading with a slip of the finger (thirty times the
    /// month's consumption) in the portal: held for the office's review.
    HeldReading,
    /// In the open month the accountant writes this much of the debt off by a storno act
    /// over every service (approved), and drafts another on sewerage alone.
    Storno(&'static str),
    /// In the open month a fine of this amount (the fine service) is entered on the card.
    Fine(&'static str),
    /// In the open month the social office's news arrives: a cold-water subsidy of this
    /// amount for the last closed month (it cancels that month's benefit) — a data-update
    /// act, approved.
    LateSubsidy(&'static str),
    /// The cold-water reading of the second closed month was typed short: in the open
    /// month a reading-correction act puts it halfway to the next reading (a draft).
    ReadingSlip,
    /// A third party pays for the flat: the demo's company, for its employee's home (the
    /// account card's payer; the invoice names the company as the payer).
    PaidByCompany,
    /// In the open month the owner sells the flat and the account is closed on the 3rd
    /// keeping its debt (for collection).
    ClosedKeepingDebt,
}

/// A house of the demo.
#[derive(Debug, Clone, Copy)]
pub struct House {
    /// The branch's code.
    pub branch: &'static str,
    pub region: &'static str,
    pub locality: &'static str,
    pub street_kind: &'static str,
    pub street: &'static str,
    pub number: &'static str,
    /// First and last apartment number; (0, 0) = none (premises for a company).
    pub apartments: (i32, i32),
    pub floors: i32,
    pub entrances: i32,
    pub lifts: i32,
    pub year_built: i32,
    /// A house cold-water meter above the apartments (the common-house share).
    pub house_meter: bool,
    /// Service codes every account in the house has.
    pub services: &'static [&'static str],
}

/// An apartment and its household.
#[derive(Debug, Clone, Copy)]
pub struct Flat {
    /// Index into `Spec::houses`.
    pub house: usize,
    pub apartment: &'static str,
    pub account: &'static str,
    /// Last, first and middle name of the account holder.
    pub holder: [&'static str; 3],
    /// The others living there, full names.
    pub family: &'static [&'static str],
    pub rooms: i32,
    /// Total area, m² (text as an operator types it).
    pub area: &'static str,
    pub kit: Kit,
    pub payer: Payer,
    /// The balance taken over from the previous system at go-live (negative: paid ahead).
    pub taken_over: &'static str,
    pub email: &'static str,
    pub story: &'static [Story],
}

impl Flat {
    /// The riser of its apartment in the riser house: 1 for odd numbers, else 2.
    pub fn riser(&self) -> i32 {
        if self.apartment.parse::<i32>().unwrap_or(0) % 2 == 1 {
            1
        } else {
            2
        }
    }
}

/// A flat of a demo's table (one line each in `ua.rs` and `ru.rs`).
#[allow(clippy::too_many_arguments)]
pub const fn flat(
    house: usize,
    apartment: &'static str,
    account: &'static str,
    holder: [&'static str; 3],
    family: &'static [&'static str],
    (rooms, area): (i32, &'static str),
    kit: Kit,
    payer: Payer,
    taken_over: &'static str,
    email: &'static str,
    story: &'static [Story],
) -> Flat {
    Flat {
        house,
        apartment,
        account,
        holder,
        family,
        rooms,
        area,
        kit,
        payer,
        taken_over,
        email,
        story,
    }
}

/// A metering point of the company's contract and its meter.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    pub name: &'static str,
    pub serial: &'static str,
    /// Cubic metres a month.
    pub monthly: i64,
}

/// The legal entity on a contract.
#[derive(Debug, Clone, Copy)]
pub struct Company {
    pub name: &'static str,
    pub tax_id: &'static str,
    pub legal_address: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    /// Index into `Spec::houses`; the contract's account opens at its premises "1".
    pub house: usize,
    pub contract: &'static str,
    pub signed_on: (i32, u32, u32),
    pub account: &'static str,
    pub points: &'static [Point],
}

/// Texts the seeding writes into records, in the tenant's language.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub benefit_document: &'static str,
    pub bank_statement: &'static str,
    pub batch_comment: &'static str,
    pub meter_place: &'static str,
    pub house_meter_place: &'static str,
    pub point_meter_place: &'static str,
    pub removal_comment: &'static str,
    pub storno_comment: &'static str,
    pub recalculation_comment: &'static str,
    pub fine_comment: &'static str,
    pub late_subsidy_comment: &'static str,
    /// The notice a debtor got before a restructuring (a debt case's comment).
    pub debt_notice_comment: &'static str,
    pub reading_slip_comment: &'static str,
}

/// The bank files a tenant's banks send: which shipped template reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankFile {
    /// A spreadsheet with a header row (the shipped XLSX template).
    Spreadsheet,
    /// The `#FILESUM` registry in cp1251 (the shipped CSV template).
    Registry,
}

/// One demo tenant.
pub struct Spec {
    pub tenant: fn(domain::TenantSlug) -> NewTenant,
    pub country: &'static str,
    /// The language of the tenant's staff (job results, protocols).
    pub lang: &'static str,
    pub branches: &'static [(&'static str, &'static str)],
    /// Reference data (services, seasons, price list, tariffs with components, norms, the
    /// rate table, benefits, banks, meter models) and settings (billing, requisites,
    /// reminders), as SQL run once in the tenant's schema. `{T0}` (two years before
    /// go-live), `{T1}` (the first day of the last closed month: a tariff rise) and
    /// `{Y}` (the go-live year) are replaced by dates.
    pub catalog: &'static str,
    pub houses: &'static [House],
    /// The house whose apartments stand on two risers, riser 1 (odd apartments) with a
    /// main meter of its own between the house meter and their meters.
    pub riser_house: Option<usize>,
    pub flats: &'static [Flat],
    pub company: Company,
    pub words: Words,
    pub bank_file: BankFile,
    /// Codes of the banks (reference book): the bank of manual bank payments, the post
    /// office that sends batches, the bank that sends the file.
    pub banks: (&'static str, &'static str, &'static str),
    pub portal: super::users::PortalUser,
}
