//! Pricing's sea-orm entities (tenant schema): the typed rows its plain CRUD writes, kept
//! apart from behaviour. Dated rows are written by upserts on their keys, which stay SQL;
//! the reference books are generic over their tables (`books.rs`) and stay SQL too.

pub mod norm;
pub mod tariff;
pub mod tariff_component;
