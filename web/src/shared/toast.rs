//! Toasts: a job that ends says so wherever the user has gone meanwhile, with a link to
//! the file it made. The host sits under the shell; a screen that follows a job takes the
//! `Toaster` from the context and tells it the outcome. A toast leaves by itself after a
//! while (a failure stays until closed) and is announced to screen readers.

use gloo_timers::future::TimeoutFuture;
use std::rc::Rc;
use yew::prelude::*;

use crate::shared::api;
use crate::shared::i18n::Key;
use crate::shell::Ui;

/// How long a toast stays, in milliseconds.
const SHOWN_MS: u32 = 12_000;

#[derive(Clone, PartialEq)]
struct Toast {
    id: u32,
    text: String,
    href: Option<String>,
    failed: bool,
}

#[derive(Default, PartialEq)]
struct Shelf {
    next: u32,
    toasts: Vec<Toast>,
}

enum Change {
    Push(String, Option<String>, bool),
    Dismiss(u32),
}

impl Reducible for Shelf {
    type Action = Change;

    fn reduce(self: Rc<Self>, action: Change) -> Rc<Self> {
        let mut toasts = self.toasts.clone();
        let mut next = self.next;
        match action {
            Change::Push(text, href, failed) => {
                next += 1;
                toasts.push(Toast {
                    id: next,
                    text,
                    href,
                    failed,
                });
                // A burst of jobs shows its last few.
                if toasts.len() > 4 {
                    toasts.remove(0);
                }
            }
            Change::Dismiss(id) => toasts.retain(|t| t.id != id),
        }
        Rc::new(Shelf { next, toasts })
    }
}

/// Tells the user a job's outcome: `done(text, file)` or `failed(text)`.
#[derive(Clone, PartialEq)]
pub struct Toaster {
    push: Callback<(String, Option<String>, bool)>,
    /// "The job failed", in the user's language.
    failed: &'static str,
}

impl Toaster {
    /// A job finished; `href` is its file, when it made one.
    pub fn done(&self, text: impl Into<String>, href: Option<String>) {
        self.push.emit((text.into(), href, false));
    }

    /// A job failed, for `reason`.
    pub fn failed(&self, reason: &str) {
        self.push
            .emit((format!("{}: {reason}", self.failed), None, true));
    }

    /// Follows job `id` to its end (`api::wait_job`) and says how it ended: `done` with a
    /// link to its file when it wrote one, or why it failed.
    pub async fn follow(
        &self,
        id: &str,
        progress: impl Fn(i64),
        done: &str,
    ) -> Result<serde_json::Value, String> {
        let outcome = api::wait_job(id, progress).await;
        match &outcome {
            Ok(r) => {
                let file = r["objectKey"].is_string() || r["fileName"].is_string();
                self.done(done, file.then(|| format!("/files/jobs/{id}")));
            }
            Err(e) => self.failed(e),
        }
        outcome
    }
}

/// The toaster of the page; outside a host (a test, the sign-in page) it says nothing.
#[hook]
pub fn use_toaster() -> Toaster {
    use_context::<Toaster>().unwrap_or(Toaster {
        push: Callback::noop(),
        failed: "",
    })
}

#[derive(Properties, PartialEq)]
pub struct HostProps {
    pub children: Html,
}

#[function_component(ToastHost)]
pub fn toast_host(props: &HostProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let shelf = use_reducer(Shelf::default);
    let toaster = {
        let shelf = shelf.dispatcher();
        Toaster {
            push: Callback::from(
                move |(text, href, failed): (String, Option<String>, bool)| {
                    shelf.dispatch(Change::Push(text, href, failed));
                },
            ),
            failed: ui.t(Key::ToastJobFailed),
        }
    };
    // Each toast leaves after a while, a failure aside (it waits to be read).
    {
        let dispatcher = shelf.dispatcher();
        let newest = shelf.toasts.last().filter(|t| !t.failed).map(|t| t.id);
        use_effect_with(newest, move |id| {
            if let Some(id) = *id {
                wasm_bindgen_futures::spawn_local(async move {
                    TimeoutFuture::new(SHOWN_MS).await;
                    dispatcher.dispatch(Change::Dismiss(id));
                });
            }
        });
    }
    let toasts = shelf.toasts.iter().map(|t| {
        let close = {
            let dispatcher = shelf.dispatcher();
            let id = t.id;
            Callback::from(move |_| dispatcher.dispatch(Change::Dismiss(id)))
        };
        html! {
            <div class={classes!("toast", t.failed.then_some("failed"))} key={t.id}>
                <span class="toast-text">{ &t.text }</span>
                if let Some(href) = &t.href {
                    <a class="toast-file" href={href.clone()} download="">{ ui.t(Key::Download) }</a>
                }
                <button type="button" class="toast-close" aria-label={ui.t(Key::Close)} onclick={close}>{ "×" }</button>
            </div>
        }
    });
    html! {
        <ContextProvider<Toaster> context={toaster}>
            { props.children.clone() }
            <div class="toasts" role="status" aria-live="polite">{ for toasts }</div>
        </ContextProvider<Toaster>>
    }
}
