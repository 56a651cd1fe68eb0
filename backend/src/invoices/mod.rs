//! Invoices as documents: what an invoice prints (`document`), the PDF (`pdf`).

pub mod document;
pub mod pdf;
