//! Invoice PDFs: a generated tenant's period calculated, its requisites set, one account's
//! invoice rendered by the worker and read back (the amounts found by text extraction, the
//! payment QR decoded to the ГОСТ payload), the whole period rendered and downloaded per
//! account, permissions and the audit of the settings.

use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::{TestApp, sql};

/// The images of a PDF as grey bitmaps: the QR code one decodes to its text; also the
/// number of images.
fn decode_qr(pdf: &[u8]) -> (String, usize) {
    let doc = lopdf::Document::load_mem(pdf).unwrap_or_else(|e| panic!("{e}"));
    let mut found = None;
    let mut images = 0;
    for (_, obj) in doc.objects.iter() {
        let Ok(stream) = obj.as_stream() else {
            continue;
        };
        let is_image =
            stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Image".as_slice());
        if !is_image || stream.dict.get(b"ColorSpace").is_err() {
            continue;
        }
        images += 1;
        let w = stream
            .dict
            .get(b"Width")
            .and_then(|v| v.as_i64())
            .unwrap_or(0) as usize;
        let h = stream
            .dict
            .get(b"Height")
            .and_then(|v| v.as_i64())
            .unwrap_or(0) as usize;
        let data = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let channels = (data.len() / (w * h).max(1)).max(1);
        let grey: Vec<u8> = data.chunks(channels).map(|p| p[0]).collect();
        if grey.len() < w * h {
            continue;
        }
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
        if let Some(Ok((_, content))) = img.detect_grids().first().map(|g| g.decode()) {
            found = Some(content);
        }
    }
    (
        found.unwrap_or_else(|| panic!("no QR code among {images} images")),
        images,
    )
}

/// A small PNG (a grey band) for the tenant's logo.
fn logo_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 60, 20);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap_or_else(|e| panic!("{e}"));
        w.write_image_data(&[90u8; 60 * 20])
            .unwrap_or_else(|e| panic!("{e}"));
    }
    out
}

