//! GraphQL operations, type-checked against the committed schema
//! (`backend/schema.graphql`) at compile time by graphql_client.

use graphql_client::{GraphQLQuery, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

// Custom scalars of the schema, as the client sees them.
type Decimal = String;
#[allow(clippy::upper_case_acronyms)]
type UUID = String;
type DateTime = String;
#[allow(clippy::upper_case_acronyms)]
type JSON = serde_json::Value;
type NaiveDate = String;

/// A fresh idempotency key (a random UUID from the browser's crypto): sent with a
/// mutation that must not act twice, so a double click or a retry is answered with the
/// first result.
pub fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            format!("k-{}-{}", js_sys::Date::now(), js_sys::Math::random()).replace('.', "")
        })
}

/// One struct per operation of the `.graphql` files, typed from the committed schema.
/// (`tt`, not `literal`: the derive must see a plain string token.)
macro_rules! operations {
    ($($name:ident => $file:tt),* $(,)?) => {$(
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../backend/schema.graphql",
            query_path = $file,
            response_derives = "Clone, PartialEq, Debug",
            variables_derives = "Clone, PartialEq, Debug"
        )]
        pub struct $name;
    )*};
}

operations! {
    RetailCustomers => "graphql/retail/retail.graphql",
    RetailChoices => "graphql/retail/retail.graphql",
    RetailCustomerCard => "graphql/retail/retail.graphql",
    SaveRetailCustomer => "graphql/retail/retail.graphql",
    SaveRetailPoint => "graphql/retail/retail.graphql",
    SaveRetailContract => "graphql/retail/retail.graphql",
    RemoveRetailDocument => "graphql/retail/retail.graphql",
    Shell => "graphql/shell/shell.graphql",
    ChangeMyPassword => "graphql/shell/password.graphql",
    BillingSettingsQuery => "graphql/settings/settings.graphql",
    UpdateBillingSettings => "graphql/settings/settings.graphql",
    SecuritySettingsQuery => "graphql/settings/settings.graphql",
    UpdateSecuritySettings => "graphql/settings/settings.graphql",
    AccountNumberingQuery => "graphql/settings/settings.graphql",
    UpdateAccountNumbering => "graphql/settings/settings.graphql",
    EnterpriseQuery => "graphql/settings/settings.graphql",
    UpdateEnterprise => "graphql/settings/settings.graphql",
    BillingPeriods => "graphql/billing/billing.graphql",
    CalculatePeriod => "graphql/billing/billing.graphql",
    SimulatePeriod => "graphql/billing/billing.graphql",
    CloseBillingPeriod => "graphql/billing/billing.graphql",
    ReopenPeriod => "graphql/billing/billing.graphql",
    ClosingSummary => "graphql/billing/billing.graphql",
    BillingJob => "graphql/billing/billing.graphql",
    AccountInvoices => "graphql/billing/billing.graphql",
    InvoiceLines => "graphql/billing/billing.graphql",
    AccountHistory => "graphql/billing/billing.graphql",
    Acts => "graphql/acts/acts.graphql",
    ActById => "graphql/acts/acts.graphql",
    ActChoices => "graphql/acts/acts.graphql",
    ActMeters => "graphql/acts/acts.graphql",
    ActHouseMeters => "graphql/acts/acts.graphql",
    ActClosablePayments => "graphql/acts/acts.graphql",
    ReportCatalog => "graphql/reports/reports.graphql",
    Report => "graphql/reports/reports.graphql",
    PenaltyStatement => "graphql/reports/reports.graphql",
    ReportDashboard => "graphql/reports/reports.graphql",
    ReportSchedules => "graphql/reports/reports.graphql",
    ReportControllers => "graphql/reports/reports.graphql",
    RequestInterimSummary => "graphql/reports/reports.graphql",
    SaveReportSchedule => "graphql/reports/reports.graphql",
    DeleteReportSchedule => "graphql/reports/reports.graphql",
    ClaimTemplate => "graphql/reports/reports.graphql",
    MenuDashboard => "graphql/reports/reports.graphql",
    SaveClaimTemplate => "graphql/reports/reports.graphql",
    RequestClaimLetters => "graphql/reports/reports.graphql",
    DebtCases => "graphql/subscribers/account.graphql",
    AddDebtCase => "graphql/subscribers/account.graphql",
    CreateAct => "graphql/acts/acts.graphql",
    UpdateAct => "graphql/acts/acts.graphql",
    DeleteAct => "graphql/acts/acts.graphql",
    SetActsStatus => "graphql/acts/acts.graphql",
    AddCorrection => "graphql/acts/acts.graphql",
    FormInvoice => "graphql/billing/billing.graphql",
    Summary => "graphql/shell/shell.graphql",
    Accounts => "graphql/subscribers/accounts.graphql",
    AccountPlaces => "graphql/subscribers/accounts.graphql",
    MoveAccountsToJournal => "graphql/subscribers/accounts.graphql",
    RequestAccountsExport => "graphql/shared/export.graphql",
    JobStatus => "graphql/shared/export.graphql",
    RequestListExport => "graphql/shared/export.graphql",
    ReferenceBook => "graphql/pricing/books.graphql",
    PickBuildings => "graphql/shared/picker.graphql",
    PickAccounts => "graphql/shared/picker.graphql",
    PickBookItems => "graphql/shared/picker.graphql",
    AddAddress => "graphql/admin/addresses.graphql",
    AccountCard => "graphql/subscribers/account.graphql",
    AddResident => "graphql/subscribers/account.graphql",
    OpenAccount => "graphql/subscribers/account.graphql",
    Buildings => "graphql/admin/addresses.graphql",
    BuildingCard => "graphql/admin/addresses.graphql",
    CreateReferenceItem => "graphql/pricing/books.graphql",
    UpdateReferenceItem => "graphql/pricing/books.graphql",
    DeleteReferenceItem => "graphql/pricing/books.graphql",
    Me => "graphql/shell/me.graphql",
    PlatformTenants => "graphql/platform/platform.graphql",
    PortalCode => "graphql/subscribers/portal_code.graphql",
    RenewPortalCode => "graphql/subscribers/portal_code.graphql",
    CreateTenant => "graphql/platform/platform.graphql",
    SetTenantActive => "graphql/platform/platform.graphql",
    InviteTenantAdmin => "graphql/platform/platform.graphql",
    TenantExports => "graphql/platform/platform.graphql",
    ExportTenant => "graphql/platform/platform.graphql",
    DeleteTenant => "graphql/platform/platform.graphql",
    Users => "graphql/admin/admin.graphql",
    CreateUser => "graphql/admin/admin.graphql",
    SetUserActive => "graphql/admin/admin.graphql",
    ResetUserPassword => "graphql/admin/admin.graphql",
    InviteUser => "graphql/admin/admin.graphql",
    Roles => "graphql/admin/admin.graphql",
    CreateRole => "graphql/admin/admin.graphql",
    UpdateRole => "graphql/admin/admin.graphql",
    DeleteRole => "graphql/admin/admin.graphql",
    UpdateUser => "graphql/admin/admin.graphql",
    AuditLog => "graphql/admin/admin.graphql",
    ReachChoices => "graphql/admin/admin.graphql",
    Tariffs => "graphql/pricing/prices.graphql",
    PriceChoices => "graphql/pricing/prices.graphql",
    SetTariff => "graphql/pricing/prices.graphql",
    DeleteTariff => "graphql/pricing/prices.graphql",
    Norms => "graphql/pricing/prices.graphql",
    SetNorm => "graphql/pricing/prices.graphql",
    DeleteNorm => "graphql/pricing/prices.graphql",
    PenaltyRates => "graphql/pricing/prices.graphql",
    PenaltyMoratoria => "graphql/pricing/prices.graphql",
    SavePenaltyMoratorium => "graphql/pricing/prices.graphql",
    DeletePenaltyMoratorium => "graphql/pricing/prices.graphql",
    HeatingCoefficients => "graphql/pricing/prices.graphql",
    SaveHeatingCoefficient => "graphql/pricing/prices.graphql",
    DeleteHeatingCoefficient => "graphql/pricing/prices.graphql",
    SetPenaltyRate => "graphql/pricing/prices.graphql",
    DeletePenaltyRate => "graphql/pricing/prices.graphql",
    AddAccountService => "graphql/subscribers/account.graphql",
    RemoveAccountService => "graphql/subscribers/account.graphql",
    UpdateAccountService => "graphql/subscribers/account.graphql",
    GroupAssignService => "graphql/subscribers/account.graphql",
    GroupChangeServicePeriod => "graphql/subscribers/account.graphql",
    GroupRemoveService => "graphql/subscribers/account.graphql",
    BenefitChoices => "graphql/subscribers/account.graphql",
    AddBeneficiary => "graphql/subscribers/account.graphql",
    EndBeneficiary => "graphql/subscribers/account.graphql",
    RemoveBeneficiary => "graphql/subscribers/account.graphql",
    SetSubsidy => "graphql/subscribers/account.graphql",
    DeleteSubsidy => "graphql/subscribers/account.graphql",
    SetOpeningBalance => "graphql/subscribers/account.graphql",
    AddRestructuring => "graphql/subscribers/account.graphql",
    CancelRestructuring => "graphql/subscribers/account.graphql",
    LegalEntities => "graphql/subscribers/legal.graphql",
    LegalEntityCard => "graphql/subscribers/legal.graphql",
    CreateLegalEntity => "graphql/subscribers/legal.graphql",
    AddContract => "graphql/subscribers/legal.graphql",
    AddMeteringPoint => "graphql/subscribers/legal.graphql",
    RemoveMeteringPoint => "graphql/subscribers/legal.graphql",
    UpdateBuilding => "graphql/admin/addresses.graphql",
    UpdatePremises => "graphql/admin/addresses.graphql",
    SetPremisesAreas => "graphql/admin/addresses.graphql",
    DeletePremises => "graphql/admin/addresses.graphql",
    DeleteBuilding => "graphql/admin/addresses.graphql",
    UpdateLocality => "graphql/admin/addresses.graphql",
    UpdateStreet => "graphql/admin/addresses.graphql",
    UpdateBuildingAddress => "graphql/admin/addresses.graphql",
    OpenAccountsForBuildings => "graphql/admin/addresses.graphql",
    ChangeBuildingsServices => "graphql/admin/addresses.graphql",
    SetAccountHolder => "graphql/subscribers/account.graphql",
    SubscribersLookup => "graphql/subscribers/account.graphql",
    UpdateResident => "graphql/subscribers/account.graphql",
    RemoveResident => "graphql/subscribers/account.graphql",
    RestoreResident => "graphql/subscribers/account.graphql",
    ReregisterResident => "graphql/subscribers/account.graphql",
    UpdateSubscriber => "graphql/subscribers/account.graphql",
    UpdateAccount => "graphql/subscribers/account.graphql",
    SetAccountsStatus => "graphql/subscribers/account.graphql",
    Meters => "graphql/metering/meters.graphql",
    MeterChoices => "graphql/metering/meters.graphql",
    MeteringPointChoices => "graphql/metering/meters.graphql",
    CreateMeter => "graphql/metering/meters.graphql",
    UpdateMeter => "graphql/metering/meters.graphql",
    DeleteMeter => "graphql/metering/meters.graphql",
    RemoveMeter => "graphql/metering/meters.graphql",
    RestoreMeter => "graphql/metering/meters.graphql",
    AssignMainMeter => "graphql/metering/meters.graphql",
    MainMeterChoices => "graphql/metering/meters.graphql",
    RemoveMainMeter => "graphql/metering/meters.graphql",
    VerifyMeter => "graphql/metering/meters.graphql",
    MeterChanges => "graphql/metering/meters.graphql",
    ReplaceMainMeter => "graphql/metering/meters.graphql",
    EnterReading => "graphql/metering/readings.graphql",
    MeterReadings => "graphql/metering/readings.graphql",
    ClearBuildingReadings => "graphql/metering/readings.graphql",
    ImportStatus => "graphql/metering/readings.graphql",
    HeldReadings => "graphql/metering/readings.graphql",
    AcceptHeldReading => "graphql/metering/readings.graphql",
    RejectHeldReading => "graphql/metering/readings.graphql",
    PaymentRules => "graphql/payments/payments.graphql",
    Payments => "graphql/payments/payments.graphql",
    PaymentDue => "graphql/payments/payments.graphql",
    CreatePayment => "graphql/payments/payments.graphql",
    CancelPayment => "graphql/payments/payments.graphql",
    PaymentBatches => "graphql/payments/payments.graphql",
    PaymentBatch => "graphql/payments/payments.graphql",
    CreatePaymentBatch => "graphql/payments/payments.graphql",
    SetPaymentBatchItems => "graphql/payments/payments.graphql",
    PostPaymentBatch => "graphql/payments/payments.graphql",
    CancelPaymentBatch => "graphql/payments/payments.graphql",
    DeletePaymentBatch => "graphql/payments/payments.graphql",
    PaymentFiles => "graphql/payments/payments.graphql",
    ImportKinds => "graphql/imports/imports.graphql",
    ImportFiles => "graphql/imports/imports.graphql",
    ImportRows => "graphql/imports/imports.graphql",
    ImportSampleQuery => "graphql/imports/imports.graphql",
    PostImports => "graphql/imports/imports.graphql",
    MatchImportRow => "graphql/imports/imports.graphql",
    ImportEmployees => "graphql/imports/imports.graphql",
    SaveImportTemplate => "graphql/imports/imports.graphql",
    PaymentFileRows => "graphql/payments/payments.graphql",
    MatchPaymentFileRow => "graphql/payments/payments.graphql",
    SavePaymentTemplate => "graphql/payments/payments.graphql",
    UpdatePaymentSettings => "graphql/payments/payments.graphql",
    RenderInvoices => "graphql/billing/billing.graphql",
    InvoiceSettingsQuery => "graphql/billing/billing.graphql",
    UpdateInvoiceSettings => "graphql/billing/billing.graphql",
    RemoveInvoiceLogo => "graphql/billing/billing.graphql",
    ExportInvoicesXml => "graphql/billing/billing.graphql",
    MailSettingsQuery => "graphql/documents/mail.graphql",
    UpdateMailSettings => "graphql/documents/mail.graphql",
    SendTestMail => "graphql/documents/mail.graphql",
    MailInvoices => "graphql/documents/mail.graphql",
    InvoiceMails => "graphql/documents/mail.graphql",
    ReminderSettingsQuery => "graphql/documents/mail.graphql",
    UpdateReminderSettings => "graphql/documents/mail.graphql",
    SendRemindersNow => "graphql/documents/mail.graphql",
    MyAccounts => "graphql/portal/portal.graphql",
    PortalAccount => "graphql/portal/portal.graphql",
    SubmitPortalReading => "graphql/portal/portal.graphql",
}

