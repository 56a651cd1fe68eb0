//! Server messages in the user's language (Russian, Ukrainian, English).
//!
//! Messages are written in English at their source (so logs and tests read plainly); this
//! catalog translates them when they are sent to a user. Each entry is an English template
//! with `{}` for the variable parts, and its Russian and Ukrainian forms with the same
//! `{}` in the same order. An English message with no entry is sent as it is.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    Uk,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Self> {
        match code.get(..2)?.to_ascii_lowercase().as_str() {
            "ru" => Some(Lang::Ru),
            "uk" => Some(Lang::Uk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    /// The first supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        header
            .split(',')
            .find_map(|part| Self::from_code(part.trim()))
    }

    /// The language a request's `Accept-Language` header asks for, if it names one.
    pub fn of_request(headers: &axum::http::HeaderMap) -> Option<Self> {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Self::from_accept_language)
    }
}

/// (English template, Russian, Ukrainian)
const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "sign in first",
        "сначала войдите в систему",
        "спершу увійдіть до системи",
    ),
    ("missing permission {}", "нет права {}", "немає права {}"),
    (
        "must be your own address (the one in your user card)",
        "должен быть вашим собственным адресом (указанным в карточке пользователя)",
        "має бути вашою власною адресою (зазначеною в картці користувача)",
    ),
    (
        "your user card has no e-mail: ask an administrator to add one",
        "в карточке пользователя нет e-mail: попросите администратора его указать",
        "у картці користувача немає e-mail: попросіть адміністратора його вказати",
    ),
    (
        "the file holds accounts outside your branches and buildings",
        "файл содержит лицевые счета вне ваших филиалов и домов",
        "файл містить особові рахунки поза вашими філіями та будинками",
    ),
    (
        "period {} is being closed; what is entered now belongs to the next month",
        "период {} закрывается; то, что вносится сейчас, относится к следующему месяцу",
        "період {} закривається; те, що вноситься зараз, належить до наступного місяця",
    ),
    (
        "several users have this e-mail; sign in with your login",
        "этот e-mail есть у нескольких пользователей; войдите по логину",
        "цей e-mail мають кілька користувачів; увійдіть за логіном",
    ),
    (
        "is another user's e-mail",
        "совпадает с e-mail другого пользователя",
        "збігається з e-mail іншого користувача",
    ),
    (
        "is another user's login",
        "совпадает с логином другого пользователя",
        "збігається з логіном іншого користувача",
    ),
    (
        "the idempotency key was used for another request",
        "этот ключ идемпотентности уже использован для другого запроса",
        "цей ключ ідемпотентності вже використано для іншого запиту",
    ),
    (
        "must be 8–100 letters, digits, '-', '_' or ':'",
        "должен состоять из 8–100 латинских букв, цифр, '-', '_' или ':'",
        "має складатися з 8–100 латинських літер, цифр, '-', '_' або ':'",
    ),
    (
        "the meter was read by the utility this month ({}); ask the office to correct it",
        "показания этого месяца уже сняты контролёром или при поверке ({}); для исправления обратитесь в офис",
        "показники цього місяця вже зняв контролер або їх зафіксовано під час повірки ({}); щоб виправити, зверніться до офісу",
    ),
    (
        "permission {} is for tenant users",
        "право {} есть только у пользователей организации",
        "право {} мають лише користувачі організації",
    ),
    (
        "this is for subscribers",
        "это только для абонентов",
        "це лише для абонентів",
    ),
    (
        "this is for the platform operator",
        "это только для оператора платформы",
        "це лише для оператора платформи",
    ),
    (
        "too many requests; try again in {} s",
        "слишком много запросов; повторите через {} с",
        "забагато запитів; повторіть через {} с",
    ),
    (
        "one request may ask for at most {} fields at its top level",
        "один запрос может содержать не более {} полей верхнего уровня",
        "один запит може містити не більше {} полів верхнього рівня",
    ),
    (
        "sign in to read the schema",
        "войдите, чтобы читать схему",
        "увійдіть, щоб читати схему",
    ),
    (
        "too many failed sign-in attempts; try again in {} s",
        "слишком много неудачных попыток входа; повторите через {} с",
        "забагато невдалих спроб входу; повторіть через {} с",
    ),
    (
        "must be from 1 to {}",
        "должно быть от 1 до {}",
        "має бути від 1 до {}",
    ),
    (
        "must be an e-mail address such as name@example.com",
        "должен быть адресом e-mail, например name@example.com",
        "має бути адресою e-mail, наприклад name@example.com",
    ),
    (
        "must be at least {} characters long",
        "должен быть не короче {} символов",
        "має бути не коротшим за {} символів",
    ),
    (
        "must be at most 256 characters long",
        "должен быть не длиннее 256 символов",
        "має бути не довшим за 256 символів",
    ),
    (
        "must contain both letters and digits",
        "должен содержать и буквы, и цифры",
        "має містити і літери, і цифри",
    ),
    (
        "must not contain the login",
        "не должен содержать логин",
        "не повинен містити логін",
    ),
    (
        "is too common; choose another",
        "слишком распространён; выберите другой",
        "занадто поширений; оберіть інший",
    ),
    (
        "is not your current password",
        "не совпадает с вашим текущим паролем",
        "не збігається з вашим поточним паролем",
    ),
    (
        "must be 3–64 characters: letters, digits and . _ - @",
        "должен быть из 3–64 символов: буквы, цифры и . _ - @",
        "має складатися з 3–64 символів: літери, цифри та . _ - @",
    ),
    (
        "must be 1–200 characters",
        "должно быть от 1 до 200 символов",
        "має бути від 1 до 200 символів",
    ),
    (
        "must be 1–100 characters",
        "должно быть от 1 до 100 символов",
        "має бути від 1 до 100 символів",
    ),
    (
        "must be ru, uk or en",
        "должен быть ru, uk или en",
        "має бути ru, uk або en",
    ),
    (
        "must be staff or subscriber",
        "должен быть сотрудником или абонентом",
        "має бути працівником або абонентом",
    ),
    (
        "you cannot deactivate yourself",
        "нельзя отключить самого себя",
        "не можна вимкнути самого себе",
    ),
    (
        "must be from 6 to 128",
        "должна быть от 6 до 128",
        "має бути від 6 до 128",
    ),
    (
        "must not point at a private or loopback address",
        "не должен указывать на частный или локальный адрес",
        "не має вказувати на приватну чи локальну адресу",
    ),
    (
        "the name does not resolve",
        "имя не разрешается в адрес",
        "ім'я не розв'язується в адресу",
    ),
    (
        "could not connect to the server",
        "не удалось соединиться с сервером",
        "не вдалося з'єднатися з сервером",
    ),
    (
        "the server refused the login or password",
        "сервер не принял логин или пароль",
        "сервер не прийняв логін або пароль",
    ),
    (
        "the server did not take the message",
        "сервер не принял письмо",
        "сервер не прийняв лист",
    ),
    (
        "must be the provider's URL (https://…)",
        "должен быть адресом провайдера (https://…)",
        "має бути адресою провайдера (https://…)",
    ),
    (
        "must be 2–40 characters: a lowercase Latin letter, then letters, digits or _",
        "должен быть из 2–40 символов: строчная латинская буква, затем буквы, цифры или _",
        "має складатися з 2–40 символів: мала латинська літера, далі літери, цифри або _",
    ),
    (
        "slug must be 2–40 characters: a lowercase Latin letter, then lowercase letters, digits or _",
        "код должен быть из 2–40 символов: строчная латинская буква, затем строчные буквы, цифры или _",
        "код має складатися з 2–40 символів: мала латинська літера, далі малі літери, цифри або _",
    ),
    (
        "must be UA, RU, BG or EU",
        "должна быть UA, RU, BG или EU",
        "має бути UA, RU, BG або EU",
    ),
    (
        "must be an ISO 4217 code such as UAH",
        "должна быть кодом ISO 4217, например UAH",
        "має бути кодом ISO 4217, наприклад UAH",
    ),
    (
        "must be an IANA time zone such as Europe/Kyiv",
        "должен быть часовым поясом IANA, например Europe/Kyiv",
        "має бути часовим поясом IANA, наприклад Europe/Kyiv",
    ),
    ("there is no role {}", "нет роли {}", "немає ролі {}"),
    ("there is no branch {}", "нет филиала {}", "немає філії {}"),
    ("there is no building {}", "нет дома {}", "немає будинку {}"),
    (
        "your access is limited to chosen branches and buildings",
        "ваш доступ ограничен выбранными филиалами и домами",
        "ваш доступ обмежено вибраними філіями та будинками",
    ),
    (
        "there is no account {}",
        "нет лицевого счёта {}",
        "немає особового рахунку {}",
    ),
    (
        "login {} is taken",
        "логин {} уже занят",
        "логін {} вже зайнятий",
    ),
    (
        "another user of this tenant has this e-mail",
        "этот e-mail уже у другого пользователя организации",
        "цей e-mail вже має інший користувач організації",
    ),
    (
        "a role with code {} exists",
        "роль с кодом {} уже есть",
        "роль з кодом {} вже існує",
    ),
    (
        "built-in role {} cannot be changed; create a custom role",
        "встроенную роль {} нельзя изменить; создайте свою роль",
        "вбудовану роль {} не можна змінити; створіть власну роль",
    ),
    (
        "built-in role {} cannot be deleted",
        "встроенную роль {} нельзя удалить",
        "вбудовану роль {} не можна видалити",
    ),
    (
        "role {} is assigned to {} user(s); take it away first",
        "роль {} назначена {} польз.; сначала снимите её",
        "роль {} призначено {} корист.; спершу зніміть її",
    ),
    (
        "tenant {} exists",
        "организация {} уже есть",
        "організація {} вже існує",
    ),
    (
        "tenant {} does not exist",
        "организации {} нет",
        "організації {} немає",
    ),
    (
        "job {} does not exist",
        "задания {} нет",
        "завдання {} немає",
    ),
    (
        "user {} does not exist",
        "пользователя {} нет",
        "користувача {} немає",
    ),
    ("role {} does not exist", "роли {} нет", "ролі {} немає"),
    (
        "internal error; the details are in the server log",
        "внутренняя ошибка; подробности в журнале сервера",
        "внутрішня помилка; подробиці в журналі сервера",
    ),
    (
        "this organisation has no single sign-on set up",
        "у организации не настроен единый вход",
        "в організації не налаштовано єдиний вхід",
    ),
    (
        "access of this organisation is suspended",
        "доступ организации приостановлен",
        "доступ організації призупинено",
    ),
    (
        "this sign-in attempt is unknown or expired; start again",
        "эта попытка входа неизвестна или устарела; начните заново",
        "ця спроба входу невідома або застаріла; почніть знову",
    ),
    (
        "this sign-in was started in another browser; start again",
        "этот вход начат в другом браузере; начните заново",
        "цей вхід розпочато в іншому браузері; почніть знову",
    ),
    (
        "the provider has not verified this e-mail",
        "провайдер не подтвердил этот e-mail",
        "провайдер не підтвердив цей e-mail",
    ),
    (
        "no active user of this organisation has the e-mail {}",
        "нет активного пользователя организации с e-mail {}",
        "немає активного користувача організації з e-mail {}",
    ),
    (
        "name the reference book",
        "укажите справочник",
        "вкажіть довідник",
    ),
    (
        "must be 1–40 characters",
        "должен быть от 1 до 40 символов",
        "має бути від 1 до 40 символів",
    ),
    (
        "is not a field of this book",
        "не является полем этого справочника",
        "не є полем цього довідника",
    ),
    (
        "must be true or false",
        "должно быть да или нет",
        "має бути так або ні",
    ),
    (
        "must be one of {}",
        "должно быть одним из: {}",
        "має бути одним із: {}",
    ),
    (
        "must be text of at most 200 characters",
        "должно быть текстом не длиннее 200 символов",
        "має бути текстом не довшим за 200 символів",
    ),
    (
        "must be an object of the book's fields",
        "должно быть объектом полей справочника",
        "має бути об'єктом полів довідника",
    ),
    (
        "code {} is already in this book",
        "код {} уже есть в справочнике",
        "код {} вже є в довіднику",
    ),
    (
        "the record is in use and cannot be deleted",
        "запись используется, удалить нельзя",
        "запис використовується, видалити не можна",
    ),
    (
        "record {} does not exist",
        "записи {} нет",
        "запису {} немає",
    ),
    (
        "must be at most 200 characters",
        "должно быть не длиннее 200 символов",
        "має бути не довшим за 200 символів",
    ),
    (
        "must be from apartmentsFrom to apartmentsFrom + {}",
        "должен быть от начала диапазона до начала + {}",
        "має бути від початку діапазону до початку + {}",
    ),
    (
        "give both ends of the range or neither",
        "укажите оба конца диапазона или ни одного",
        "вкажіть обидва кінці діапазону або жодного",
    ),
    (
        "must be from 1 to 200",
        "должно быть от 1 до 200",
        "має бути від 1 до 200",
    ),
    (
        "must be street, avenue, lane, square, boulevard, district, road or other",
        "должен быть street, avenue, lane, square, boulevard, district, road или other",
        "має бути street, avenue, lane, square, boulevard, district, road або other",
    ),
    (
        "must be more than 0 and at most 100000 m²",
        "должна быть больше 0 и не больше 100000 м²",
        "має бути більшою за 0 і не більшою за 100000 м²",
    ),
    (
        "must be from 0 to the total area",
        "должна быть от 0 до общей площади",
        "має бути від 0 до загальної площі",
    ),
    (
        "must be at most {} characters",
        "должно быть не длиннее {} символов",
        "має бути не довшим за {} символів",
    ),
    (
        "must be given for a legal entity",
        "обязательно для юридического лица",
        "обов'язкове для юридичної особи",
    ),
    (
        "must be given for an individual",
        "обязательно для физического лица",
        "обов'язкове для фізичної особи",
    ),
    (
        "cannot be in the future",
        "не может быть в будущем",
        "не може бути в майбутньому",
    ),
    (
        "there is no subscriber {}",
        "нет абонента {}",
        "немає абонента {}",
    ),
    (
        "there is no premises {}",
        "нет помещения {}",
        "немає приміщення {}",
    ),
    (
        "must be 1–20 digits",
        "должен состоять из 1–20 цифр",
        "має складатися з 1–20 цифр",
    ),
    (
        "account {} exists",
        "лицевой счёт {} уже есть",
        "особовий рахунок {} вже існує",
    ),
    (
        "must be 1–300 characters",
        "должно быть от 1 до 300 символов",
        "має бути від 1 до 300 символів",
    ),
    (
        "cannot be before the start of the period",
        "не может быть раньше начала периода",
        "не може бути раніше за початок періоду",
    ),
    (
        "give either an existing subscriber or a new one",
        "укажите существующего абонента или нового",
        "вкажіть наявного абонента або нового",
    ),
    (
        "must be a whole number",
        "должно быть целым числом",
        "має бути цілим числом",
    ),
    (
        "must be a number such as 12.5",
        "должно быть числом, например 12.5",
        "має бути числом, наприклад 12.5",
    ),
    (
        "must be a date such as 2026-10-15",
        "должно быть датой, например 2026-10-15",
        "має бути датою, наприклад 2026-10-15",
    ),
    (
        "must be the id of a record",
        "должно быть кодом записи",
        "має бути кодом запису",
    ),
    (
        "there is no such record",
        "такой записи нет",
        "такого запису немає",
    ),
    (
        "must be a list of record ids",
        "должно быть списком записей",
        "має бути переліком записів",
    ),
    (
        "must not be before the start",
        "не может быть раньше начала",
        "не може бути раніше за початок",
    ),
    (
        "must be more than 0 and at most 100",
        "должно быть больше 0 и не больше 100",
        "має бути більше 0 і не більше 100",
    ),
    (
        "must have at most 4 decimal places",
        "допускается не больше 4 знаков после запятой",
        "допускається не більше 4 знаків після коми",
    ),
    (
        "must be from 0 to {}",
        "должно быть от 0 до {}",
        "має бути від 0 до {}",
    ),
    (
        "enter the price or its components",
        "введите цену или её составляющие",
        "введіть ціну або її складові",
    ),
    (
        "must equal the sum of the components ({})",
        "должна равняться сумме составляющих ({})",
        "має дорівнювати сумі складових ({})",
    ),
    (
        "must be from 0 to 100 (per cent a year), at most 4 decimal places",
        "должна быть от 0 до 100 (% годовых), не больше 4 знаков после запятой",
        "має бути від 0 до 100 (% річних), не більше 4 знаків після коми",
    ),
    (
        "give either a building or premises",
        "укажите либо дом, либо помещение",
        "вкажіть або будинок, або приміщення",
    ),
    (
        "choose from 1 to {} accounts",
        "выберите от 1 до {} лицевых счетов",
        "виберіть від 1 до {} особових рахунків",
    ),
    (
        "there is no such account",
        "такого лицевого счёта нет",
        "такого особового рахунку немає",
    ),
    (
        "already has the service in this period",
        "уже имеет эту услугу в этом периоде",
        "вже має цю послугу в цьому періоді",
    ),
    (
        "has no such service, or the new period overlaps another of its periods",
        "не имеет этой услуги, или новый период пересекается с другим её периодом",
        "не має цієї послуги, або новий період перетинається з іншим її періодом",
    ),
    (
        "has no such service",
        "не имеет этой услуги",
        "не має цієї послуги",
    ),
    (
        "the account already has the service in this period",
        "у лицевого счёта уже есть эта услуга в этом периоде",
        "особовий рахунок уже має цю послугу в цьому періоді",
    ),
    (
        "must be from 0 to 100000, at most 4 decimal places",
        "должно быть от 0 до 100000, не больше 4 знаков после запятой",
        "має бути від 0 до 100000, не більше 4 знаків після коми",
    ),
    (
        "a period cannot change its service; remove it and assign the other",
        "у периода нельзя сменить услугу: удалите его и назначьте другую",
        "у періоду не можна змінити послугу: видаліть його та призначте іншу",
    ),
    (
        "must be a resident of this account",
        "должен быть проживающим по этому лицевому счёту",
        "має бути мешканцем за цим особовим рахунком",
    ),
    (
        "must not include the beneficiary",
        "не должны включать самого льготника",
        "не мають включати самого пільговика",
    ),
    (
        "must be residents of this account",
        "должны быть проживающими по этому лицевому счёту",
        "мають бути мешканцями за цим особовим рахунком",
    ),
    (
        "this benefit does not extend to family members",
        "эта льгота не распространяется на членов семьи",
        "ця пільга не поширюється на членів сім'ї",
    ),
    (
        "must have at most 2 decimal places",
        "допускается не больше 2 знаков после запятой",
        "допускається не більше 2 знаків після коми",
    ),
    (
        "must be between -10000000 and 10000000",
        "должно быть от -10000000 до 10000000",
        "має бути від -10000000 до 10000000",
    ),
    (
        "must be from 0 to 10000000",
        "должно быть от 0 до 10000000",
        "має бути від 0 до 10000000",
    ),
    (
        "must look like 2026-11",
        "должен выглядеть как 2026-11",
        "має виглядати як 2026-11",
    ),
    (
        "the subsidy is already used in an invoice and cannot be changed",
        "субсидия уже использована в квитанции и не может быть изменена",
        "субсидію вже використано в рахунку, її не можна змінити",
    ),
    (
        "the subsidy is already used in an invoice and cannot be deleted",
        "субсидия уже использована в квитанции и не может быть удалена",
        "субсидію вже використано в рахунку, її не можна видалити",
    ),
    (
        "the debt must be more than 0 with at most 2 decimal places",
        "долг должен быть больше 0, не больше 2 знаков после запятой",
        "борг має бути більше 0, не більше 2 знаків після коми",
    ),
    (
        "the months must be from 1 to 120, and the debt at least 0.01 a month",
        "месяцев должно быть от 1 до 120, а долг — не меньше 0.01 в месяц",
        "місяців має бути від 1 до 120, а борг — не менше 0.01 на місяць",
    ),
    (
        "agreement number {} is already taken",
        "номер договора {} уже занят",
        "номер договору {} вже зайнято",
    ),
    (
        "the account already has an active restructuring agreement",
        "у лицевого счёта уже есть действующий договор реструктуризации",
        "особовий рахунок уже має чинний договір реструктуризації",
    ),
    (
        "the agreement is already cancelled",
        "договор уже расторгнут",
        "договір уже розірвано",
    ),
    (
        "contract number {} is already taken",
        "номер договора {} уже занят",
        "номер договору {} вже зайнято",
    ),
    (
        "the contract already has a metering point {}",
        "у договора уже есть точка учёта {}",
        "договір уже має точку обліку {}",
    ),
    (
        "floors and entrances must be more than 0, lifts 0 or more",
        "этажей и подъездов должно быть больше 0, лифтов — 0 или больше",
        "поверхів і під'їздів має бути більше 0, ліфтів — 0 або більше",
    ),
    (
        "areas must not be negative",
        "площади не могут быть отрицательными",
        "площі не можуть бути від'ємними",
    ),
    (
        "must be from 1700 to 2100",
        "должно быть от 1700 до 2100",
        "має бути від 1700 до 2100",
    ),
    (
        "must not be more than the total area",
        "не может быть больше общей площади",
        "не може бути більшою за загальну площу",
    ),
    (
        "must be from 0 to 50",
        "должно быть от 0 до 50",
        "має бути від 0 до 50",
    ),
    (
        "must be from -5 to 200",
        "должно быть от -5 до 200",
        "має бути від -5 до 200",
    ),
    (
        "must be gas, electric or none",
        "должно быть gas, electric или none",
        "має бути gas, electric або none",
    ),
    (
        "the resident has a benefit; end or remove it first",
        "у проживающего есть льгота: сначала завершите или удалите её",
        "мешканець має пільгу: спершу завершіть або видаліть її",
    ),
    (
        "must be building, group, riser, entrance, apartment or building_group",
        "должно быть building, group, riser, entrance, apartment или building_group",
        "має бути building, group, riser, entrance, apartment або building_group",
    ),
    (
        "must be more than 0",
        "должно быть больше 0",
        "має бути більше 0",
    ),
    (
        "must not be before the install date",
        "не может быть раньше даты установки",
        "не може бути раніше за дату встановлення",
    ),
    (
        "an apartment meter needs its apartment",
        "для квартирного прибора укажите квартиру",
        "для квартирного лічильника вкажіть квартиру",
    ),
    (
        "a working meter of this model already has this serial",
        "у работающего прибора этой модели уже есть такой номер",
        "працюючий лічильник цієї моделі вже має такий номер",
    ),
    (
        "must be in the meter's building",
        "должно быть в доме прибора",
        "має бути в будинку лічильника",
    ),
    (
        "must not be negative",
        "не может быть отрицательным",
        "не може бути від'ємним",
    ),
    (
        "a meter cannot be its own main meter",
        "прибор не может быть главным сам себе",
        "лічильник не може бути головним сам собі",
    ),
    (
        "the main meter must measure the same service",
        "главный прибор должен учитывать ту же услугу",
        "головний лічильник має обліковувати ту саму послугу",
    ),
    (
        "a building meter cannot have a main meter",
        "у общедомового прибора не может быть главного",
        "будинковий лічильник не може мати головного",
    ),
    (
        "a removed meter cannot become a main meter",
        "снятый прибор не может стать главным",
        "знятий лічильник не може стати головним",
    ),
    (
        "the main meter must be installed on the building, not in an apartment",
        "главный прибор должен быть установлен на доме, а не в квартире",
        "головний лічильник має бути встановлений на будинку, а не в квартирі",
    ),
    (
        "the main meter must be in the same building",
        "главный прибор должен быть в том же доме",
        "головний лічильник має бути в тому ж будинку",
    ),
    (
        "the meter already has a main meter; remove it first",
        "у прибора уже есть главный: сначала снимите его",
        "лічильник уже має головний: спершу зніміть його",
    ),
    (
        "the main meter is below this meter",
        "главный прибор находится ниже этого прибора",
        "головний лічильник розташований нижче за цей",
    ),
    (
        "a working main meter cannot be replaced; take it out of service first",
        "работающий главный прибор нельзя заменить: сначала снимите его",
        "працюючий головний лічильник не можна замінити: спершу зніміть його",
    ),
    (
        "the new main meter must be installed on the day the old one was taken out ({})",
        "новый главный прибор должен быть установлен в день снятия старого ({})",
        "новий головний лічильник має бути встановлений у день зняття старого ({})",
    ),
    (
        "there is no such meter",
        "такого прибора нет",
        "такого лічильника немає",
    ),
    (
        "the meter has no main meter",
        "у прибора нет главного",
        "лічильник не має головного",
    ),
    (
        "invoices of the open period must be re-formed",
        "квитанции открытого периода нужно переформировать",
        "рахунки відкритого періоду треба переформувати",
    ),
    (
        "choose from 1 to {} meters",
        "выберите от 1 до {} приборов",
        "виберіть від 1 до {} лічильників",
    ),
    (
        "a removed meter cannot be verified; restore it first",
        "снятый прибор нельзя поверить: сначала восстановите его",
        "знятий лічильник не можна повірити: спершу відновіть його",
    ),
    (
        "the tenant has no open period",
        "у организации нет открытого периода",
        "в організації немає відкритого періоду",
    ),
    (
        "period {} is closed; change it through an act",
        "период {} закрыт; измените его актом",
        "період {} закрито; змініть його актом",
    ),
    ("is not open", "не открыт", "не відкрито"),
    (
        "the meter was removed before this period",
        "счётчик снят до этого периода",
        "лічильник знято до цього періоду",
    ),
    (
        "must not be after the period's last day",
        "не позже последнего дня периода",
        "не пізніше останнього дня періоду",
    ),
    (
        "give either the current reading or the consumption",
        "укажите либо текущее показание, либо расход",
        "вкажіть або поточне показання, або споживання",
    ),
    (
        "must not be less than the previous reading {}",
        "не меньше предыдущего показания {}",
        "не менше попереднього показання {}",
    ),
    (
        "must be less than {} (the meter has {} digits)",
        "меньше {} (у счётчика {} разрядов)",
        "менше {} (лічильник має {} розрядів)",
    ),
    (
        "cannot be corrected: a later period has readings",
        "нельзя исправить: в более позднем периоде есть показания",
        "не можна виправити: у пізнішому періоді є показання",
    ),
    (
        "cannot be corrected: the account has a payment in this period",
        "нельзя исправить: по счёту есть оплата в этом периоде",
        "не можна виправити: за рахунком є оплата в цьому періоді",
    ),
    (
        "the first row must name the columns: a meter serial or an account, and a reading or a consumption",
        "первая строка должна называть столбцы: номер счётчика или лицевой счёт, и показание или расход",
        "перший рядок має називати стовпці: номер лічильника або особовий рахунок, і показання або споживання",
    ),
    ("cannot be read: {}", "не читается: {}", "не читається: {}"),
    ("is empty", "пуст", "порожній"),
    (
        "must be at most {} MB",
        "не больше {} МБ",
        "не більше {} МБ",
    ),
    (
        "the file names this meter twice (line {})",
        "счётчик в файле повторяется (строка {})",
        "лічильник у файлі повторюється (рядок {})",
    ),
    (
        "no reading or consumption",
        "нет показания или расхода",
        "немає показання або споживання",
    ),
    ("{} is not a number", "{} — не число", "{} — не число"),
    (
        "date {} is not a date",
        "дата {} не распознана",
        "дата {} не розпізнана",
    ),
    (
        "the date lies outside the meter's service in this period",
        "дата вне работы счётчика в этом периоде",
        "дата поза роботою лічильника в цьому періоді",
    ),
    (
        "no working meter matches",
        "работающий счётчик не найден",
        "робочого лічильника не знайдено",
    ),
    (
        "{} working meters match; give the serial, the account and the service",
        "подходит счётчиков: {}; укажите номер, лицевой счёт и услугу",
        "підходить лічильників: {}; вкажіть номер, особовий рахунок і послугу",
    ),
    (
        "no meter serial or account",
        "нет номера счётчика или лицевого счёта",
        "немає номера лічильника або особового рахунку",
    ),
    (
        "must lie in an open period",
        "должна быть в открытом периоде",
        "має бути у відкритому періоді",
    ),
    (
        "cannot change: closed periods hold readings of this meter",
        "нельзя изменить: в закрытых периодах есть показания этого счётчика",
        "не можна змінити: у закритих періодах є показання цього лічильника",
    ),
    (
        "invoices of the reopened periods that were already sent will no longer match once they are re-formed",
        "уже отправленные квитанции открытых заново периодов перестанут совпадать после переформирования",
        "вже надіслані рахунки повторно відкритих періодів перестануть збігатися після переформування",
    ),
    (
        "service {} has no tariff in force on {}",
        "у услуги {} нет тарифа, действующего на {}",
        "послуга {} не має тарифу, чинного на {}",
    ),
    (
        "service {} has no consumption norm in force on {}",
        "у услуги {} нет нормы потребления, действующей на {}",
        "послуга {} не має норми споживання, чинної на {}",
    ),
    (
        "only the earliest open period ({}) can be closed",
        "закрыть можно только самый ранний открытый период ({})",
        "закрити можна лише найраніший відкритий період ({})",
    ),
    ("is already open", "уже открыт", "вже відкритий"),
    ("was never opened", "ещё не открывался", "ще не відкривався"),
    (
        "is required for this scope",
        "обязательно для этой области",
        "обов'язкове для цієї області",
    ),
    (
        "must be living or registered",
        "должно быть living или registered",
        "має бути living або registered",
    ),
    (
        "must be off, ukraine or russia",
        "должно быть off, ukraine или russia",
        "має бути off, ukraine або russia",
    ),
    (
        "the branch is outside your reach",
        "филиал вне вашей зоны доступа",
        "філія поза вашою зоною доступу",
    ),
    (
        "must lie in the open period {} ({} – {})",
        "должна быть в открытом периоде {} ({} – {})",
        "має бути у відкритому періоді {} ({} – {})",
    ),
    (
        "must be earlier than the open period {}: payments pay issued invoices",
        "должен быть раньше открытого периода {}: оплачиваются выставленные счета",
        "має бути раніше відкритого періоду {}: сплачуються виставлені рахунки",
    ),
    (
        "must be {} with penalty accounting on: the penalty of older periods was reckoned on the payments known then",
        "должен быть {} при учёте пени: пеня более ранних периодов уже рассчитана по известным тогда оплатам",
        "має бути {} при обліку пені: пеню раніших періодів уже розраховано за відомими тоді оплатами",
    ),
    (
        "must not be earlier than the first day of the charge period ({})",
        "не может быть раньше первого дня периода начислений ({})",
        "не може бути раніше першого дня періоду нарахувань ({})",
    ),
    (
        "must not be later than the receipt date ({})",
        "не может быть позже даты поступления средств ({})",
        "не може бути пізніше дати надходження коштів ({})",
    ),
    (
        "must be greater than zero",
        "должна быть больше нуля",
        "має бути більше нуля",
    ),
    (
        "must have at most two decimals",
        "не более двух знаков после запятой",
        "не більше двох знаків після коми",
    ),
    (
        "must be less than 1,000,000,000",
        "должна быть меньше 1 000 000 000",
        "має бути менше 1 000 000 000",
    ),
    (
        "amounts per service must not be negative",
        "суммы по услугам не могут быть отрицательными",
        "суми за послугами не можуть бути від'ємними",
    ),
    (
        "amounts per service must have at most two decimals",
        "суммы по услугам — не более двух знаков после запятой",
        "суми за послугами — не більше двох знаків після коми",
    ),
    (
        "a service must appear once",
        "услуга должна встречаться один раз",
        "послуга має зустрічатися один раз",
    ),
    (
        "the amounts per service add up to {}, not to the total {}",
        "суммы по услугам дают {}, а не общую сумму {}",
        "суми за послугами дають {}, а не загальну суму {}",
    ),
    (
        "is required for a bank payment",
        "обязателен для банковской оплаты",
        "обов'язковий для банківської оплати",
    ),
    (
        "must be empty for a cash-desk payment",
        "должен быть пустым для оплаты через кассу",
        "має бути порожнім для оплати через касу",
    ),
    (
        "service {} is not on the account's invoice for {}",
        "услуги {} нет в счёте лицевого счёта за {}",
        "послуги {} немає в рахунку особового рахунку за {}",
    ),
    (
        "this payment is already loaded",
        "эта оплата уже загружена",
        "цю оплату вже завантажено",
    ),
    (
        "payment {} is already cancelled",
        "оплата {} уже отменена",
        "оплату {} вже скасовано",
    ),
    (
        "payment {} is booked in the closed period {}; change it through an act",
        "оплата {} проведена в закрытом периоде {}; изменяйте её актом",
        "оплату {} проведено в закритому періоді {}; змінюйте її актом",
    ),
    (
        "payment {} does not exist",
        "оплата {} не существует",
        "оплата {} не існує",
    ),
    (
        "PORTAL is set only by the subscriber portal",
        "источник PORTAL ставит только кабинет абонента",
        "джерело PORTAL ставить лише кабінет абонента",
    ),
    (
        "must be a day of the month from 1 to 31",
        "должно быть числом месяца от 1 до 31",
        "має бути числом місяця від 1 до 31",
    ),
    (
        "must be an hour from 0 to 23",
        "должно быть часом от 0 до 23",
        "має бути годиною від 0 до 23",
    ),
    (
        "must be readings or payment",
        "должно быть readings (показания) или payment (оплата)",
        "має бути readings (показники) або payment (оплата)",
    ),
    (
        "these reminders went today already",
        "эти напоминания сегодня уже отправлены",
        "ці нагадування сьогодні вже надіслано",
    ),
    (
        "{}: invoice for {}, account {}",
        "{}: квитанция за {}, лицевой счёт {}",
        "{}: рахунок за {}, особовий рахунок {}",
    ),
    (
        "The invoice of account {} for {} is attached.",
        "Квитанция по лицевому счёту {} за {} во вложении.",
        "Рахунок за особовим рахунком {} за {} у вкладенні.",
    ),
    (
        "{}: meter readings for {}",
        "{}: показания счётчиков за {}",
        "{}: показники лічильників за {}",
    ),
    (
        "Account {}: please submit the readings of your meters for {} in the subscriber portal or to the office.",
        "Лицевой счёт {}: пожалуйста, передайте показания счётчиков за {} в личном кабинете или в офис.",
        "Особовий рахунок {}: будь ласка, передайте показники лічильників за {} в особистому кабінеті або до офісу.",
    ),
    (
        "Meter {} ({}): last reading {}",
        "Счётчик {} ({}): последнее показание {}",
        "Лічильник {} ({}): останній показник {}",
    ),
    (
        "{}: invoice for {} to pay",
        "{}: квитанция за {} к оплате",
        "{}: рахунок за {} до сплати",
    ),
    (
        "Account {}: {} {} is due for {}. Please pay by {}.",
        "Лицевой счёт {}: к оплате {} {} за {}. Пожалуйста, оплатите до {}.",
        "Особовий рахунок {}: до сплати {} {} за {}. Будь ласка, сплатіть до {}.",
    ),
    ("not found", "не найден", "не знайдено"),
    (
        "account not found",
        "лицевой счёт не найден",
        "особовий рахунок не знайдено",
    ),
    ("is missing", "не указан", "не вказано"),
    ("is not a number", "не число", "не є числом"),
    ("is not a date", "не дата", "не є датою"),
    (
        "must be a number such as 1234.56",
        "должно быть числом, например 1234.56",
        "має бути числом, наприклад 1234.56",
    ),
    (
        "service not found",
        "услуга не найдена",
        "послугу не знайдено",
    ),
    (
        "is not on the account's invoice",
        "нет в счёте лицевого счёта",
        "немає в рахунку особового рахунку",
    ),
    (
        "the same payment is in the file twice",
        "одна и та же оплата дважды в файле",
        "та сама оплата двічі у файлі",
    ),
    (
        "this payment is already loaded from another file",
        "эта оплата уже загружена из другого файла",
        "цю оплату вже завантажено з іншого файлу",
    ),
    (
        "the control count {} differs from the {} rows in the file",
        "контрольное количество {} не совпадает с {} строками файла",
        "контрольна кількість {} не збігається з {} рядками файлу",
    ),
    (
        "the control sum {} differs from the rows' sum {}",
        "контрольная сумма {} не совпадает с суммой строк {}",
        "контрольна сума {} не збігається з сумою рядків {}",
    ),
    (
        "has no payment rows",
        "не содержит строк оплат",
        "не містить рядків оплат",
    ),
    (
        "the receipt date {} is no longer in the open period {}",
        "дата поступления {} уже не в открытом периоде {}",
        "дата надходження {} вже не у відкритому періоді {}",
    ),
    (
        "this file was already loaded as \"{}\" (No. {}) on {}",
        "этот файл уже загружен как «{}» (№ {}) {}",
        "цей файл уже завантажено як «{}» (№ {}) {}",
    ),
    (
        "the template must say where the account and the amount are",
        "в шаблоне должно быть указано, где лицевой счёт и сумма",
        "у шаблоні має бути вказано, де особовий рахунок і сума",
    ),
    (
        "is not UTF-8 text; choose the template with the file's encoding (cp1251, cp866)",
        "не текст UTF-8; выберите шаблон с кодировкой файла (cp1251, cp866)",
        "не текст UTF-8; оберіть шаблон із кодуванням файлу (cp1251, cp866)",
    ),
    (
        "is a spreadsheet; choose a spreadsheet template",
        "это таблица; выберите шаблон для таблиц",
        "це таблиця; оберіть шаблон для таблиць",
    ),
    (
        "is not an XLSX or XLS workbook; choose a text template",
        "не книга XLSX или XLS; выберите текстовый шаблон",
        "не книга XLSX чи XLS; оберіть текстовий шаблон",
    ),
    (
        "the control sum is not a number: \"{}\"",
        "контрольная сумма не число: «{}»",
        "контрольна сума не є числом: «{}»",
    ),
    (
        "the control count is not a number: \"{}\"",
        "контрольное количество не число: «{}»",
        "контрольна кількість не є числом: «{}»",
    ),
    (
        "has more than {} rows; split it",
        "содержит больше {} строк; разделите его",
        "містить понад {} рядків; розділіть його",
    ),
    (
        "the template is switched off",
        "шаблон отключён",
        "шаблон вимкнено",
    ),
    (
        "must be 1 to 40 characters",
        "от 1 до 40 символов",
        "від 1 до 40 символів",
    ),
    (
        "must be 1 to 100 characters",
        "от 1 до 100 символов",
        "від 1 до 100 символів",
    ),
    ("must be at least 1", "не меньше 1", "не менше 1"),
    (
        "a batch holds at most 10000 rows",
        "в пачке не более 10000 строк",
        "у пачці не більше 10000 рядків",
    ),
    (
        "batch {} is {}; only a draft batch can be changed",
        "пачка {} в состоянии {}; изменять можно только черновик",
        "пачка {} у стані {}; змінювати можна лише чернетку",
    ),
    (
        "the batch has {} rows, its control count is {}",
        "в пачке {} строк, контрольное количество {}",
        "у пачці {} рядків, контрольна кількість {}",
    ),
    (
        "the rows add up to {}, the control sum is {}",
        "строки дают {}, контрольная сумма {}",
        "рядки дають {}, контрольна сума {}",
    ),
    (
        "batch {} is already cancelled",
        "пачка {} уже отменена",
        "пачку {} вже скасовано",
    ),
    (
        "batch {} is {}; cancel it before deleting it",
        "пачка {} в состоянии {}; отмените её перед удалением",
        "пачка {} у стані {}; скасуйте її перед видаленням",
    ),
    (
        "batch {} does not exist",
        "пачка {} не существует",
        "пачка {} не існує",
    ),
    (
        "must be proportional or priority",
        "должно быть proportional или priority",
        "має бути proportional або priority",
    ),
    (
        "service {} does not exist",
        "услуга {} не существует",
        "послуга {} не існує",
    ),
    (
        "a manual split needs the amount per service",
        "для ручного распределения нужны суммы по услугам",
        "для ручного розподілу потрібні суми за послугами",
    ),
    (
        "must be csv, xlsx or fixed",
        "должно быть csv, xlsx или fixed",
        "має бути csv, xlsx або fixed",
    ),
    (
        "must be utf-8, cp1251 or cp866",
        "должно быть utf-8, cp1251 или cp866",
        "має бути utf-8, cp1251 або cp866",
    ),
    (
        "must be one character or \\t",
        "должен быть одним символом или \\t",
        "має бути одним символом або \\t",
    ),
    ("must be from 0 to 100", "от 0 до 100", "від 0 до 100"),
    (
        "must be a date format such as %d.%m.%Y or %Y-%m-%d",
        "должен быть форматом даты, например %d.%m.%Y или %Y-%m-%d",
        "має бути форматом дати, наприклад %d.%m.%Y або %Y-%m-%d",
    ),
    (
        "must be a number from 1 to 1000",
        "должно быть числом от 1 до 1000",
        "має бути числом від 1 до 1000",
    ),
    (
        "a template with this name already exists",
        "шаблон с таким названием уже есть",
        "шаблон із такою назвою вже є",
    ),
    (
        "line {} is already paid",
        "строка {} уже оплачена",
        "рядок {} уже сплачено",
    ),
    (
        "the template's {} is not valid",
        "неверное поле шаблона: {}",
        "неправильне поле шаблону: {}",
    ),
];

