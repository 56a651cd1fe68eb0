//! Pricing: the reference books and the price lists.

pub mod books;
pub mod heating;
pub mod moratoria;
pub mod prices;