thread_local! {
    /// The language the UI shows; sent as Accept-Language so server messages match it.
    static LANG: std::cell::Cell<&'static str> = const { std::cell::Cell::new("uk") };
}

/// The language the client shows (sent as Accept-Language).
pub fn lang() -> &'static str {
    LANG.with(|l| l.get())
}

pub fn set_lang(code: &'static str) {
    LANG.with(|l| l.set(code));
}

/// The CSRF token the server set at sign-in (a readable cookie); every request echoes it.
pub fn csrf_token() -> Option<String> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?
        .document()?
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?;
    let cookies = doc.cookie().ok()?;
    cookies
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == "billing_csrf")
        .map(|(_, v)| v.to_owned())
}

/// graphql_client gives every operation its own copy of a schema enum; this converts
/// between two copies by their shared wire name.
pub fn same_enum<A: Serialize, B: DeserializeOwned>(a: &A) -> Option<B> {
    serde_json::to_value(a)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
}

/// An error from the server: its stable code (`extensions.code`), field and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
    /// Required fields found empty before sending (`form::missing`); empty for the server's.
    pub missing: Vec<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ApiError {
    /// A refusal known only by its text (a job's failure, an upload's answer): no field.
    pub fn text(reason: String) -> Self {
        Self {
            code: "FAILED".into(),
            field: None,
            message: reason,
            missing: Vec::new(),
        }
    }

    fn network(e: impl ToString) -> Self {
        Self {
            code: "NETWORK".into(),
            field: None,
            message: e.to_string(),
            missing: Vec::new(),
        }
    }
}