/// Field names as the user knows them: (field, ru, uk, en).
const FIELDS: &[(&str, &str, &str, &str)] = &[
    (
        "idempotencyKey",
        "ключ идемпотентности",
        "ключ ідемпотентності",
        "idempotency key",
    ),
    (
        "readingsReminderDay",
        "день напоминания о показаниях",
        "день нагадування про показники",
        "readings reminder day",
    ),
    (
        "paymentReminderDay",
        "день напоминания об оплате",
        "день нагадування про оплату",
        "payment reminder day",
    ),
    ("kind", "вид", "вид", "kind"),
    (
        "reminderHour",
        "час напоминаний",
        "година нагадувань",
        "reminder hour",
    ),
    ("password", "пароль", "пароль", "password"),
    (
        "currentPassword",
        "текущий пароль",
        "поточний пароль",
        "current password",
    ),
    ("login", "логин", "логін", "login"),
    ("email", "e-mail", "e-mail", "e-mail"),
    ("displayName", "имя", "ім'я", "name"),
    ("name", "название", "назва", "name"),
    ("code", "код", "код", "code"),
    ("roles", "роли", "ролі", "roles"),
    ("branchIds", "филиалы", "філії", "branches"),
    ("buildingIds", "дома", "будинки", "buildings"),
    ("unit", "единица измерения", "одиниця виміру", "unit"),
    (
        "method",
        "метод расчёта",
        "метод розрахунку",
        "calculation method",
    ),
    (
        "subMethod",
        "подчинённый метод",
        "підлеглий метод",
        "sub-method",
    ),
    ("seasonal", "сезонная", "сезонна", "seasonal"),
    (
        "benefitRule",
        "правило льготы",
        "правило пільги",
        "benefit rule",
    ),
    (
        "priority",
        "очерёдность оплаты",
        "черговість оплати",
        "payment priority",
    ),
    ("startsOn", "начало", "початок", "start"),
    ("endsOn", "окончание", "кінець", "end"),
    ("resource", "ресурс", "ресурс", "resource"),
    ("brand", "марка", "марка", "brand"),
    ("meterType", "тип прибора", "тип приладу", "meter type"),
    ("diameterMm", "диаметр, мм", "діаметр, мм", "diameter, mm"),
    ("digits", "разрядность", "розрядність", "digits"),
    (
        "verificationMonths",
        "межповерочный интервал, мес.",
        "міжповірочний інтервал, міс.",
        "verification interval, months",
    ),
    ("percent", "процент", "відсоток", "percent"),
    (
        "family",
        "распространяется на семью",
        "поширюється на сім'ю",
        "extends to family",
    ),
    ("services", "услуги", "послуги", "services"),
    ("price", "цена", "ціна", "price"),
    (
        "components",
        "составляющие тарифа",
        "складові тарифу",
        "tariff components",
    ),
    ("priceListId", "прайс-лист", "прайс-лист", "price list"),
    ("serviceId", "услуга", "послуга", "service"),
    ("quantity", "количество", "кількість", "quantity"),
    ("rate", "ставка", "ставка", "rate"),
    ("buildingId", "дом", "будинок", "building"),
    ("accountIds", "лицевые счета", "особові рахунки", "accounts"),
    ("residentId", "проживающий", "мешканець", "resident"),
    ("yearBuilt", "год постройки", "рік побудови", "year built"),
    ("commonArea", "площадь МОП", "площа МЗК", "common area"),
    ("rooms", "комнат", "кімнат", "rooms"),
    ("floor", "этаж", "поверх", "floor"),
    ("stoveType", "тип плиты", "тип плити", "stove type"),
    ("serviceIds", "услуги", "послуги", "services"),
    (
        "averageMonths",
        "месяцев для среднего",
        "місяців для середнього",
        "months for the average",
    ),
    ("dueDay", "день оплаты", "день оплати", "due day"),
    (
        "penaltyRule",
        "правило пени",
        "правило пені",
        "penalty rule",
    ),
    (
        "residentsBasis",
        "учёт проживающих",
        "облік мешканців",
        "residents counted",
    ),
    ("account", "лицевой счёт", "особовий рахунок", "account"),
    (
        "receivedOn",
        "дата поступления средств",
        "дата надходження коштів",
        "receipt date",
    ),
    ("paidOn", "дата оплаты", "дата оплати", "payment date"),
    (
        "chargePeriod",
        "период начислений",
        "період нарахувань",
        "charge period",
    ),
    ("bankId", "банк", "банк", "bank"),
    (
        "lines",
        "суммы по услугам",
        "суми за послугами",
        "amounts per service",
    ),
    (
        "statement",
        "номер выписки",
        "номер виписки",
        "statement number",
    ),
    (
        "controlCount",
        "контрольное количество",
        "контрольна кількість",
        "control count",
    ),
    (
        "controlSum",
        "контрольная сумма",
        "контрольна сума",
        "control sum",
    ),
    ("batchDate", "дата пачки", "дата пачки", "batch date"),
    (
        "accountNumber",
        "лицевой счёт",
        "особовий рахунок",
        "account",
    ),
    ("templateId", "шаблон", "шаблон", "template"),
    ("fields", "поля", "поля", "fields"),
    ("branchId", "филиал", "філія", "branch"),
    (
        "current",
        "текущее показание",
        "поточне показання",
        "current reading",
    ),
    ("consumption", "расход", "споживання", "consumption"),
    (
        "takenOn",
        "дата снятия показания",
        "дата зняття показання",
        "reading date",
    ),
    ("meterId", "счётчик", "лічильник", "meter"),
    ("file", "файл", "файл", "file"),
    ("reading", "показание", "показання", "reading"),
    ("from", "с периода", "з періоду", "from period"),
    ("to", "по период", "по період", "to period"),
    (
        "verifiedOn",
        "дата поверки",
        "дата повірки",
        "verification date",
    ),
    ("meterIds", "приборы учёта", "лічильники", "meters"),
    (
        "mainId",
        "главный прибор",
        "головний лічильник",
        "main meter",
    ),
    (
        "newMainId",
        "новый главный прибор",
        "новий головний лічильник",
        "new main meter",
    ),
    (
        "serial",
        "заводской номер",
        "заводський номер",
        "serial number",
    ),
    (
        "initialReading",
        "начальные показания",
        "початкові показники",
        "initial reading",
    ),
    (
        "finalReading",
        "конечные показания",
        "кінцеві показники",
        "final reading",
    ),
    ("removedOn", "дата снятия", "дата зняття", "removal date"),
    (
        "installMethod",
        "способ установки",
        "спосіб встановлення",
        "install method",
    ),
    ("modelId", "модель", "модель", "model"),
    ("sealNumber", "номер пломбы", "номер пломби", "seal number"),
    ("place", "место установки", "місце встановлення", "place"),
    ("memberIds", "члены семьи", "члени сім'ї", "family members"),
    ("benefitId", "льгота", "пільга", "benefit"),
    ("document", "документ", "документ", "document"),
    ("period", "период", "період", "period"),
    ("amount", "сумма", "сума", "amount"),
    ("debt", "сумма долга", "сума боргу", "debt"),
    (
        "legalAddress",
        "юридический адрес",
        "юридична адреса",
        "legal address",
    ),
    ("validTo", "действует до", "діє до", "valid to"),
    ("months", "месяцев", "місяців", "months"),
    (
        "firstPeriod",
        "первый период",
        "перший період",
        "first period",
    ),
    (
        "accountNumbers",
        "лицевые счета",
        "особові рахунки",
        "accounts",
    ),
    ("locale", "язык", "мова", "language"),
    ("limit", "размер страницы", "розмір сторінки", "page size"),
    (
        "slug",
        "код организации",
        "код організації",
        "organisation code",
    ),
    ("tenant", "организация", "організація", "organisation"),
    ("currency", "валюта", "валюта", "currency"),
    ("jurisdiction", "юрисдикция", "юрисдикція", "jurisdiction"),
    ("timeZone", "часовой пояс", "часовий пояс", "time zone"),
    (
        "passwordMinLength",
        "минимальная длина пароля",
        "мінімальна довжина пароля",
        "minimum password length",
    ),
    (
        "ssoIssuer",
        "адрес провайдера SSO",
        "адреса провайдера SSO",
        "SSO provider URL",
    ),
    ("id", "запись", "запис", "record"),
    ("book", "справочник", "довідник", "reference book"),
    ("country", "страна", "країна", "country"),
    ("lastName", "фамилия", "прізвище", "last name"),
    ("legalName", "наименование", "найменування", "legal name"),
    (
        "birthDate",
        "дата рождения",
        "дата народження",
        "birth date",
    ),
    ("subscriberId", "абонент", "абонент", "subscriber"),
    ("premisesId", "помещение", "приміщення", "premises"),
    ("number", "номер", "номер", "number"),
    ("fullName", "ФИО", "ПІБ", "full name"),
    (
        "registeredTo",
        "конец регистрации",
        "кінець реєстрації",
        "registered until",
    ),
    (
        "livingTo",
        "конец проживания",
        "кінець проживання",
        "living until",
    ),
    ("region", "область", "область", "region"),
    (
        "locality",
        "населённый пункт",
        "населений пункт",
        "locality",
    ),
    ("street", "улица", "вулиця", "street"),
    ("streetKind", "вид улицы", "вид вулиці", "street kind"),
    ("building", "дом", "будинок", "building"),
    (
        "apartmentsTo",
        "конец диапазона квартир",
        "кінець діапазону квартир",
        "last apartment",
    ),
    ("entrances", "подъезды", "під'їзди", "entrances"),
    ("floors", "этажи", "поверхи", "floors"),
    ("totalArea", "общая площадь", "загальна площа", "total area"),
    (
        "livingArea",
        "жилая площадь",
        "житлова площа",
        "living area",
    ),
    (
        "heatedArea",
        "отапливаемая площадь",
        "опалювана площа",
        "heated area",
    ),
    ("taxId", "код ЕГРПОУ/ИНН", "код ЄДРПОУ/ІПН", "tax id"),
    ("iban", "IBAN", "IBAN", "IBAN"),
    ("channel", "канал оплаты", "канал оплати", "payment channel"),
    ("position", "должность", "посада", "position"),
    ("isController", "контролёр", "контролер", "controller"),
];

