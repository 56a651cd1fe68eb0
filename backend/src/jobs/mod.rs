//! Background jobs: what they are (payloads in the library), how they are requested
//! (a row in the tenant's `jobs` table + a message on the Redis queue), and how their
//! state is read.
//!
//! The `jobs` row is the truth. The queue message carries only `(tenant, job id)`, so a
//! message delivered twice, or re-delivered after a worker died, finds the row and either
//! skips (already done) or carries on — jobs are safe to run twice.

pub mod calculation;
pub mod export;
pub mod invoice_mail;
pub mod invoice_pdf;
pub mod invoice_xml;
pub mod list_export;
pub mod maintenance;
pub mod payments_import;
pub mod probe;
pub mod reminder_mail;
pub mod runner;
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
    ListExport(list_export::ListExport),
    /// Applies an uploaded readings file to an open period.
    ReadingsImport(metering::jobs::readings_import::ReadingsImport),
    /// Calculates a period for a scope (invoices re-formed).
    Calculation(calculation::Calculation),
    /// Closes the open period, with the chosen options.
    Closing(calculation::Closing),
    /// Parses and posts an uploaded bank payment file.
    PaymentsImport(payments_import::PaymentsImport),
    /// Renders a period's invoices as PDFs.
    InvoicePdf(invoice_pdf::InvoicePdf),
    /// Exports a period's invoices as XML (the e-invoice export).
    InvoiceXml(invoice_xml::InvoiceXml),
    /// Queues a period's invoices by e-mail, one job per message.
    InvoiceMailing(invoice_mail::InvoiceMailing),
    /// Sends one invoice by e-mail.
    InvoiceMail(invoice_mail::InvoiceMail),
    /// Queues a reminder run's messages, one job per message.
    ReminderMailing(reminder_mail::ReminderMailing),
    /// Sends one reminder by e-mail.
    ReminderMail(reminder_mail::ReminderMail),
    /// Waits a moment and finishes (or panics): the pickup-latency benchmark's and the
    /// fault drills' job.
    Probe(probe::Probe),
    /// The tenant's daily maintenance: residents recounted, old jobs and keys removed.
    Maintenance(maintenance::Maintenance),
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
            Self::Calculation(_) | Self::Closing(_) => Document::Invoices,
            Self::PaymentsImport(_) => Document::Payments,
            Self::InvoicePdf(_)
            | Self::InvoiceXml(_)
            | Self::InvoiceMailing(_)
            | Self::InvoiceMail(_) => Document::Invoices,
            Self::ReminderMailing(_) | Self::ReminderMail(_) => Document::Settings,
            Self::Probe(_) | Self::Maintenance(_) => Document::Reports,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::AccountsExport { .. } => "accounts_export",
            Self::ListExport(_) => "list_export",
            Self::ReadingsImport(_) => "readings_import",
            Self::Calculation(_) => "calculation",
            Self::Closing(_) => "closing",
            Self::PaymentsImport(_) => "payments_import",
            Self::InvoicePdf(_) => "invoice_pdf",
            Self::InvoiceXml(_) => "invoice_xml",
            Self::InvoiceMailing(_) => "invoice_mailing",
            Self::InvoiceMail(_) => "invoice_mail",
            Self::ReminderMailing(_) => "reminder_mailing",
            Self::ReminderMail(_) => "reminder_mail",
            Self::Probe(_) => "probe",
            Self::Maintenance(_) => "maintenance",
        }
    }
}

impl JobParams for JobKind {
    fn kind(&self) -> &'static str {
        self.name()
    }
}
