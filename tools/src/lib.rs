//! Tools around the product, not in it: the demo seed, the account generator, the
//! benchmarks and the fault drills. They drive the contexts' use cases the way a user or an
//! operator would; the `backend` server and the `worker` do not contain them.

pub mod bench;
pub mod bench_acts;
pub mod bench_billing;
pub mod bench_edits;
pub mod bench_imports;
pub mod bench_invoices;
pub mod bench_jobs;
pub mod bench_mail;
pub mod bench_meters;
pub mod bench_payments;
pub mod bench_reports;
pub mod demo;
pub mod drill;
pub mod generator;