async fn download(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.http
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn invoices_are_rendered_as_pdf_with_their_amounts_and_a_payment_qr() {
    let app = TestApp::spawn().await;
    app.generate_and_calculate(40, 3).await;
    let worker = app.start_worker(app.state.clone(), "invoices-1");

    let settings = json!({ "legalName": "ООО «Водоканал Демо»", "taxCode": "7701234567", "address": "Москва, ул. Водная, 1",
        "bankName": "ПАО Сбербанк", "account": "40702810900000000001", "bic": "044525225",
        "correspondentAccount": "30101810400000000225", "qrFormat": "gost", "purpose": "Оплата ЖКУ",
        "notes": "Показания передавайте до 25 числа." });
    let r = app
        .gql("mutation($i: InvoiceSettingsInput!) { updateInvoiceSettings(input: $i) { qrFormat legalName } }", json!({ "i": settings }))
        .await;
    assert_eq!(
        r["data"]["updateInvoiceSettings"]["qrFormat"], "gost",
        "{r}"
    );
    let mut wrong = settings.clone();
    wrong["qrFormat"] = json!("swift");
    let r = app
        .gql(
            "mutation($i: InvoiceSettingsInput!) { updateInvoiceSettings(input: $i) { qrFormat } }",
            json!({ "i": wrong }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "qrFormat", "{r}");

    // The tenant's logo (a PNG; anything else is refused by field).
    let upload = "mutation($file: Upload!) { uploadInvoiceLogo(file: $file) }";
    let r = app
        .upload_gql(upload, json!({}), "logo.png", &logo_png())
        .await;
    assert_eq!(r["data"]["uploadInvoiceLogo"], true, "{r}");
    let r = app
        .upload_gql(upload, json!({}), "logo.png", b"GIF89a not a png")
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "file", "{r}");

    // One account: its invoice's amounts are in the PDF and the QR pays exactly them.
    #[derive(sea_orm::FromQueryResult)]
    struct Picked {
        id: i64,
        number: String,
        holder_name: String,
        address: String,
    }
    let p = <Picked as sea_orm::FromQueryResult>::find_by_statement(sea_orm::Statement::from_string(
        sea_orm::DbBackend::Postgres,
        format!(
            "SELECT a.id, a.number, a.holder_name, a.address FROM \"{0}\".accounts a \
             WHERE EXISTS (SELECT 1 FROM \"{0}\".invoices v WHERE v.account_id = a.id AND v.closing > 0) ORDER BY a.id LIMIT 1",
            app.tenant.schema()
        ),
    ))
    .one(&app.state.owner_db)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|| panic!("no invoiced account"));
    let a = json!({ "number": p.number, "holderName": p.holder_name, "address": p.address });
    let id = p.id;
    let inv = app
        .gql(
            "query($a: Int!) { accountInvoices(accountId: $a) { period charged paid closing } }",
            json!({ "a": id }),
        )
        .await;
    let invoice = inv["data"]["accountInvoices"][0].clone();
    let r = app
        .gql(
            "mutation($a: Int) { renderInvoices(input: {scope: ACCOUNT, id: $a}) { id } }",
            json!({ "a": id }),
        )
        .await;
    let job_id = r["data"]["renderInvoices"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&job_id, Duration::from_secs(60)).await;
    assert_eq!(
        (job["state"].as_str(), job["result"]["rendered"].as_i64()),
        (Some("DONE"), Some(1)),
        "{job}"
    );
    let resp = download(&app, &format!("/files/jobs/{job_id}"), &app.admin_token).await;
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let pdf = resp
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_vec();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap_or_else(|e| panic!("{e}"));
    let money = |v: &Value| {
        let mut d: Decimal = v.as_str().unwrap_or("0").parse().unwrap_or_default();
        d.rescale(2);
        d.to_string()
    };
    for needle in [
        "Рахунок за комунальні послуги".to_owned(),
        a["number"].as_str().unwrap_or_default().to_owned(),
        a["holderName"].as_str().unwrap_or_default().to_owned(),
        money(&invoice["charged"]),
        money(&invoice["closing"]),
        "ООО «Водоканал Демо»".to_owned(),
        "Показания передавайте до 25 числа.".to_owned(),
    ] {
        assert!(
            text.contains(&needle),
            "{needle:?} not in the PDF text: {text}"
        );
    }
    // YYYY-MM of the invoice's period (its first day).
    let period = invoice["period"]
        .as_str()
        .unwrap_or_default()
        .get(..7)
        .unwrap_or_default()
        .to_owned();
    let (year, month) = (&period[..4], &period[5..7]);
    let closing: Decimal = invoice["closing"]
        .as_str()
        .unwrap_or("0")
        .parse()
        .unwrap_or_default();
    let expected = domain::payment_qr::payload(
        domain::payment_qr::QrFormat::Gost,
        &domain::payment_qr::Payee {
            name: "ООО «Водоканал Демо»".into(),
            tax_code: "7701234567".into(),
            account: "40702810900000000001".into(),
            bank_name: "ПАО Сбербанк".into(),
            bic: "044525225".into(),
            correspondent_account: "30101810400000000225".into(),
            currency: "UAH".into(),
        },
        &domain::payment_qr::Request {
            amount: closing,
            account_number: a["number"].as_str().unwrap_or_default().into(),
            payer: a["holderName"].as_str().unwrap_or_default().into(),
            address: a["address"].as_str().unwrap_or_default().into(),
            period: format!("{month}{year}"),
            purpose: "Оплата ЖКУ".into(),
        },
    );
    let (qr, images) = decode_qr(&pdf);
    assert_eq!(qr, expected);
    assert_eq!(images, 2, "the logo and the QR code");

    // The whole period: one PDF per invoice, each downloadable from the account.
    let r = app
        .gql(
            "mutation { renderInvoices(input: {scope: TENANT}) { id } }",
            json!({}),
        )
        .await;
    let job = app
        .wait_job(
            r["data"]["renderInvoices"]["id"]
                .as_str()
                .unwrap_or_default(),
            Duration::from_secs(120),
        )
        .await;
    let invoices = job["result"]["invoices"].as_i64().unwrap_or(0);
    assert!(invoices >= 30, "{job}");
    assert_eq!(job["result"]["rendered"].as_i64(), Some(invoices), "{job}");
    // All of them as one download: a zip of every invoice's PDF.
    let resp = download(
        &app,
        &format!("/files/jobs/{}", job["id"].as_str().unwrap_or_default()),
        &app.admin_token,
    )
    .await;
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/zip")
    );
    let bytes = resp.bytes().await.unwrap_or_default().to_vec();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("not a zip: {e}"));
    assert_eq!(i64::try_from(archive.len()).ok(), Some(invoices));
    let mut first = Vec::new();
    std::io::Read::read_to_end(
        &mut archive.by_index(0).unwrap_or_else(|e| panic!("{e}")),
        &mut first,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(first.starts_with(b"%PDF-"), "each entry is a PDF");
    let docs = app
        .gql(
            "query($a: Int!) { invoiceDocuments(accountId: $a) { period size } }",
            json!({ "a": id }),
        )
        .await;
    assert_eq!(
        docs["data"]["invoiceDocuments"][0]["period"]
            .as_str()
            .map(|p| &p[..7]),
        Some(period.as_str()),
        "{docs}"
    );
    let resp = download(
        &app,
        &format!("/files/invoices/{id}/{period}"),
        &app.admin_token,
    )
    .await;
    assert!(resp.status().is_success(), "{}", resp.status());
    assert!(resp.bytes().await.unwrap_or_default().starts_with(b"%PDF-"));
    let resp = download(
        &app,
        &format!("/files/invoices/{id}/1999-01"),
        &app.admin_token,
    )
    .await;
    assert_eq!(resp.status().as_u16(), 404);
    let controller = app
        .login(
            &format!("{}.controller", app.tenant),
            crate::helpers::PASSWORD,
        )
        .await;
    let resp = download(&app, &format!("/files/invoices/{id}/{period}"), &controller).await;
    assert_eq!(
        resp.status().as_u16(),
        403,
        "a meter reader does not see invoices"
    );
    assert_eq!(
        app.audit_actions("invoice_settings", None).await,
        vec!["logo".to_owned(), "update".to_owned()]
    );

    // By e-mail: one message per invoice whose subscriber has an address, the PDF attached;
    // sent once, again only when asked.
    let tag = uuid::Uuid::new_v4().simple().to_string();
    sql(&app, &format!(
        "UPDATE \"{{s}}\".subscribers s SET email = 'inv-{tag}-' || s.id || '@example.com' \
         WHERE s.id IN (SELECT a.subscriber_id FROM \"{{s}}\".accounts a JOIN \"{{s}}\".invoices v ON v.account_id = a.id \
                        ORDER BY a.id LIMIT 3)"
    ))
    .await;
    let mail = "mutation($r: Boolean!) { mailInvoices(input: {scope: TENANT, resend: $r}) { id } }";
    let mailing = |resend: bool| {
        let app = &app;
        async move {
            let r = app.gql(mail, json!({ "r": resend })).await;
            let id = r["data"]["mailInvoices"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{r}"))
                .to_owned();
            app.wait_job(&id, Duration::from_secs(60)).await
        }
    };
    let job = mailing(false).await;
    assert_eq!(job["result"]["messages"], 3, "{job}");
    let mut sent = Vec::new();
    for _ in 0..100 {
        let r = app
            .gql(
                "query($p: String!) { invoiceMails(period: $p) { email state attempts } }",
                json!({ "p": period }),
            )
            .await;
        sent = r["data"]["invoiceMails"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if sent.len() == 3 && sent.iter().all(|m| m["state"] == "sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        sent.len() == 3
            && sent
                .iter()
                .all(|m| m["state"] == "sent" && m["attempts"] == 1),
        "{sent:?}"
    );
    let first = sent[0]["email"].as_str().unwrap_or_default().to_owned();
    let received = crate::helpers::mails_to(&first);
    assert_eq!(received.len(), 1, "one message to {first}");
    // Its MIME parts: a text part and the invoice as a PDF attachment, readable as one.
    let parsed = mailparse::parse_mail(received[0].as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let types: Vec<String> = parsed
        .subparts
        .iter()
        .map(|p| p.ctype.mimetype.clone())
        .collect();
    assert_eq!(types, vec!["text/plain", "application/pdf"], "{types:?}");
    let greeting = parsed.subparts[0].get_body().unwrap_or_default();
    assert!(
        greeting.contains("у вкладенні"),
        "in the tenant's language: {greeting}"
    );
    let attached = &parsed.subparts[1];
    let disposition = attached.get_content_disposition();
    assert_eq!(
        disposition.disposition,
        mailparse::DispositionType::Attachment
    );
    assert!(
        disposition
            .params
            .get("filename")
            .is_some_and(|f| f.ends_with(".pdf")),
        "named as a PDF: {disposition:?}"
    );
    let body = attached.get_body_raw().unwrap_or_default();
    assert!(body.starts_with(b"%PDF-"), "the attachment is a PDF");
    let text = pdf_extract::extract_text_from_mem(&body).unwrap_or_default();
    assert!(
        text.contains("Рахунок за комунальні послуги") && text.contains("ООО «Водоканал Демо»"),
        "the attachment is the tenant's invoice: {text}"
    );
    let job = mailing(false).await;
    assert_eq!(job["result"]["messages"], 0, "nothing is sent twice: {job}");
    let job = mailing(true).await;
    assert_eq!(job["result"]["messages"], 3, "unless asked: {job}");
    let settled = || async {
        for _ in 0..150 {
            let r = app
                .gql(
                    "query($p: String!) { invoiceMails(period: $p) { state } }",
                    json!({ "p": period }),
                )
                .await;
            let all = r["data"]["invoiceMails"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if !all.is_empty() && all.iter().all(|m| m["state"] == "sent") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("the messages were not all sent");
    };
    settled().await;
    assert_eq!(
        crate::helpers::mails_to(&first).len(),
        2,
        "the first and the resend"
    );
    // Two "send again" at once: each message goes once more, not twice.
    let (a, b) = tokio::join!(mailing(true), mailing(true));
    assert_eq!(
        (&a["state"], &b["state"]),
        (&json!("DONE"), &json!("DONE")),
        "{a} {b}"
    );
    settled().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        crate::helpers::mails_to(&first).len(),
        3,
        "the first, the resend, and one for the two resends at once"
    );
    // Two attempts at one message at once (two jobs of it): one sends, the other finds it
    // claimed.
    let account = crate::helpers::sql_number(
        &app,
        &format!("SELECT account_id FROM \"{{s}}\".invoice_mails WHERE email = '{first}'"),
    )
    .await;
    let p: domain::Period = period.parse().unwrap_or_else(|e| panic!("{e:?}"));
    let txn = backend::tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let now = chrono::Utc::now();
    let queued = documents::invoices::mailing::queue(&txn, p, &[account], Some(now), now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(queued.len(), 1);
    let (x, y) = tokio::join!(
        documents::invoices::mailing::send(&app.state, &app.tenant, account, p),
        documents::invoices::mailing::send(&app.state, &app.tenant, account, p)
    );
    let sent: Vec<bool> = [x, y]
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(sent.iter().filter(|s| **s).count(), 1, "{sent:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(crate::helpers::mails_to(&first).len(), 4);
    worker.stop().await;
}