/// `text` in `lang` (unchanged when the catalog has no entry for it).
pub fn message(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_owned();
    }
    for (en, ru, uk) in MESSAGES {
        if let Some(params) = matches(en, text) {
            let target = if lang == Lang::Ru { ru } else { uk };
            return fill(target, &params);
        }
    }
    text.to_owned()
}

/// The field's name in `lang`.
pub fn field(lang: Lang, name: &str) -> String {
    FIELDS
        .iter()
        .find(|f| f.0 == name)
        .map(|f| match lang {
            Lang::Ru => f.1,
            Lang::Uk => f.2,
            Lang::En => f.3,
        })
        .unwrap_or(name)
        .to_owned()
}

/// The variable parts of `text` if it has the shape of `template`.
fn matches(template: &str, text: &str) -> Option<Vec<String>> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let mut rest = text.strip_prefix(pieces[0])?;
    let mut params = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i == pieces.len() - 1;
        let at = if last {
            rest.len()
                .checked_sub(piece.len())
                .filter(|&at| rest.get(at..) == Some(*piece))?
        } else {
            rest.find(piece)?
        };
        params.push(rest.get(..at)?.to_owned());
        rest = rest.get(at + piece.len()..)?;
    }
    (rest.is_empty()).then_some(params)
}

fn fill(template: &str, params: &[String]) -> String {
    let mut out = String::new();
    for (i, piece) in template.split("{}").enumerate() {
        if i > 0 {
            out.push_str(params.get(i - 1).map(String::as_str).unwrap_or(""));
        }
        out.push_str(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_keeps_its_placeholders() {
        for (en, ru, uk) in MESSAGES {
            let n = en.matches("{}").count();
            assert_eq!(ru.matches("{}").count(), n, "{en}");
            assert_eq!(uk.matches("{}").count(), n, "{en}");
            assert_ne!(en, ru);
        }
    }

    #[test]
    fn messages_translate_with_their_values() {
        assert_eq!(
            message(Lang::Uk, "must be at least 10 characters long"),
            "має бути не коротшим за 10 символів"
        );
        assert_eq!(
            message(
                Lang::Ru,
                "role auditor is assigned to 2 user(s); take it away first"
            ),
            "роль auditor назначена 2 польз.; сначала снимите её"
        );
        assert_eq!(
            message(Lang::Uk, "missing permission accounts.view"),
            "немає права accounts.view"
        );
        assert_eq!(message(Lang::En, "sign in first"), "sign in first");
        assert_eq!(message(Lang::Uk, "something new"), "something new");
        assert_eq!(field(Lang::Uk, "password"), "пароль");
    }

    #[test]
    fn accept_language_picks_the_first_supported() {
        assert_eq!(
            Lang::from_accept_language("de-DE, uk;q=0.9, en;q=0.5"),
            Some(Lang::Uk)
        );
        assert_eq!(Lang::from_accept_language("ru-RU"), Some(Lang::Ru));
        assert_eq!(Lang::from_accept_language("de"), None);
    }
}
