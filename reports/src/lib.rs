//! Reports (docs/reports.md): the catalogue a user may run, each a table — columns with
//! their kind, rows, a totals row — read from the tenant's invoices, payments and registry
//! within the user's reach and the report's own filters. The screen shows a page of it;
//! the list-export job writes the whole of it to XLSX, page by page.

pub mod benefits;
pub mod catalog;
pub mod claims;
pub mod counts;
pub mod dashboard;
pub mod debtors;
pub mod graphql;
pub mod menu_dashboards;
pub mod meters;
pub mod moratoria;
pub mod payments;
pub mod penalty;
pub mod penalty_print;
pub mod print;
pub mod query;
pub mod restructurings;
pub mod retail_contracts;
pub mod route_sheet;
pub mod sales;
pub mod schedule_api;
pub mod schedules;
pub mod subscriber_info;
pub mod summary;
pub mod table;
pub mod turnover;
pub mod water_balance;
