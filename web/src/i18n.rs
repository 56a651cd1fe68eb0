//! The translation catalog: every UI text, in Russian, Ukrainian and English.
//!
//! Each text is one `Key`; `text` matches on it and returns all three languages at
//! once, so a key without a translation does not compile.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    Uk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Uk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ru" => Some(Lang::Ru),
            "uk" => Some(Lang::Uk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, shown in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ru => "Русский",
            Lang::Uk => "Українська",
            Lang::En => "English",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    MenuSubscribers,
    MenuLegalEntities,
    MenuMeters,
    MenuReferenceBooks,
    MenuPaymentImport,
    MenuPayments,
    MenuReports,
    MenuAdministration,
    SummaryAccounts,
    SummaryResidents,
    SummaryMeters,
    SummaryDebt,
    Settings,
    SwitchUser,
    Language,
    ColAccount,
    ColName,
    ColAddress,
    ColResidents,
    ColBranch,
    ColType,
    ColMeters,
    ColBalance,
    TypeIndividual,
    TypeLegal,
    Search,
    SearchHint,
    Loading,
    LoadFailed,
    NothingFound,
    PagePrev,
    PageNext,
    PageOf,
    ExportByMail,
    EmailPlaceholder,
    ExportQueued,
    ExportRunning,
    ExportDone,
    ExportFailed,
    SectionNotReady,
    SignInTitle,
    LoginLabel,
    PasswordLabel,
    SignIn,
    WrongLogin,
    ThrottledWait,
    TenantSuspended,
    TabUsers,
    TabRoles,
    TabAudit,
    NewUser,
    DisplayName,
    Email,
    KindStaff,
    KindSubscriber,
    RolesLabel,
    AccountsLabel,
    Status,
    Active,
    Inactive,
    Deactivate,
    Activate,
    ResetPassword,
    NewPassword,
    Save,
    Create,
    Code,
    Name,
    Builtin,
    NewRole,
    When,
    User,
    Record,
    ActionLabel,
    Change,
    FromDate,
    ToDate,
    Filter,
    Done,
    DocSubscribers,
    DocAccounts,
    DocMeters,
    DocReadings,
    DocPayments,
    DocActs,
    DocInvoices,
    DocReports,
    DocReferenceBooks,
    DocSettings,
    DocUsers,
    ActView,
    ActCreate,
    ActUpdate,
    ActDelete,
    RecordId,
    TabAddAddress,
    TabBuildings,
    Locality,
    StreetKind,
    Street,
    BuildingNo,
    ApartmentsFrom,
    ApartmentsTo,
    Entrances,
    Floors,
    AddAddress,
    AddressAdded,
    Premises,
    Apartment,
    Entrance,
    Floor,
    Rooms,
    TotalArea,
    Edit,
    Delete,
    Cancel,
    BookBranches,
    BookBanks,
    BookPaymentTypes,
    BookRecalculationReasons,
    BookAccountTypes,
    BookEmployees,
    BookJournals,
    FieldTaxId,
    FieldIban,
    FieldChannel,
    FieldPosition,
    FieldIsController,
    NewRecord,
    ExportXlsx,
    Download,
    SsoTitle,
    SsoOrganisation,
    SsoSignIn,
    SsoFailed,
    RoleTenantAdmin,
    RoleOperator,
    RoleAccountant,
    RoleController,
    RoleViewer,
    RoleSubscriber,
}

