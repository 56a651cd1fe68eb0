//! Documents: invoices as documents (the printable form, its PDF with the payment QR
//! code, the e-invoice XML), sending them by e-mail with the tenant's mail settings, and
//! reminders (schedules, runs, messages); with their resolvers and jobs.

pub mod enterprise;
pub mod entities;
pub mod graphql;
pub mod invoices;
pub mod jobs;
pub mod letter;
pub mod mail_settings;
pub mod print_table;
pub mod reminders;
pub mod statement;
