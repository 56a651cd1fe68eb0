//! The GraphQL API: schema assembly, per-request context, and the committed SDL.
//!
//! Each area contributes a query and a mutation object; they are merged into one root.

mod jobs;
pub mod limits;
mod portal;

use async_graphql::{EmptySubscription, MergedObject, Schema};

use crate::state::AppState;

pub(crate) use platform::sql::MAX_PAGE;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    // First, so the committed SDL keeps the tenant as the first query field.
    access::graphql::platform::TenantQuery,
    registry::graphql::accounts::RegistryQuery,
    jobs::JobsQuery,
    access::graphql::users::AccessQuery,
    pricing::graphql::books::BooksQuery,
    registry::graphql::addresses::AddressQuery,
    registry::graphql::subscribers::SubscribersQuery,
    access::graphql::platform::PlatformQuery,
    pricing::graphql::prices::PricesQuery,
    registry::graphql::legal::LegalQuery,
    registry::graphql::numbering::NumberingQuery,
    metering::graphql::meters::MetersQuery,
    metering::graphql::readings::ReadingsQuery,
    billing::graphql::BillingQuery,
    payments::graphql::PaymentsQuery,
    documents::graphql::invoices::InvoicesQuery,
    documents::graphql::enterprise::EnterpriseQuery,
    portal::PortalQuery,
    documents::graphql::mail::MailQuery,
    documents::graphql::reminders::RemindersQuery,
    acts::graphql::ActsQuery,
    reports::graphql::ReportsQuery,
    reports::schedule_api::ReportSchedulesQuery,
    reports::moratoria::MoratoriaQuery,
    pricing::heating::HeatingQuery,
    reports::claims::ClaimsQuery,
    reports::menu_dashboards::MenuDashboardQuery,
    registry::graphql::debt_cases::DebtCasesQuery,
    imports::graphql::ImportsQuery,
    retail::graphql::RetailQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    jobs::JobsMutation,
    registry::graphql::account_services::AccountServicesMutation,
    registry::graphql::account_benefits::AccountBenefitsMutation,
    access::graphql::users::AccessMutation,
    pricing::graphql::books::BooksMutation,
    registry::graphql::addresses::AddressMutation,
    registry::graphql::subscribers::SubscribersMutation,
    registry::graphql::account_lifecycle::AccountLifecycleMutation,
    registry::graphql::numbering::NumberingMutation,
    access::graphql::platform::PlatformMutation,
    pricing::graphql::prices::PricesMutation,
    registry::graphql::legal::LegalMutation,
    metering::graphql::meters::MetersMutation,
    metering::graphql::readings::ReadingsMutation,
    billing::graphql::BillingMutation,
    payments::graphql::PaymentsMutation,
    documents::graphql::invoices::InvoicesMutation,
    documents::graphql::enterprise::EnterpriseMutation,
    portal::PortalMutation,
    documents::graphql::mail::MailMutation,
    documents::graphql::reminders::RemindersMutation,
    acts::graphql::ActsMutation,
    registry::graphql::debt_cases::DebtCasesMutation,
    reports::schedule_api::ReportSchedulesMutation,
    reports::moratoria::MoratoriaMutation,
    pricing::heating::HeatingMutation,
    reports::claims::ClaimsMutation,
    imports::graphql::ImportsMutation,
    retail::graphql::RetailMutation,
);

/// The largest file a GraphQL upload may carry.
pub const MAX_UPLOAD: usize = access::uploads::MAX_FILE;

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
