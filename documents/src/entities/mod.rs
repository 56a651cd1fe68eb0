//! Documents' sea-orm entities (tenant schema): the typed rows its plain CRUD writes, kept
//! apart from behaviour. Invoice runs and mail queues stay SQL (claims, bulk writes).

pub mod mail_setting;
