//! Documents: invoice PDFs, the mail settings and the reminders.

pub mod invoice_pdf;
pub mod mail_settings;
pub mod reminders;
pub mod scope;
