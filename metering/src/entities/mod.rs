//! Metering's sea-orm entities (tenant schema): the typed rows its plain CRUD writes, kept
//! apart from behaviour. Readings (upserts, imports with `COPY`-sized batches) stay SQL.

pub mod meter;
