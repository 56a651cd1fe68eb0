//! The web client: the operator's shell (menu, summary panel, settings) and its screens.

mod api;
mod i18n;
mod shell;
mod subscribers;

fn main() {
    yew::Renderer::<shell::App>::new().render();
}
