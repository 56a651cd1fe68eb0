#!/usr/bin/env python3
"""Seeds the fuzz corpora with structurally valid files — random bytes never form a zip,
so without them the fuzzer would not reach the spreadsheet reader: minimal XLSX workbooks
(shared strings, numbers, a date-styled cell, a far cell), CSV and fixed-width registries
in the encodings banks use, and the malformed files kept in backend/tests/fixtures.
Bank-file seeds start with the two layout bytes the target reads."""
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "payments", "tests", "fixtures", "payment_files")


def xlsx(rows, dimension=None, date_style=False):
    """A workbook of one sheet; cells are str (shared strings) or numbers."""
    strings, sheet_rows = [], []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(v, str):
                if v not in strings:
                    strings.append(v)
                cells.append(f'<c r="{ref}" t="s"><v>{strings.index(v)}</v></c>')
            else:
                style = ' s="1"' if date_style and c == len(row) - 1 else ""
                cells.append(f'<c r="{ref}"{style}><v>{v}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rns}><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><numFmts count="0"/><fonts count="1"><font/></fonts>'
        '<fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>{dim}<sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


readings = {
    "readings.xlsx": xlsx([["Серійний номер", "Показник", "Дата"], ["22237987", 236.188, 46000], ["X-1", 12, 46001]], date_style=True),
    "readings_far.xlsx": xlsx([["serial", "reading"], ["A1", 5]], dimension="A1:XFD1048576"),
    "readings_account.xlsx": xlsx([["Лицевой счёт", "Расход", "Услуга"], ["100001", 3.5, "ХВС"]]),
    "readings.csv": "Серійний номер;Показник;Дата\n22237987;236,188;01.11.2026\nX-1;12;02.11.2026\n".encode("utf-8"),
    "readings_cp1251.csv": "Лицевой счёт;Расход\n100001;3,5\n".encode("cp1251"),
}
for name, data in readings.items():
    write("readings_file", name, data)

registry = "01-11-2026;;1;;100001;Фролов Степан;;;111.00\n01-11-2026;;1;;100003;Іваненко;;;25.50\n#FILESUM 136.50\n#FILECOUNT 2\n"
fixed = "100001    000000011100 01.11.2026\n100003    000000002550 02.11.2026\n"
bank = {
    "registry_csv": (bytes([0, 4]), registry.encode("cp1251")),
    "registry_utf8": (bytes([3 * 0 + 0, 0x70]), registry.encode("utf-8")),
    "fixed": (bytes([2, 0x80 | 10]), fixed.encode("cp866")),
    "sheet": (bytes([1, 0]), xlsx([["Рахунок", "Сума", "Дата", "Платник"], ["100001", 111, 46000, "Фролов"], ["100003", "25,50", "01.11.2026", "Іваненко"]], date_style=True)),
    "sheet_far": (bytes([1, 1]), xlsx([["a", "b"], ["1", 2]], dimension="A1:XFD1048576")),
}
for name, (prefix, data) in bank.items():
    write("bank_file", name, prefix + data)
for f in sorted(os.listdir(FIXTURES)):
    with open(os.path.join(FIXTURES, f), "rb") as src:
        data = src.read()
    for prefix in (bytes([0, 4]), bytes([1, 0]), bytes([2, 0x8a])):
        write("bank_file", f"fixture_{f}_{prefix.hex()}", prefix + data)
    write("readings_file", f"fixture_{f}", data)
templates = {
    "builtin": "Шановний(а) {holder}!\n\nСтаном на {date} борг {debt} {currency} (пеня {penalty}) сплатіть до {deadline}.",
    "escaped": "{{not a field}} {number} }} {",
    "unknown": "Борг {dept}",
}
for name, text in templates.items():
    write("claim_template", name, text.encode("utf-8"))

statement = (
    "1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\n"
    "СекцияРасчСчет\r\nРасчСчет=40702810900000012345\r\nНачальныйОстаток=1000.00\r\n"
    "ВсегоПоступило=1200.50\r\nВсегоСписано=300.00\r\nКонечныйОстаток=1900.50\r\nКонецРасчСчет\r\n"
    "СекцияДокумент=Платежное поручение\r\nНомер=15\r\nДата=03.12.2026\r\nСумма=1200.50\r\n"
    "ПлательщикСчет=40817810000000000001\r\nПлательщик1=Иванов И. И.\r\nПолучательСчет=40702810900000012345\r\n"
    "НазначениеПлатежа=Оплата ЖКУ, ЛС: 40012345\r\nКонецДокумента\r\n"
    "СекцияДокумент=Платежное поручение\r\nНомер=16\r\nСумма=300.00\r\nПлательщикСчет=40702810900000012345\r\n"
    "ПолучательСчет=40702810000000099999\r\nКонецДокумента\r\nКонецФайла\r\n"
)
write("client_bank", "statement_cp1251", statement.encode("cp1251"))
write("client_bank", "statement_dos", statement.replace("Кодировка=Windows", "Кодировка=DOS").encode("cp866"))
write("client_bank", "statement_utf8", statement.encode("utf-8"))
imports = {
    # kind 0 (accounts), CSV, UTF-8, by header
    "accounts_csv": bytes([0, 0]) + "ЛС;Місто;Вулиця;Будинок;Кв;ПІБ\n900001;Київ;Садова;1;5;Петренко Іван\n".encode("utf-8"),
    # kind 4 (balances), CSV, cp1251
    "balances_cp1251": bytes([4 + 5 * 0 + 20, 0]) + "ЛС;Услуга;Сальдо\n900001;xvs;12,50\n".encode("cp1251"),
    # kind 1 (residents), a workbook
    "residents_sheet": bytes([1 + 5, 0]) + xlsx([["account", "registered", "living"], ["900001", 2, 1]]),
    # kind 4, fixed width by places
    "balances_fixed": bytes([4 + 10, 0x80]) + "900001xvs     12.50\n".encode("cp866"),
}
for name, data in imports.items():
    write("import_file", name, data)
targets = ("bank_file", "readings_file", "claim_template", "client_bank", "import_file")
print("seeded", {t: len(os.listdir(os.path.join(HERE, "corpus", t))) for t in targets})
