//! The GraphQL API: schema assembly, per-request context, and the committed SDL.
//!
//! Each area contributes a query and a mutation object; they are merged into one root.

mod access;
mod account_benefits;
mod account_services;
mod addresses;
mod billing;
mod books;
mod invoices;
mod jobs;
mod legal;
pub mod limits;
mod mail;
mod meters;
mod payments;
mod platform;
mod portal;
mod prices;
mod readings;
mod registry;
mod reminders;
mod subscribers;
mod types;
mod uploads;

use async_graphql::{EmptySubscription, MergedObject, Schema};

use crate::state::AppState;

/// Largest page a client may ask for.
pub(crate) const MAX_PAGE: u64 = 500;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    registry::RegistryQuery,
    jobs::JobsQuery,
    access::AccessQuery,
    books::BooksQuery,
    addresses::AddressQuery,
    subscribers::SubscribersQuery,
    platform::PlatformQuery,
    prices::PricesQuery,
    legal::LegalQuery,
    meters::MetersQuery,
    readings::ReadingsQuery,
    billing::BillingQuery,
    payments::PaymentsQuery,
    invoices::InvoicesQuery,
    portal::PortalQuery,
    mail::MailQuery,
    reminders::RemindersQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    jobs::JobsMutation,
    account_services::AccountServicesMutation,
    account_benefits::AccountBenefitsMutation,
    access::AccessMutation,
    books::BooksMutation,
    addresses::AddressMutation,
    subscribers::SubscribersMutation,
    platform::PlatformMutation,
    prices::PricesMutation,
    legal::LegalMutation,
    meters::MetersMutation,
    readings::ReadingsMutation,
    billing::BillingMutation,
    payments::PaymentsMutation,
    invoices::InvoicesMutation,
    portal::PortalMutation,
    mail::MailMutation,
    reminders::RemindersMutation,
);

/// The largest file a GraphQL upload may carry.
pub const MAX_UPLOAD: usize = uploads::MAX_FILE;

pub type ApiSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

pub use crate::auth::RequestCtx;

pub fn build_schema(state: AppState) -> ApiSchema {
    let schema = Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .data(state.clone())
    .extension(limits::RequestLimits)
    .limit_depth(12)
    .limit_complexity(5000);
    // In production the schema is not handed out at all (the web client is built from the
    // committed SDL); elsewhere it is, to signed-in users (`limits`).
    if state.settings.is_development() {
        schema.finish()
    } else {
        schema.disable_introspection().finish()
    }
}

/// The SDL committed at `backend/schema.graphql`; a test fails when they differ.
pub fn sdl() -> String {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .finish()
    .sdl()
}
