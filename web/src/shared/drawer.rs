//! A detail opened beside the list it came from: a panel sliding in from the right over a
//! dimmed page (on a phone, the whole screen), titled, closed by its button, Escape or a
//! click beside it. It takes the keyboard focus when it opens and gives it back to the
//! control that opened it when it closes, so a keyboard user is never lost.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::shared::i18n::Key;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct DrawerProps {
    /// The panel's id (its title is `<id>-title`).
    pub id: AttrValue,
    pub title: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Drawer)]
pub fn drawer(props: &DrawerProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            let opener = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
            move || {
                // The opener may have gone with a re-render; then the focus stays where it is.
                if let Some(opener) = opener.filter(|o| o.is_connected()) {
                    let _ = opener.focus();
                }
            }
        });
    }
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    let title_id = format!("{}-title", props.id);
    html! {
        <>
            <div class="drawer-backdrop" onclick={close.clone()}></div>
            <aside id={props.id.clone()} class="drawer" role="dialog" aria-modal="true" aria-labelledby={title_id.clone()} {onkeydown}>
                <header class="drawer-head">
                    <h3 id={title_id}>{ props.title.clone() }</h3>
                    <button ref={close_button} type="button" class="drawer-close" aria-label={ui.t(Key::Close)} onclick={close}>{ "✕" }</button>
                </header>
                <div class="drawer-body">{ props.children.clone() }</div>
            </aside>
        </>
    }
}
