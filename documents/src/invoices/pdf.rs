//! An invoice (квитанція) as a one-page A4 PDF: the tenant's requisites, the account and
//! payer, the period's lines (quantity, basis flag, tariff, charge, benefit, subsidy,
//! recalculation, penalty), the meter readings, opening balance, paid, the amount to pay,
//! the due date, the tenant's notes and the payment QR code. DejaVu Sans is embedded
//! (subset), so Cyrillic and Latin text render and extract correctly. No IO.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::image::Image;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use super::document::InvoiceDoc;
use platform::error::{AppError, AppResult};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
pub(crate) const WIDTH: f32 = 595.0;
pub(crate) const HEIGHT: f32 = 842.0;
pub(crate) const MARGIN: f32 = 36.0;

/// The invoice's labels in the tenant's language.
pub struct Labels {
    pub title: String,
    pub account: String,
    pub payer: String,
    pub address: String,
    pub period: String,
    pub columns: [String; 9],
    pub readings: [String; 4],
    pub opening: String,
    pub paid: String,
    pub to_pay: String,
    pub due: String,
    pub portal_code: String,
    pub total: String,
    pub requisites: String,
    pub to_pay_late: String,
    pub agreement: String,
    pub agreement_instalment: String,
    pub agreement_behind: String,
    pub agreement_due: String,
}

pub fn labels(lang: platform::i18n::Lang) -> Labels {
    let t = |id: &str| platform::i18n::text(lang, id);
    Labels {
        title: t("invoice-title"),
        account: t("invoice-account"),
        payer: t("invoice-payer"),
        address: t("invoice-address"),
        period: t("invoice-period"),
        opening: t("invoice-opening"),
        paid: t("invoice-paid"),
        to_pay: t("invoice-to-pay"),
        due: t("invoice-due"),
        portal_code: t("invoice-portal-code"),
        total: t("invoice-total"),
        requisites: t("invoice-requisites"),
        to_pay_late: t("invoice-to-pay-late"),
        agreement: t("invoice-agreement"),
        agreement_instalment: t("invoice-agreement-instalment"),
        agreement_behind: t("invoice-agreement-behind"),
        agreement_due: t("invoice-agreement-due"),
        columns: [
            "invoice-column-service",
            "invoice-column-quantity",
            "invoice-column-basis",
            "invoice-column-tariff",
            "invoice-column-charged",
            "invoice-column-benefit",
            "invoice-column-subsidy",
            "invoice-column-recalc",
            "invoice-column-penalty",
        ]
        .map(t),
        readings: [
            "invoice-reading-meter",
            "invoice-reading-service",
            "invoice-reading-previous",
            "invoice-reading-current",
        ]
        .map(t),
    }
}

/// The fonts (parsed once per process) and the tenant's logo.
#[derive(Clone)]
pub struct Fonts {
    regular: Font,
    bold: Font,
    /// The tenant's logo (a PNG), drawn at the top right.
    logo: Option<Image>,
}

/// The embedded fonts, parsed on first use: an invoice e-mailed or downloaded alone would
/// otherwise parse both faces again for its one page.
static PARSED: std::sync::OnceLock<Option<(Font, Font)>> = std::sync::OnceLock::new();

impl Fonts {
    pub fn load() -> AppResult<Self> {
        let (regular, bold) = PARSED
            .get_or_init(|| {
                let font = |bytes: &'static [u8]| Font::new(bytes.into(), 0);
                font(REGULAR).zip(font(BOLD))
            })
            .clone()
            .ok_or_else(|| AppError::Internal("the embedded font cannot be read".into()))?;
        Ok(Self {
            regular,
            bold,
            logo: None,
        })
    }

    /// The same with the tenant's logo (PNG bytes; refused with the reason if unreadable).
    pub fn with_logo(mut self, png: Vec<u8>) -> AppResult<Self> {
        self.logo = Some(logo(png)?);
        Ok(self)
    }
}

pub(crate) struct Pen<'a, 'b> {
    pub(crate) s: &'a mut Surface<'b>,
    pub(crate) fonts: &'a Fonts,
}