/// Posts one operation to `/graphql`.
pub async fn call<Q: GraphQLQuery>(vars: Q::Variables) -> Result<Q::ResponseData, ApiError>
where
    Q::Variables: Serialize,
    Q::ResponseData: DeserializeOwned,
{
    let body = Q::build_query(vars);
    let mut req =
        gloo_net::http::Request::post("/graphql").header("Accept-Language", LANG.with(|l| l.get()));
    if let Some(t) = csrf_token() {
        req = req.header("X-CSRF-Token", &t);
    }
    let resp = req
        .json(&body)
        .map_err(ApiError::network)?
        .send()
        .await
        .map_err(ApiError::network)?;
    let parsed: Response<Q::ResponseData> = resp.json().await.map_err(ApiError::network)?;
    if let Some(err) = parsed.errors.as_ref().and_then(|e| e.first()) {
        let ext = err.extensions.as_ref();
        let get = |k: &str| {
            ext.and_then(|e| e.get(k))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        return Err(ApiError {
            code: get("code").unwrap_or_default(),
            field: get("field"),
            message: err.message.clone(),
            missing: Vec::new(),
        });
    }
    parsed
        .data
        .ok_or_else(|| ApiError::network("empty response"))
}

/// `call` with the error as text (for screens that only show it).
pub async fn run<Q: GraphQLQuery>(vars: Q::Variables) -> Result<Q::ResponseData, String>
where
    Q::Variables: Serialize,
    Q::ResponseData: DeserializeOwned,
{
    call::<Q>(vars).await.map_err(|e| e.message)
}

/// What sign-in answered.
pub enum LoginOutcome {
    Ok,
    Wrong,
    Throttled(u64),
    Suspended,
    Failed(String),
}

pub async fn login(login: &str, password: &str) -> LoginOutcome {
    let body = serde_json::json!({ "login": login, "password": password });
    let resp = match gloo_net::http::Request::post("/auth/login").json(&body) {
        Ok(r) => r.send().await,
        Err(e) => return LoginOutcome::Failed(e.to_string()),
    };
    let resp = match resp {
        Ok(r) => r,
        Err(e) => return LoginOutcome::Failed(e.to_string()),
    };
    let status = resp.status();
    let json: serde_json::Value = resp.json().await.unwrap_or_default();
    match status {
        200 => LoginOutcome::Ok,
        401 => LoginOutcome::Wrong,
        429 => LoginOutcome::Throttled(json["error"]["retryAfter"].as_u64().unwrap_or(60)),
        403 => LoginOutcome::Suspended,
        _ => LoginOutcome::Failed(
            json["error"]["message"]
                .as_str()
                .unwrap_or("error")
                .to_owned(),
        ),
    }
}

/// Posts `body` to a plain auth endpoint in the user's language: Ok(the answer's JSON) on
/// 2xx, else Err(the server's message, already translated).
async fn auth_post(path: &str, body: &serde_json::Value) -> Result<serde_json::Value, String> {
    let resp = gloo_net::http::Request::post(path)
        .header("Accept-Language", lang())
        .json(body)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let ok = resp.ok();
    let json: serde_json::Value = resp.json().await.unwrap_or_default();
    if ok {
        Ok(json)
    } else {
        Err(json["error"]["message"]
            .as_str()
            .unwrap_or("error")
            .to_owned())
    }
}

/// Asks for a password link to the e-mail of the user `login` (or e-mail) names; the
/// answer is the same whether anyone has it.
pub async fn forgot_password(login: &str) -> Result<(), String> {
    auth_post("/auth/forgot", &serde_json::json!({ "login": login }))
        .await
        .map(|_| ())
}

/// Registers a subscriber in the portal; the invitation link goes to `email`.
pub async fn register(
    tenant: &str,
    account_number: &str,
    code: &str,
    email: &str,
    display_name: &str,
) -> Result<(), String> {
    auth_post(
        "/auth/register",
        &serde_json::json!({ "tenant": tenant, "accountNumber": account_number, "code": code,
                             "email": email, "displayName": display_name }),
    )
    .await
    .map(|_| ())
}

/// Sets the password a link's `token` is for; the login it belongs to.
pub async fn set_password(token: &str, password: &str) -> Result<String, String> {
    auth_post(
        "/auth/set-password",
        &serde_json::json!({ "token": token, "password": password }),
    )
    .await
    .map(|v| v["login"].as_str().unwrap_or_default().to_owned())
}

/// Sends `file` as a GraphQL multipart request (the upload spec): `query` takes it as
/// `$file` beside `variables`; returns `data.<field>.id` (the job queued).
pub async fn upload(
    query: &str,
    variables: serde_json::Value,
    file: &web_sys::File,
    field: &str,
) -> Result<String, String> {
    let value = upload_value(query, variables, file, field).await?;
    value["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| value.to_string())
}

/// `upload` returning `data.<field>` as it is.
pub async fn upload_value(
    query: &str,
    mut variables: serde_json::Value,
    file: &web_sys::File,
    field: &str,
) -> Result<serde_json::Value, String> {
    let form = web_sys::FormData::new().map_err(|_| "FormData".to_owned())?;
    variables["file"] = serde_json::Value::Null;
    let operations = serde_json::json!({ "query": query, "variables": variables });
    let fail = |_| "FormData".to_owned();
    form.append_with_str("operations", &operations.to_string())
        .map_err(fail)?;
    form.append_with_str("map", "{\"0\": [\"variables.file\"]}")
        .map_err(fail)?;
    form.append_with_blob_and_filename("0", file, &file.name())
        .map_err(fail)?;
    let mut req = gloo_net::http::Request::post("/graphql").header("Accept-Language", lang());
    if let Some(t) = csrf_token() {
        req = req.header("X-CSRF-Token", &t);
    }
    let resp = req
        .body(form)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let mut body: serde_json::Value = resp.json().await.map_err(|e| e.to_string())?;
    if let Some(m) = body["errors"][0]["message"].as_str() {
        return Err(m.to_owned());
    }
    Ok(body["data"][field].take())
}

/// Polls a job until it ends, reporting its progress; its result when done, its error when
/// failed.
pub async fn wait_job(id: &str, progress: impl Fn(i64)) -> Result<serde_json::Value, String> {
    loop {
        gloo_timers::future::TimeoutFuture::new(500).await;
        let d = call::<ImportStatus>(import_status::Variables { id: id.to_owned() })
            .await
            .map_err(|e| e.message)?;
        match d.job.state {
            import_status::JobState::DONE => return Ok(d.job.result.unwrap_or_default()),
            import_status::JobState::FAILED => return Err(d.job.error.unwrap_or_default()),
            _ => progress(d.job.progress),
        }
    }
}

pub async fn logout() {
    let mut req = gloo_net::http::Request::post("/auth/logout");
    if let Some(t) = csrf_token() {
        req = req.header("X-CSRF-Token", &t);
    }
    let _ = req.send().await;
}

/// Which answer a list may show: each request takes the next number, and only the answer
/// to the newest request is shown, so a slow answer to an older filter (the first page,
/// asked as the screen opened) cannot replace the answer to the search typed since.
#[derive(Clone)]
pub struct Latest(std::rc::Rc<std::cell::Cell<u64>>);

impl Latest {
    /// The number of a request about to be sent.
    pub fn next(&self) -> u64 {
        let n = self.0.get() + 1;
        self.0.set(n);
        n
    }

    /// Whether request `n` is still the newest.
    pub fn is(&self, n: u64) -> bool {
        self.0.get() == n
    }
}

#[yew::hook]
pub fn use_latest() -> Latest {
    let cell = yew::use_memo((), |_| std::rc::Rc::new(std::cell::Cell::new(0u64)));
    Latest((*cell).clone())
}
