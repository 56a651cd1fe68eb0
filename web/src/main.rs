//! The web client: the operator's shell (menu, summary panel, settings) and its screens.

mod account_benefits;
mod account_card;
mod account_services;
mod admin;
mod api;
mod billing;
mod books;
mod export;
mod i18n;
mod invoice_pdf;
mod legal;
mod login;
mod mail_settings;
mod meters;
mod new_account;
mod payment_files;
mod payments;
mod portal;
mod premises_picker;
mod prices;
mod readings;
mod reminders;
mod restructuring;
mod shell;
mod subscribers;

fn main() {
    yew::Renderer::<shell::App>::new().render();
}
