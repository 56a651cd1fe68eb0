//! The registry's repositories (accounts now; subscribers, premises, buildings with the
//! registry issue). Functions take a tenant unit of work; callers have authorised it.

pub mod accounts;
pub mod addresses;
pub mod books;
pub mod subscribers;
