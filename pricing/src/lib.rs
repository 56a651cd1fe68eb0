//! What prices a service: the reference books (services, units, tariff kinds…) and the
//! dated price lists, tariffs, norms and penalty rates. Functions take a tenant unit of
//! work; callers have authorised it.

pub mod books;
pub mod entities;
pub mod graphql;
pub mod heating;
pub mod prices;
