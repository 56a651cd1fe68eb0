//! Schema migrations, written as plain PostgreSQL files and run by sea-orm-migration.
//!
//! Two migrators: [`ControlMigrator`] owns schema `public` (tenants, later users and
//! sessions); [`TenantMigrator`] owns one tenant schema and is applied to every
//! `tenant_<slug>` schema. The caller chooses the schema by running the migrator inside a
//! transaction that has already issued `SET LOCAL search_path`, so the migration table
//! `seaql_migrations` lives next to the tables it describes and each tenant records its
//! own progress.

use sea_orm_migration::prelude::*;

/// One migration: a file of SQL statements applied in the caller's transaction.
struct SqlMigration {
    name: &'static str,
    sql: &'static str,
}

impl MigrationName for SqlMigration {
    fn name(&self) -> &str {
        self.name
    }
}

#[async_trait::async_trait]
impl MigrationTrait for SqlMigration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(self.sql)
            .await
            .map(|_| ())
    }
}

macro_rules! sql_migrations {
    ($dir:literal: $($name:literal),* $(,)?) => {
        vec![$(Box::new(SqlMigration {
            name: $name,
            sql: include_str!(concat!("../sql/", $dir, "/", $name, ".sql")),
        }) as Box<dyn MigrationTrait>),*]
    };
}

/// Migrations of the control plane (schema `public`).
pub struct ControlMigrator;

impl MigratorTrait for ControlMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        sql_migrations!("control": "m0001_tenants", "m0002_identity", "m0003_trigram", "m0004_btree_gist", "m0005_password_links", "m0006_kazakhstan", "m0007_bulgarian_and_kazakh", "m0008_tenant_usage", "m0009_water_and_electricity")
    }
}

/// Migrations of one tenant schema.
pub struct TenantMigrator;

impl MigratorTrait for TenantMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        sql_migrations!("tenant": "m0001_accounts_and_jobs", "m0002_access", "m0003_reference_books", "m0004_addresses", "m0005_subscribers", "m0006_search_indexes", "m0007_account_search", "m0008_user_buildings", "m0009_services_and_tariffs", "m0010_account_services", "m0011_beneficiaries", "m0012_restructurings", "m0013_contracts", "m0014_building_services", "m0015_account_services_locking", "m0016_meters", "m0017_meter_hierarchy", "m0018_readings", "m0019_meter_search", "m0020_billing", "m0021_payments", "m0022_invoice_documents", "m0023_mail_settings", "m0024_reminders", "m0025_counter_runs", "m0026_idempotency", "m0027_invoice_mail_claims", "m0028_job_indexes", "m0029_period_touches", "m0030_job_owners", "m0031_held_readings", "m0032_held_reading_source", "m0033_acts", "m0034_recalculation_acts", "m0035_reading_and_data_acts", "m0036_act_house_readings", "m0037_reason_services", "m0038_wide_acts", "m0039_act_payments", "m0040_penalty_moratoria", "m0041_debt_cases", "m0042_act_consumers", "m0043_report_schedules", "m0044_building_controllers", "m0045_claim_letters", "m0046_bank_statements", "m0047_portal_codes", "m0048_dbf_templates", "m0049_data_imports", "m0050_subsidy_imports", "m0051_reference_imports", "m0052_cp1125", "m0053_editable_registry", "m0054_meter_passport", "m0055_account_numbering", "m0056_yearly_seasons", "m0057_address_codes", "m0058_account_type_and_journal", "m0059_removed_residents", "m0060_enterprise_card", "m0061_resident_periods", "m0062_penalty_rules", "m0063_heating_coefficients", "m0064_penalty_under_agreement", "m0065_meter_metering_points", "m0066_late_price_lists", "m0067_electricity_dossiers")
    }
}

/// Names of every tenant migration, newest last (used to report a schema's state).
pub fn tenant_migration_names() -> Vec<String> {
    TenantMigrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// Re-exported so callers need no direct dependency on sea-orm-migration.
pub use sea_orm_migration::MigratorTrait as MigratorTraitReexport;
