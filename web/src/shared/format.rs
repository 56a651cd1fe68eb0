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
    // Nothing stays nothing: `Intl` would read an empty text as 0.
    if value.trim().is_empty() {
        return Some(String::new());
    }
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

/// A moment (`2026-12-03T08:18:30Z`, as the API sends it) in the tenant's time zone, as
/// the language writes a date and a time, with the zone's short name so nobody takes UTC
/// for local time: "03.12.2026, 10:18 GMT+2". A text that is no moment is shown as it came.
pub fn moment(lang: Lang, iso: &str, zone: &str) -> String {
    thread_local! {
        static CACHE: RefCell<HashMap<(Lang, String), Function>> = RefCell::new(HashMap::new());
    }
    let key = (lang, zone.to_owned());
    let format = CACHE.with(|c| c.borrow().get(&key).cloned()).or_else(|| {
        let options = Object::new();
        let set = |k: &str, v: &str| {
            Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v)).ok()
        };
        set("dateStyle", "short")?;
        set("timeStyle", "short")?;
        if !zone.is_empty() {
            set("timeZone", zone)?;
        }
        let locales = Array::of1(&JsValue::from_str(locale(lang)));
        let f = Intl::DateTimeFormat::new(&locales, &options).format();
        CACHE.with(|c| c.borrow_mut().insert(key, f.clone()));
        Some(f)
    });
    let date = js_sys::Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let Some(text) = format
        .and_then(|f| f.call1(&JsValue::NULL, &date).ok())
        .and_then(|v| v.as_string())
    else {
        return iso.to_owned();
    };
    // The zone's short name, from the same formatter family (one per language and zone).
    let name = zone_name(lang, zone, &date);
    if name.is_empty() {
        text
    } else {
        format!("{text} {name}")
    }
}

fn zone_name(lang: Lang, zone: &str, date: &js_sys::Date) -> String {
    thread_local! {
        static CACHE: RefCell<HashMap<(Lang, String), Intl::DateTimeFormat>> = RefCell::new(HashMap::new());
    }
    let key = (lang, zone.to_owned());
    let format = CACHE
        .with(|c| c.borrow().get(&key).cloned())
        .unwrap_or_else(|| {
            let options = Object::new();
            let set = |k: &str, v: &str| {
                let _ = Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v));
            };
            set("timeZoneName", "short");
            if !zone.is_empty() {
                set("timeZone", zone);
            }
            let locales = Array::of1(&JsValue::from_str(locale(lang)));
            let f = Intl::DateTimeFormat::new(&locales, &options);
            CACHE.with(|c| c.borrow_mut().insert(key, f.clone()));
            f
        });
    format
        .format_to_parts(date)
        .iter()
        .find(|p| {
            Reflect::get(p, &JsValue::from_str("type"))
                .ok()
                .and_then(|t| t.as_string())
                .as_deref()
                == Some("timeZoneName")
        })
        .and_then(|p| Reflect::get(&p, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// A quantity (readings, areas, counts) with the language's separators and at most
/// `fraction` decimals.
pub fn quantity(lang: Lang, value: &str, fraction: u8) -> String {
    apply(formatter(lang, None, 0, fraction), value).unwrap_or_else(|| value.to_owned())
}

/// Compares two texts as the language sorts them (`Intl.Collator`: its alphabet, letters
/// before case, numbers by value so "кв. 2" comes before "кв. 10"); plain code point
/// order where the browser gives no collator.
pub fn collate(lang: Lang, a: &str, b: &str) -> std::cmp::Ordering {
    thread_local! {
        static CACHE: RefCell<HashMap<Lang, Function>> = RefCell::new(HashMap::new());
    }
    let compare = CACHE.with(|c| c.borrow().get(&lang).cloned()).or_else(|| {
        let options = Object::new();
        Reflect::set(
            &options,
            &JsValue::from_str("sensitivity"),
            &JsValue::from_str("accent"),
        )
        .ok()?;
        Reflect::set(&options, &JsValue::from_str("numeric"), &JsValue::TRUE).ok()?;
        let locales = Array::of1(&JsValue::from_str(locale(lang)));
        let f = Intl::Collator::new(&locales, &options).compare();
        CACHE.with(|c| c.borrow_mut().insert(lang, f.clone()));
        Some(f)
    });
    compare
        .and_then(|f| {
            f.call2(&JsValue::NULL, &JsValue::from_str(a), &JsValue::from_str(b))
                .ok()
        })
        .and_then(|v| v.as_f64())
        .map_or_else(
            || a.cmp(b),
            |n| n.partial_cmp(&0.0).unwrap_or(std::cmp::Ordering::Equal),
        )
}
