//! Locale-aware formatting of what the user reads: money with thousands separators and the
//! tenant's currency sign, and plain quantities. One helper over the browser's
//! `Intl.NumberFormat`, which formats a decimal string exactly (no float on the way), so a
//! kopeck is never lost to display.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::shared::i18n::Lang;

/// The Intl locale of a language (the product's own regional forms).
fn locale(lang: Lang) -> &'static str {
    match lang.code() {
        "uk" => "uk-UA",
        "ru" => "ru-RU",
        "bg" => "bg-BG",
        "kk" => "kk-KZ",
        _ => "en-GB",
    }
}

/// A formatter's `format` function, made once per language and style.
fn formatter(lang: Lang, currency: Option<&str>, least: u8, most: u8) -> Option<Function> {
    thread_local! {
        static CACHE: RefCell<HashMap<(Lang, String, u8, u8), Function>> = RefCell::new(HashMap::new());
    }
    let key = (lang, currency.unwrap_or_default().to_owned(), least, most);
    if let Some(f) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Some(f);
    }
    let options = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&options, &JsValue::from_str(k), &v).ok();
    if let Some(code) = currency.filter(|c| c.len() == 3) {
        set("style", JsValue::from_str("currency"))?;
        set("currency", JsValue::from_str(code))?;
        // ₴ and ₽ rather than "UAH" or "RUB" in every locale.
        set("currencyDisplay", JsValue::from_str("narrowSymbol"))?;
    }
    set("minimumFractionDigits", JsValue::from(least))?;
    set("maximumFractionDigits", JsValue::from(most))?;
    let locales = Array::of1(&JsValue::from_str(locale(lang)));
    let format = Intl::NumberFormat::new(&locales, &options).format();
    CACHE.with(|c| c.borrow_mut().insert(key, format.clone()));
    Some(format)
}

fn apply(format: Option<Function>, value: &str) -> Option<String> {
    format?
        .call1(&JsValue::NULL, &JsValue::from_str(value.trim()))
        .ok()?
        .as_string()
        .filter(|s| !s.contains("NaN"))
}

/// An amount of money as the language writes it, with the currency's sign:
/// `1947.85`, UAH → "1 947,85 ₴" (uk), "₴1,947.85" (en); without a currency, two decimals
/// and the separators. A text that is not a number is shown as it came.
pub fn money(lang: Lang, amount: &str, currency: &str) -> String {
    apply(formatter(lang, Some(currency), 2, 2), amount).unwrap_or_else(|| {
        if currency.is_empty() {
            amount.to_owned()
        } else {
            format!("{amount} {currency}")
        }
    })
}

/// A quantity (readings, areas, counts) with the language's separators and at most
/// `fraction` decimals.
pub fn quantity(lang: Lang, value: &str, fraction: u8) -> String {
    apply(formatter(lang, None, 0, fraction), value).unwrap_or_else(|| value.to_owned())
}
