//! The bank's payment file of the open month, as the bank sends it (a spreadsheet with a
//! header row in Ukraine, the `#FILESUM` registry in cp1251 in Russia), uploaded and
//! posted by the same job an operator's upload queues: it lands in the registry of files
//! with its protocol — one row of a payer the bank could not tie to an account. In Russia
//! the company pays by a payment order: its money comes in the bank's 1C
//! ClientBankExchange statement of the tenant's settlement account, beside the tenant's
//! own payment to its electricity supplier (listed as skipped).

use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};

use super::months::{Ctx, Due};
use super::spec::BankFile;
use backend::error::{AppError, AppResult};
use backend::jobs::{self, JobKind, runner};
use backend::storage::ObjectStore;
use payments::jobs::payments_import::PaymentsImport;
use payments::upload::{self, Registration};
use platform::sql::stmt;

/// A payer the bank took money from who named a number the utility does not have.
const STRANGER: (&str, &str, &str) = ("100999", "Невідомий платник", "—");

fn spreadsheet(rows: &[&Due], day: chrono::NaiveDate) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, head) in ["Особовий рахунок", "Платник", "Адреса", "Сума", "Дата"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string(0, u16::try_from(c).unwrap_or(0), *head)
            .map_err(err)?;
    }
    let stranger = Due {
        account: STRANGER.0.into(),
        account_id: 0,
        payer: STRANGER.1.into(),
        amount: Decimal::new(25000, 2),
        paid_on: day,
        channel: super::months::Channel::Bank,
    };
    for (r, d) in (1u32..).zip(rows.iter().copied().chain(std::iter::once(&stranger))) {
        sheet.write_string(r, 0, &d.account).map_err(err)?;
        sheet.write_string(r, 1, &d.payer).map_err(err)?;
        sheet.write_string(r, 2, STRANGER.2).map_err(err)?;
        sheet
            .write_number(r, 3, d.amount.to_string().parse::<f64>().unwrap_or(0.0))
            .map_err(err)?;
        sheet
            .write_string(r, 4, d.paid_on.format("%d.%m.%Y").to_string())
            .map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn registry(rows: &[&Due], day: chrono::NaiveDate) -> Vec<u8> {
    let stranger_amount = Decimal::new(25000, 2);
    let sum: Decimal = rows.iter().map(|d| d.amount).sum::<Decimal>() + stranger_amount;
    let mut text = format!(
        "#FILESUM {}\r\n#FILELINES {}\r\n#TYPE 7\r\n",
        sum.to_string().replace('.', ","),
        rows.len() + 1
    );
    for (n, d) in rows.iter().enumerate() {
        text.push_str(&format!(
            "{};10:{:02};{};1;{};{};;;{}\r\n",
            d.paid_on.format("%d-%m-%Y"),
            n % 60,
            8_000_000 + n,
            d.account,
            d.payer,
            d.amount.to_string().replace('.', ",")
        ));
    }
    text.push_str(&format!(
        "{};11:00;{};1;{};Неизвестный плательщик;;;{}\r\n",
        day.format("%d-%m-%Y"),
        8_999_999,
        STRANGER.0,
        stranger_amount.to_string().replace('.', ",")
    ));
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    bytes.into_owned()
}

/// The 1C statement of the day for the settlement account the invoices print: the
/// companies' payment orders in, and the tenant's own payment to its supplier out.
fn statement(own: &str, rows: &[&Due], day: chrono::NaiveDate) -> Vec<u8> {
    let date = day.format("%d.%m.%Y");
    let incoming: Decimal = rows.iter().map(|d| d.amount).sum();
    let outgoing = Decimal::new(1_250_000, 2);
    let opening = Decimal::new(48_210_000, 2);
    let mut text = format!(
        "1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\nОтправитель=СберБизнес\r\n\
         Получатель=1С:Бухгалтерия\r\nДатаСоздания={date}\r\nДатаНачала={date}\r\nДатаКонца={date}\r\nРасчСчет={own}\r\n\
         СекцияРасчСчет\r\nДатаНачала={date}\r\nДатаКонца={date}\r\nРасчСчет={own}\r\nНачальныйОстаток={opening}\r\n\
         ВсегоПоступило={incoming}\r\nВсегоСписано={outgoing}\r\nКонечныйОстаток={}\r\nКонецРасчСчет\r\n",
        opening + incoming - outgoing
    );
    for (n, d) in (412u32..).zip(rows) {
        text.push_str(&format!(
            "СекцияДокумент=Платежное поручение\r\nНомер={n}\r\nДата={date}\r\nСумма={}\r\n\
             ПлательщикСчет=40702810900000004512\r\nПлательщик1={}\r\nПолучательСчет={own}\r\n\
             НазначениеПлатежа=Оплата по договору, ЛС: {}. НДС не облагается\r\nКонецДокумента\r\n",
            d.amount, d.payer, d.account
        ));
    }
    text.push_str(&format!(
        "СекцияДокумент=Платежное поручение\r\nНомер=87\r\nДата={date}\r\nСумма={outgoing}\r\n\
         ПлательщикСчет={own}\r\nПлательщик1=ООО «УК «Демо-Сервис»\r\nПолучательСчет=40702810100000000190\r\n\
         Получатель1=АО «АтомЭнергоСбыт»\r\nНазначениеПлатежа=Оплата электроэнергии на ОДН\r\nКонецДокумента\r\nКонецФайла\r\n"
    ));
    encoding_rs::WINDOWS_1251.encode(&text).0.into_owned()
}

#[derive(FromQueryResult)]
struct OwnAccount {
    account: String,
}

#[derive(FromQueryResult)]
struct TemplateId {
    id: i32,
}

/// Uploads the file of `rows` (and the stranger) received today, and runs its job here;
/// in Russia the company's payment comes in the bank's 1C statement instead.
pub async fn upload_and_post(ctx: &Ctx<'_>, month: domain::Period, rows: &[&Due]) -> AppResult<()> {
    let day = ctx.cal.today().max(month.first_day()).min(month.last_day());
    match ctx.spec.bank_file {
        BankFile::Spreadsheet => {
            let bytes = spreadsheet(rows, day)?;
            post(
                ctx,
                month,
                day,
                bytes,
                "xlsx",
                format!("oschadbank-{day}.xlsx"),
            )
            .await
        }
        BankFile::Registry => {
            let (orders, people): (Vec<&Due>, Vec<&Due>) = rows
                .iter()
                .copied()
                .partition(|d| d.account == ctx.spec.company.account);
            // The statement first: the registry is the newest file on the screen.
            if !orders.is_empty() {
                let txn = ctx.begin().await?;
                let own = OwnAccount::find_by_statement(stmt(
                    "SELECT account FROM invoice_settings",
                    vec![],
                ))
                .one(&txn)
                .await?
                .map(|r| r.account)
                .unwrap_or_default();
                txn.commit().await?;
                let bytes = statement(&own, &orders, day);
                post(ctx, month, day, bytes, "1c", format!("kl_to_1c-{day}.txt")).await?;
            }
            let bytes = registry(&people, day);
            post(ctx, month, day, bytes, "csv", format!("sber-{day}.txt")).await
        }
    }
}

/// Stores `bytes` as an operator's upload of `format` and runs its job here.
async fn post(
    ctx: &Ctx<'_>,
    month: domain::Period,
    day: chrono::NaiveDate,
    bytes: Vec<u8>,
    format: &str,
    name: String,
) -> AppResult<()> {
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let key = ObjectStore::tenant_key(
        ctx.tenant,
        &format!("uploads/{}-{name}", uuid::Uuid::new_v4()),
    );
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    ctx.state
        .store
        .put(&key, bytes, "application/octet-stream")
        .await?;
    let now = ctx
        .cal
        .at(day, 10)
        .max(ctx.cal.now - chrono::Duration::minutes(5));
    let txn = ctx.begin().await?;
    let template = TemplateId::find_by_statement(stmt(
        "SELECT id FROM payment_templates WHERE format = $1 ORDER BY id LIMIT 1",
        vec![format.into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::Internal(format!("no {format} payment template")))?
    .id;
    let actor = &ctx.cast.operator;
    let (file_id, _) = upload::register(
        &txn,
        actor,
        now,
        &Registration {
            file_name: name,
            sha256,
            object_key: key,
            size,
            template_id: template,
            bank_id: Some(ctx.world.bank(ctx.spec.banks.2)?),
            received_on: day,
            charge_period: Some(month.prev()),
        },
    )
    .await?;
    let spec = PaymentsImport {
        file_id,
        reach: backend::auth::Reach::default(),
        lang: ctx.spec.lang.into(),
        user_id: actor.user_id,
        login: actor.login.clone(),
    };
    let (row, msg) = operators_job(ctx, &txn, JobKind::PaymentsImport(spec), now).await?;
    upload::attach_job(&txn, file_id, row.id).await?;
    txn.commit().await?;
    run_here(ctx, &msg, "the demo's bank file was not posted").await
}

/// The operator's job, as their upload would record it: they follow it in their jobs list.
pub(super) async fn operators_job(
    ctx: &Ctx<'_>,
    txn: &sea_orm::DatabaseTransaction,
    kind: JobKind,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<(backend::entities::job::Model, backend::jobs::JobMessage)> {
    let reach = backend::auth::Reach::default();
    jobs::record_as(
        txn,
        ctx.tenant,
        &kind,
        now,
        Some((&ctx.cast.operator, jobs::stored_reach(&reach)?)),
    )
    .await
}

/// Runs a recorded job here, as a worker would; `failed` says what did not happen.
pub(super) async fn run_here(
    ctx: &Ctx<'_>,
    msg: &backend::jobs::JobMessage,
    failed: &str,
) -> AppResult<()> {
    match runner::execute(ctx.state, msg).await? {
        runner::Outcome::Done => Ok(()),
        other => Err(AppError::Internal(format!("{failed}: {other:?}"))),
    }
}
