//! Integration tests of the backend against the real services started by `infra/`:
//! PostgreSQL, Redis, the S3 server and the SMTP sink. One binary keeps link time down.

mod helpers;

mod account_services;
mod act_news;
mod acts;
mod addresses;
mod admin;
mod auth;
mod backup;
mod benefits;
mod billing;
mod books;
mod debt_collection;
mod demo;
mod generator;
mod graphql_api;
mod health;
mod history;
mod imports;
mod invoices;
mod isolation;
mod jobs;
mod legal;
mod mail;
mod meter_card;
mod meters;
mod password_links;
mod payments;
mod platform_console;
mod plausibility;
mod portal;
mod prices;
mod readings;
mod registry_edits;
mod reminders;
mod report_catalog;
mod report_schedules;
mod reports;
mod schema;
mod simulation;
mod statement;
mod subscribers;
mod tenancy;
