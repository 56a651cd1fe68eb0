//! Documents' jobs: rendering a period's invoices as PDF, exporting them as XML, mailing
//! them (one job per message), and reminder runs (one job per message).

pub mod invoice_mail;
pub mod invoice_pdf;
pub mod invoice_xml;
pub mod reminder_mail;
