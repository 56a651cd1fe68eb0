//! Documents' GraphQL resolvers: invoices (PDF, XML, mailing), the mail settings and the
//! reminder settings and runs.

pub mod enterprise;
pub mod invoices;
pub mod mail;
pub mod reminders;
