//! The web client: the operator's shell (menu, summary panel, settings) and its screens.

mod acts;
mod admin;
mod billing;
mod documents;
mod imports;
mod metering;
mod payments;
mod platform;
mod portal;
mod pricing;
mod reports;
mod retail;
mod settings;
mod shared;
mod shell;
mod subscribers;

fn main() {
    yew::Renderer::<shell::App>::new().render();
}
