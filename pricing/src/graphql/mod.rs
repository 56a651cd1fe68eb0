//! Pricing's GraphQL resolvers: reference books, price lists, tariffs, norms, penalty
//! rates. The API crate merges their query and mutation objects into the schema.

pub mod books;
pub mod prices;
