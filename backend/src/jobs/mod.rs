//! Background jobs: what they are (payloads in the library), how they are requested
//! (a row in the tenant's `jobs` table + a message on the Redis queue), and how their
//! state is read.
//!
//! The `jobs` row is the truth. The queue message carries only `(tenant, job id)`, so a
//! message delivered twice, or re-delivered after a worker died, finds the row and either
//! skips (already done) or carries on — jobs are safe to run twice.

pub mod claim_letters;
pub mod export;
pub mod list_export;
pub mod maintenance;
pub mod probe;
pub mod runner;
pub mod scheduled_report;
pub mod tenant_export;
pub mod tick;
pub mod worker;

pub use access::jobs::{sees_all_jobs, stored_reach, visible, within};
pub use platform::jobs::rows::{
    JobParams, JobState, PRIVATE_RESULT_KEYS, get, mark_failed, push_all, recent, record,
    record_as, record_each, recover,
};
pub use platform::jobs::{JobMessage, fair, queue};

use serde::{Deserialize, Serialize};

/// What a job does, with its parameters (stored as `jobs.params`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobKind {
    /// Writes the tenant's account list as CSV to the object store and e-mails it.
    /// `reach`: the requester's branches and buildings (empty = all).
    AccountsExport {
        email: String,
        #[serde(default)]
        reach: crate::auth::Reach,
    },
    /// Writes a list, filtered as the user had it, to an XLSX file in the object store.
    ListExport(Box<list_export::ListExport>),
    /// Applies an uploaded readings file to an open period.
    ReadingsImport(metering::jobs::readings_import::ReadingsImport),
    /// Calculates a period for a scope (invoices re-formed).
    Calculation(billing::jobs::calculation::Calculation),
    /// Closes the open period, with the chosen options.
    Closing(billing::jobs::calculation::Closing),
    /// Simulates a period's calculation for a scope (nothing written) against its invoices.
    Simulation(billing::jobs::simulation::SimulationJob),
    /// Computes the lines of an act over a branch or every account.
    ActLines(acts::jobs::ActLinesJob),
    /// Parses and posts an uploaded bank payment file.
    PaymentsImport(payments::jobs::payments_import::PaymentsImport),
    /// Renders a period's invoices as PDFs.
    InvoicePdf(documents::jobs::invoice_pdf::InvoicePdf),
    /// Exports a period's invoices as XML (the e-invoice export).
    InvoiceXml(documents::jobs::invoice_xml::InvoiceXml),
    /// Queues a period's invoices by e-mail, one job per message.
    InvoiceMailing(documents::jobs::invoice_mail::InvoiceMailing),
    /// Sends one invoice by e-mail.
    InvoiceMail(documents::jobs::invoice_mail::InvoiceMail),
    /// Queues a reminder run's messages, one job per message.
    ReminderMailing(documents::jobs::reminder_mail::ReminderMailing),
    /// Sends one reminder by e-mail.
    ReminderMail(documents::jobs::reminder_mail::ReminderMail),
    /// Waits a moment and finishes (or panics): the pickup-latency benchmark's and the
    /// fault drills' job.
    Probe(probe::Probe),
    /// The tenant's daily maintenance: residents recounted, old jobs and keys removed.
    Maintenance(maintenance::Maintenance),
    /// Forms a scheduled report for its slot and e-mails it.
    ScheduledReport(reports::schedules::ScheduledReport),
    /// Forms claim letters to debtors: mailed, or stacked in one PDF to print.
    ClaimLetters(reports::claims::ClaimLetters),
    /// Exports the whole tenant for the platform operator (its backup, zipped).
    TenantExport(crate::admin::platform::TenantExport),
    /// Checks or posts uploaded data-import files (accounts, residents, meters, balances).
    DataImport(imports::job::DataImport),
}

impl JobKind {
    /// The list a job reads or writes: viewing it is what reading the job's state and
    /// downloading its file need.
    pub fn document(&self) -> crate::auth::Document {
        use crate::auth::Document;
        match self {
            Self::AccountsExport { .. } => Document::Accounts,
            Self::ListExport(spec) => spec.list.document(),
            Self::ReadingsImport(_) => Document::Readings,
            Self::Calculation(_) | Self::Closing(_) | Self::Simulation(_) => Document::Invoices,
            Self::ActLines(_) => Document::Acts,
            Self::PaymentsImport(_) => Document::Payments,
            Self::InvoicePdf(_)
            | Self::InvoiceXml(_)
            | Self::InvoiceMailing(_)
            | Self::InvoiceMail(_) => Document::Invoices,
            Self::ReminderMailing(_) | Self::ReminderMail(_) => Document::Settings,
            Self::Probe(_) | Self::Maintenance(_) | Self::ScheduledReport(_) => Document::Reports,
            Self::ClaimLetters(_) => Document::Invoices,
            // The platform operator's: no tenant user lists it as theirs (it has no owner).
            Self::TenantExport(_) => Document::Users,
            Self::DataImport(spec) => spec.import.document(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::AccountsExport { .. } => "accounts_export",
            Self::ListExport(_) => "list_export",
            Self::ReadingsImport(_) => "readings_import",
            Self::Calculation(_) => "calculation",
            Self::Closing(_) => "closing",
            Self::Simulation(_) => "simulation",
            Self::ActLines(_) => "act_lines",
            Self::PaymentsImport(_) => "payments_import",
            Self::InvoicePdf(_) => "invoice_pdf",
            Self::InvoiceXml(_) => "invoice_xml",
            Self::InvoiceMailing(_) => "invoice_mailing",
            Self::InvoiceMail(_) => "invoice_mail",
            Self::ReminderMailing(_) => "reminder_mailing",
            Self::ReminderMail(_) => "reminder_mail",
            Self::Probe(_) => "probe",
            Self::Maintenance(_) => "maintenance",
            Self::ScheduledReport(_) => "scheduled_report",
            Self::ClaimLetters(_) => "claim_letters",
            Self::TenantExport(_) => "tenant_export",
            Self::DataImport(_) => "data_import",
        }
    }
}

impl JobParams for JobKind {
    fn kind(&self) -> &'static str {
        self.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use documents::jobs::reminder_mail::{ReminderMail, ReminderMailing};
    use platform::jobs::rows::JobParams;

    /// A context stores its job's parameters with their `kind` beside the fields
    /// (`JobParams::params`); the worker reads them back as `JobKind`. A payload field
    /// named `kind` would be lost to the tag, and the job could not be read back.
    #[test]
    fn jobs_stored_by_their_context_read_back_as_their_kind() {
        let run_on = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        let mailing = ReminderMailing {
            reminder: "readings".into(),
            run_on,
        };
        let mail = ReminderMail {
            reminder: "payment".into(),
            run_on,
            account_id: 7,
        };
        // As the context records them; the enum stored as itself reads back too.
        for (stored, kind, expected) in [
            (
                mailing.params(),
                mailing.kind(),
                JobKind::ReminderMailing(mailing.clone()),
            ),
            (
                mail.params(),
                mail.kind(),
                JobKind::ReminderMail(mail.clone()),
            ),
        ] {
            let stored = stored.ok();
            let read: Option<JobKind> = stored.and_then(|v| serde_json::from_value(v).ok());
            assert_eq!(read.as_ref().map(JobKind::name), Some(kind));
            assert_eq!(read, Some(expected.clone()));
            let as_enum = expected.params().ok();
            let back: Option<JobKind> = as_enum.and_then(|v| serde_json::from_value(v).ok());
            assert_eq!(back, Some(expected));
        }
    }
}