impl Pen<'_, '_> {
    pub(crate) fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let font = if bold {
            &self.fonts.bold
        } else {
            &self.fonts.regular
        };
        self.s.draw_text(
            Point::from_xy(x, y),
            font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// Right-aligned at `right` (numbers in columns).
    pub(crate) fn right(&mut self, right: f32, y: f32, size: f32, bold: bool, text: &str) {
        // DejaVu Sans digits are 0.636 em wide; other glyphs are close enough for a column.
        let width = text.chars().count() as f32 * size * 0.6;
        self.text(right - width, y, size, bold, text);
    }

    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        let mut pb = PathBuilder::new();
        pb.move_to(x1, y1);
        pb.line_to(x2, y2);
        if let Some(path) = pb.finish() {
            self.s.set_fill(None);
            self.s.set_stroke(Some(Stroke {
                paint: rgb::Color::new(120, 120, 120).into(),
                width: 0.5,
                ..Stroke::default()
            }));
            self.s.draw_path(&path);
            self.s.set_stroke(None);
            self.s.set_fill(Some(Fill {
                paint: rgb::Color::new(0, 0, 0).into(),
                opacity: NormalizedF32::ONE,
                rule: Default::default(),
            }));
        }
    }
}

/// Cuts a text to `max` characters (a cell does not wrap).
pub(crate) fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A logo as a PDF image: a PNG of at most 2000 × 2000 pixels.
pub fn logo(png: Vec<u8>) -> AppResult<Image> {
    let image = Image::from_png(png.into(), true)
        .map_err(|e| AppError::validation("file", format!("is not a readable PNG image: {e}")))?;
    let (w, h) = image.size();
    if w == 0 || h == 0 || w > 2000 || h > 2000 {
        return Err(AppError::validation(
            "file",
            "must be a PNG of at most 2000 × 2000 pixels",
        ));
    }
    Ok(image)
}

/// The QR code as an image: `scale` pixels per module, a quiet zone of four modules.
fn qr_image(payload: &str) -> AppResult<(Image, u32)> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(format!("qr: {e}")))?;
    let modules = code.width() as u32;
    let scale = 4u32;
    let side = (modules + 8) * scale;
    let colors = code.to_colors();
    let mut rgba = vec![255u8; (side * side * 4) as usize];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale) as i64 - 4, (y / scale) as i64 - 4);
            let dark = mx >= 0
                && my >= 0
                && (mx as u32) < modules
                && (my as u32) < modules
                && colors[(my as u32 * modules + mx as u32) as usize] == qrcode::Color::Dark;
            if dark {
                let i = ((y * side + x) * 4) as usize;
                rgba[i..i + 3].copy_from_slice(&[0, 0, 0]);
            }
        }
    }
    Ok((Image::from_rgba8(rgba, side, side), side))
}

