//! Payments' sea-orm entities (tenant schema): the typed rows its plain CRUD writes, kept
//! apart from behaviour. Entry, batches and file imports stay SQL (balances move in the
//! same statements, and imports write in bulk).

pub mod payment_template;