/// (ru, uk, en)
fn entry(key: Key) -> (&'static str, &'static str, &'static str) {
    use Key::*;
    match key {
        MenuSubscribers => ("Абоненты", "Абоненти", "Subscribers"),
        MenuLegalEntities => ("Юрлица", "Юридичні особи", "Legal entities"),
        MenuMeters => ("Счётчики", "Лічильники", "Meters"),
        MenuReferenceBooks => ("Справочники", "Довідники", "Reference books"),
        MenuPaymentImport => ("Импорт платежей", "Імпорт платежів", "Payment import"),
        MenuPayments => ("Платежи", "Платежі", "Payments"),
        MenuReports => ("Отчёты", "Звіти", "Reports"),
        MenuAdministration => ("Администрирование", "Адміністрування", "Administration"),
        SummaryAccounts => ("Лицевых счетов", "Особових рахунків", "Accounts"),
        SummaryResidents => ("Проживает", "Мешканців", "Residents"),
        SummaryMeters => ("Счётчиков", "Лічильників", "Meters"),
        SummaryDebt => ("Задолженность", "Заборгованість", "Debt"),
        Settings => ("Настройки", "Налаштування", "Settings"),
        SwitchUser => ("Сменить пользователя", "Змінити користувача", "Switch user"),
        Language => ("Язык", "Мова", "Language"),
        ColAccount => ("ЛС", "ОР", "Account"),
        ColName => ("ФИО", "ПІБ", "Name"),
        ColAddress => ("Адрес", "Адреса", "Address"),
        ColResidents => ("Проживает", "Проживає", "Residents"),
        ColBranch => ("Филиал", "Філія", "Branch"),
        ColType => ("Тип", "Тип", "Type"),
        ColMeters => ("Счётчики", "Лічильники", "Meters"),
        ColBalance => ("Сальдо", "Сальдо", "Balance"),
        TypeIndividual => ("Физлицо", "Фізособа", "Individual"),
        TypeLegal => ("Юрлицо", "Юрособа", "Legal entity"),
        Search => ("Найти", "Знайти", "Search"),
        SearchHint => (
            "Номер ЛС, ФИО или адрес",
            "Номер ОР, ПІБ або адреса",
            "Account number, name or address",
        ),
        Loading => ("Загрузка…", "Завантаження…", "Loading…"),
        LoadFailed => (
            "Не удалось загрузить данные",
            "Не вдалося завантажити дані",
            "Could not load data",
        ),
        NothingFound => ("Ничего не найдено", "Нічого не знайдено", "Nothing found"),
        PagePrev => ("Назад", "Назад", "Previous"),
        PageNext => ("Вперёд", "Далі", "Next"),
        PageOf => ("из", "з", "of"),
        ExportByMail => (
            "Выгрузить на e-mail",
            "Вивантажити на e-mail",
            "Export by e-mail",
        ),
        EmailPlaceholder => ("адрес e-mail", "адреса e-mail", "e-mail address"),
        ExportQueued => (
            "Выгрузка в очереди",
            "Вивантаження в черзі",
            "Export queued",
        ),
        ExportRunning => (
            "Выгрузка выполняется",
            "Вивантаження виконується",
            "Export running",
        ),
        ExportDone => (
            "Выгрузка отправлена",
            "Вивантаження надіслано",
            "Export sent",
        ),
        ExportFailed => (
            "Выгрузка не удалась",
            "Вивантаження не вдалося",
            "Export failed",
        ),
        SectionNotReady => (
            "Раздел появится в следующих версиях.",
            "Розділ з'явиться в наступних версіях.",
            "This section arrives in a later release.",
        ),
        SignInTitle => ("Вход в систему", "Вхід до системи", "Sign in"),
        LoginLabel => ("Логин", "Логін", "Login"),
        PasswordLabel => ("Пароль", "Пароль", "Password"),
        SignIn => ("Войти", "Увійти", "Sign in"),
        WrongLogin => (
            "Неверный логин или пароль",
            "Невірний логін або пароль",
            "Wrong login or password",
        ),
        ThrottledWait => (
            "Слишком много неудачных попыток. Повторите через {n} с",
            "Забагато невдалих спроб. Повторіть через {n} с",
            "Too many failed attempts. Try again in {n} s",
        ),
        TenantSuspended => (
            "Доступ организации приостановлен",
            "Доступ організації призупинено",
            "Your organisation's access is suspended",
        ),
        TabUsers => ("Пользователи", "Користувачі", "Users"),
        TabRoles => ("Роли", "Ролі", "Roles"),
        TabAudit => ("Протокол изменений", "Протокол змін", "Change log"),
        NewUser => ("Новый пользователь", "Новий користувач", "New user"),
        DisplayName => ("Имя", "Ім'я", "Name"),
        Email => ("E-mail", "E-mail", "E-mail"),
        KindStaff => ("Сотрудник", "Працівник", "Staff"),
        KindSubscriber => ("Абонент", "Абонент", "Subscriber"),
        RolesLabel => ("Роли", "Ролі", "Roles"),
        AccountsLabel => ("Лицевые счета", "Особові рахунки", "Accounts"),
        Status => ("Состояние", "Стан", "Status"),
        Active => ("Активен", "Активний", "Active"),
        Inactive => ("Отключён", "Вимкнений", "Inactive"),
        Deactivate => ("Отключить", "Вимкнути", "Deactivate"),
        Activate => ("Включить", "Увімкнути", "Activate"),
        ResetPassword => ("Сменить пароль", "Змінити пароль", "Reset password"),
        NewPassword => ("Новый пароль", "Новий пароль", "New password"),
        Save => ("Сохранить", "Зберегти", "Save"),
        Create => ("Создать", "Створити", "Create"),
        Code => ("Код", "Код", "Code"),
        Name => ("Название", "Назва", "Name"),
        Builtin => ("встроенная", "вбудована", "built-in"),
        NewRole => ("Новая роль", "Нова роль", "New role"),
        When => ("Когда", "Коли", "When"),
        User => ("Пользователь", "Користувач", "User"),
        Record => ("Запись", "Запис", "Record"),
        ActionLabel => ("Действие", "Дія", "Action"),
        Change => ("Было → стало", "Було → стало", "Before → after"),
        FromDate => ("С", "З", "From"),
        ToDate => ("По", "По", "To"),
        Filter => ("Отобрать", "Відібрати", "Filter"),
        Done => ("Готово", "Готово", "Done"),
        DocSubscribers => ("Абоненты", "Абоненти", "Subscribers"),
        DocAccounts => ("Лицевые счета", "Особові рахунки", "Accounts"),
        DocMeters => ("Счётчики", "Лічильники", "Meters"),
        DocReadings => ("Показания", "Показники", "Readings"),
        DocPayments => ("Платежи", "Платежі", "Payments"),
        DocActs => ("Акты", "Акти", "Acts"),
        DocInvoices => ("Квитанции", "Рахунки", "Invoices"),
        DocReports => ("Отчёты", "Звіти", "Reports"),
        DocReferenceBooks => ("Справочники", "Довідники", "Reference books"),
        DocSettings => ("Настройки", "Налаштування", "Settings"),
        DocUsers => ("Пользователи", "Користувачі", "Users"),
        ActView => ("Просмотр", "Перегляд", "View"),
        ActCreate => ("Создание", "Створення", "Create"),
        ActUpdate => ("Изменение", "Зміна", "Update"),
        ActDelete => ("Удаление", "Видалення", "Delete"),
        ExportXlsx => ("Выгрузить в XLSX", "Вивантажити в XLSX", "Export to XLSX"),
        Download => ("Скачать", "Завантажити", "Download"),
        Edit => ("Изменить", "Змінити", "Edit"),
        Delete => ("Удалить", "Видалити", "Delete"),
        Cancel => ("Отмена", "Скасувати", "Cancel"),
        BookBranches => ("Филиалы", "Філії", "Branches"),
        BookBanks => ("Банки", "Банки", "Banks"),
        BookPaymentTypes => ("Виды платежей", "Види платежів", "Payment types"),
        BookRecalculationReasons => (
            "Причины перерасчёта",
            "Причини перерахунку",
            "Recalculation reasons",
        ),
        BookAccountTypes => (
            "Типы лицевых счетов",
            "Типи особових рахунків",
            "Account types",
        ),
        BookEmployees => (
            "Сотрудники и контролёры",
            "Працівники та контролери",
            "Employees and controllers",
        ),
        BookJournals => ("Журналы", "Журнали", "Journals"),
        FieldTaxId => ("Код ЕГРПОУ/ИНН", "Код ЄДРПОУ/ІПН", "Tax id"),
        FieldIban => ("IBAN", "IBAN", "IBAN"),
        FieldChannel => ("Канал оплаты", "Канал оплати", "Payment channel"),
        FieldPosition => ("Должность", "Посада", "Position"),
        FieldIsController => ("Контролёр", "Контролер", "Controller"),
        NewRecord => ("Новая запись", "Новий запис", "New record"),
        TabAddAddress => ("Добавить адрес", "Додати адресу", "Add address"),
        TabBuildings => ("Дома", "Будинки", "Buildings"),
        Locality => ("Населённый пункт", "Населений пункт", "Locality"),
        StreetKind => ("Вид улицы", "Вид вулиці", "Street kind"),
        Street => ("Улица", "Вулиця", "Street"),
        BuildingNo => ("Дом", "Будинок", "Building"),
        ApartmentsFrom => ("Квартиры с", "Квартири з", "Apartments from"),
        ApartmentsTo => ("по", "по", "to"),
        Entrances => ("Подъездов", "Під'їздів", "Entrances"),
        Floors => ("Этажей", "Поверхів", "Floors"),
        AddAddress => ("Добавить", "Додати", "Add"),
        AddressAdded => (
            "Адрес {a}: создано квартир {c}, уже было {e}",
            "Адреса {a}: створено квартир {c}, вже було {e}",
            "Address {a}: {c} apartments created, {e} already there",
        ),
        Premises => ("Помещения", "Приміщення", "Premises"),
        Apartment => ("Кв.", "Кв.", "Apt."),
        Entrance => ("Подъезд", "Під'їзд", "Entrance"),
        Floor => ("Этаж", "Поверх", "Floor"),
        Rooms => ("Комнат", "Кімнат", "Rooms"),
        TotalArea => ("Общая площадь, м²", "Загальна площа, м²", "Total area, m²"),
        RecordId => ("ID записи", "ID запису", "Record ID"),
        SsoTitle => (
            "Единый вход организации",
            "Єдиний вхід організації",
            "Your organisation's single sign-on",
        ),
        SsoOrganisation => ("Код организации", "Код організації", "Organisation code"),
        SsoSignIn => ("Войти через SSO", "Увійти через SSO", "Sign in with SSO"),
        SsoFailed => (
            "Вход через SSO не удался",
            "Вхід через SSO не вдався",
            "Single sign-on failed",
        ),
        RoleTenantAdmin => ("Администратор", "Адміністратор", "Tenant admin"),
        RoleOperator => ("Оператор", "Оператор", "Operator"),
        RoleAccountant => ("Бухгалтер", "Бухгалтер", "Accountant"),
        RoleController => ("Контролёр", "Контролер", "Controller (meter reader)"),
        RoleViewer => ("Просмотр", "Перегляд", "Viewer"),
        RoleSubscriber => ("Абонент", "Абонент", "Subscriber"),
    }
}

/// The translated name of a built-in role, by its code.
pub fn builtin_role(code: &str) -> Option<Key> {
    Some(match code {
        "tenant_admin" => Key::RoleTenantAdmin,
        "operator" => Key::RoleOperator,
        "accountant" => Key::RoleAccountant,
        "controller" => Key::RoleController,
        "viewer" => Key::RoleViewer,
        "subscriber" => Key::RoleSubscriber,
        _ => return None,
    })
}

pub fn text(lang: Lang, key: Key) -> &'static str {
    let (ru, uk, en) = entry(key);
    match lang {
        Lang::Ru => ru,
        Lang::Uk => uk,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("de"), None);
    }

    #[test]
    fn menu_is_translated_not_copied() {
        assert_eq!(text(Lang::Uk, Key::MenuSubscribers), "Абоненти");
        assert_eq!(text(Lang::Ru, Key::MenuSubscribers), "Абоненты");
        assert_eq!(text(Lang::En, Key::MenuSubscribers), "Subscribers");
        assert!(!text(Lang::En, Key::SectionNotReady).is_empty());
    }
}