/// Renders one invoice.
pub fn render(doc: &InvoiceDoc, fonts: &Fonts, l: &Labels) -> AppResult<Vec<u8>> {
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT)
        .ok_or_else(|| AppError::Internal("page size".into()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut pen = Pen {
        s: &mut surface,
        fonts,
    };
    let x0 = MARGIN;
    let x1 = WIDTH - MARGIN;
    let mut y = MARGIN + 12.0;

    // The payee's requisites (and logo, top right: 40 points high).
    if let Some(image) = &fonts.logo {
        let (w, h) = image.size();
        let height = 40.0f32;
        let width = (w as f32 * height / h.max(1) as f32).min(160.0);
        if let Some(size) = Size::from_wh(width, height) {
            pen.s
                .push_transform(&Transform::from_translate(x1 - width, MARGIN - 8.0));
            pen.s.draw_image(image.clone(), size);
            pen.s.pop();
        }
    }
    pen.text(x0, y, 12.0, true, &fit(&doc.payee.name, 70));
    y += 14.0;
    let req = format!(
        "{} · {}: {} · {} {} · {}",
        doc.payee_address,
        &l.requisites,
        doc.payee.tax_code,
        doc.payee.bank_name,
        doc.payee.bic,
        doc.payee.account
    );
    pen.text(x0, y, 7.5, false, &fit(&req, 130));
    y += 22.0;
    pen.text(x0, y, 15.0, true, &l.title);
    pen.right(x1, y, 11.0, true, &format!("{}: {}", &l.period, doc.period));
    y += 20.0;
    for (label, value) in [
        (&l.account, &doc.account_number),
        (&l.payer, &doc.payer),
        (&l.address, &doc.address),
    ] {
        pen.text(x0, y, 9.0, false, &format!("{label}:"));
        pen.text(x0 + 110.0, y, 9.0, true, &fit(value, 80));
        y += 13.0;
    }
    y += 8.0;

    // The lines.
    let cols = [x0, 0.0, x0 + 196.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    let rights = [
        0.0,
        x0 + 190.0,
        0.0,
        x0 + 268.0,
        x0 + 324.0,
        x0 + 374.0,
        x0 + 424.0,
        x0 + 476.0,
        x1,
    ];
    pen.line(x0, y - 9.0, x1, y - 9.0);
    for (i, h) in l.columns.iter().enumerate() {
        if rights[i] > 0.0 {
            pen.right(rights[i], y, 6.5, true, h);
        } else {
            pen.text(cols[i], y, 6.5, true, h);
        }
    }
    y += 5.0;
    pen.line(x0, y, x1, y);
    y += 11.0;
    for line in &doc.lines {
        pen.text(cols[0], y, 7.5, false, &fit(&line.service, 32));
        pen.right(rights[1], y, 7.5, false, &line.quantity);
        pen.text(cols[2], y, 7.5, false, &line.flag);
        let values = [
            &line.tariff,
            &line.charged,
            &line.benefit,
            &line.subsidy,
            &line.recalculation,
            &line.penalty,
        ];
        for (k, v) in values.iter().enumerate() {
            pen.right(rights[k + 3], y, 7.5, false, v);
        }
        y += 12.0;
    }
    pen.line(x0, y - 8.0, x1, y - 8.0);
    pen.text(cols[0], y + 2.0, 8.0, true, &l.total);
    pen.right(rights[4], y + 2.0, 8.0, true, &doc.charged);
    y += 24.0;

    // The readings.
    if !doc.readings.is_empty() {
        let rc = [x0, x0 + 120.0, x0 + 330.0, x0 + 420.0];
        for (i, h) in l.readings.iter().enumerate() {
            pen.text(rc[i], y, 7.0, true, h);
        }
        y += 12.0;
        for r in &doc.readings {
            pen.text(rc[0], y, 7.5, false, &fit(&r.serial, 22));
            pen.text(rc[1], y, 7.5, false, &fit(&r.service, 40));
            pen.text(rc[2], y, 7.5, false, &r.previous);
            pen.text(rc[3], y, 7.5, false, &r.current);
            y += 11.0;
        }
        y += 12.0;
    }

    // The balance and the amount to pay, with the QR code beside.
    let top = y;
    for (label, value, bold) in [
        (&l.opening, &doc.opening, false),
        (&l.paid, &doc.paid, false),
        (&l.to_pay, &doc.closing, true),
    ] {
        pen.text(
            x0,
            y,
            if bold { 12.0 } else { 9.0 },
            bold,
            &format!("{label}:"),
        );
        pen.right(x0 + 300.0, y, if bold { 12.0 } else { 9.0 }, bold, value);
        y += if bold { 18.0 } else { 13.0 };
    }
    pen.text(x0, y, 9.0, false, &format!("{}: {}", &l.due, doc.due_on));
    y += 16.0;
    if let Some(amount) = &doc.to_pay_late {
        pen.text(
            x0,
            y,
            9.0,
            false,
            &format!("{} ({}):", l.to_pay_late, doc.due_on),
        );
        pen.right(x0 + 300.0, y, 9.0, false, amount);
        y += 14.0;
    }
    if let Some(a) = &doc.agreement {
        pen.text(x0, y, 8.5, true, &format!("{} {}", l.agreement, a.number));
        y += 12.0;
        for (label, value, bold) in [
            (
                format!("{} {}:", l.agreement_instalment, a.month),
                &a.instalment,
                false,
            ),
            (format!("{}:", l.agreement_behind), &a.behind, false),
            (format!("{}:", l.agreement_due), &a.due, true),
        ] {
            pen.text(x0, y, 8.5, bold, &label);
            pen.right(x0 + 300.0, y, 8.5, bold, value);
            y += 12.0;
        }
        y += 4.0;
    }
    if let Some(code) = &doc.portal_code {
        pen.text(x0, y, 8.0, false, &format!("{}: {code}", &l.portal_code));
        y += 12.0;
    }
    if let Some(notes) = &doc.notes {
        for chunk in notes.lines().take(6) {
            pen.text(x0, y, 7.5, false, &fit(chunk, 95));
            y += 10.0;
        }
    }
    if let Some(payload) = &doc.qr {
        let (image, side) = qr_image(payload)?;
        let size = 120.0f32;
        let _ = side;
        surface.push_transform(&Transform::from_translate(x1 - size, top - 12.0));
        surface.draw_image(
            image,
            Size::from_wh(size, size).ok_or_else(|| AppError::Internal("qr size".into()))?,
        );
        surface.pop();
    }
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| AppError::Internal(format!("pdf: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoices::document::{PrintedLine, PrintedReading};
    use domain::payment_qr::Payee;

    fn sample(qr: Option<String>) -> InvoiceDoc {
        InvoiceDoc {
            account_id: 1,
            account_number: "100001".into(),
            payer: "Коваленко Олександр".into(),
            address: "Київ, вул. Хрещатик, 1, кв. 5".into(),
            period: "2026-11".into(),
            payee: Payee {
                name: "КП «Водоканал Демо»".into(),
                tax_code: "12345678".into(),
                account: "UA213223130000026007233566001".into(),
                bank_name: "АТ «Ощадбанк»".into(),
                bic: String::new(),
                correspondent_account: String::new(),
                currency: "UAH".into(),
            },
            payee_address: "Київ, вул. Водопровідна, 2".into(),
            lines: vec![PrintedLine {
                service: "Холодне водопостачання".into(),
                quantity: "8.5".into(),
                flag: "Ф".into(),
                tariff: "31.408".into(),
                charged: "266.97".into(),
                benefit: "0.00".into(),
                subsidy: "0.00".into(),
                recalculation: "0.00".into(),
                penalty: "1.25".into(),
            }],
            readings: vec![PrintedReading {
                serial: "ХВ-0457731".into(),
                service: "Холодне водопостачання".into(),
                previous: "120".into(),
                current: "128.5".into(),
            }],
            opening: "150.00".into(),
            charged: "266.97".into(),
            paid: "150.00".into(),
            closing: "268.22".into(),
            due_on: "20.12.2026".into(),
            notes: Some("Show readings by the 25th. Передайте показання до 25 числа.".into()),
            qr,
            portal_code: Some("ABCD-2345".into()),
            agreement: None,
            to_pay_late: None,
        }
    }

    #[test]
    fn an_invoice_under_an_agreement_prints_what_is_due_this_month_in_kazakh() {
        let fonts = Fonts::load().unwrap_or_else(|e| panic!("{e}"));
        let mut doc = sample(None);
        doc.agreement = Some(crate::invoices::document::PrintedAgreement {
            number: "Р-17".into(),
            month: "2026-12".into(),
            instalment: "333.33".into(),
            behind: "100.00".into(),
            due: "700.30".into(),
        });
        let kk = platform::i18n::Lang::from_code("kk").unwrap_or(platform::i18n::Lang::EN);
        let pdf = render(&doc, &fonts, &labels(kk)).unwrap_or_else(|e| panic!("{e}"));
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap_or_else(|e| panic!("{e}"));
        for needle in [
            "Коммуналдық қызметтер үшін түбіртек",
            "Р-17",
            "333.33",
            "100.00",
            "Келісім бойынша осы айда төленуге тиіс",
            "700.30",
        ] {
            assert!(text.contains(needle), "{needle} not in: {text}");
        }
    }

    #[test]
    fn an_invoice_renders_with_extractable_cyrillic_text() {
        let fonts = Fonts::load().unwrap_or_else(|e| panic!("{e}"));
        let payload = "ST00012|Name=КП «Водоканал»|Sum=26822|PersAcc=100001".to_owned();
        let pdf = render(
            &sample(Some(payload.clone())),
            &fonts,
            &labels(platform::i18n::Lang::UK),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap_or_else(|e| panic!("{e}"));
        for needle in [
            "Рахунок за комунальні послуги",
            "100001",
            "Коваленко Олександр",
            "Холодне водопостачання",
            "266.97",
            "268.22",
            "20.12.2026",
            "ХВ-0457731",
            "128.5",
            "Передайте показання",
            "Код реєстрації в особистому кабінеті",
            "ABCD-2345",
        ] {
            assert!(text.contains(needle), "{needle} not in: {text}");
        }
        // The QR code is decoded from the stored PDF in the integration test.
        assert!(
            pdf.windows(b"/Image".len()).any(|w| w == b"/Image"),
            "the QR image is embedded"
        );
    }
}
