#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into Fuzz/corpus/<target>/ from the shipped files.

Ingest and rule-book seeds are the shipped fixtures and rules joined the way the targets split
their input (at NUL bytes). CNAB 240 return seeds are laid out like the tests' ReturnFileBuilder
(Tests/ReguaTests/Bank/CNAB240ReturnTests.swift): the first byte chooses the account the target
reads the file for (0 Banco do Brasil, 1 Itaú, 2 Caixa). Run from the repository root.
"""
import os

ROOT = os.getcwd()
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def put(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def ingest():
    customers, receivables = read("fixtures/customers.csv"), read("fixtures/receivables.csv")
    put("FuzzIngest", "fixtures", customers + b"\0" + receivables)
    # The headers and a few rows: small seeds mutate faster.
    c, r = customers.split(b"\n"), receivables.split(b"\n")
    put("FuzzIngest", "fixtures-head", b"\n".join(c[:6]) + b"\n\0" + b"\n".join(r[:12]) + b"\n")
    put("FuzzIngest", "fixtures-crlf", b"\r\n".join(c[:4]) + b"\0" + b"\r\n".join(r[:6]))


def rulebook():
    empresa, regua = read("rules/00-empresa.yaml"), read("rules/10-regua.yaml")
    names = sorted(os.listdir(os.path.join(ROOT, "rules", "templates")))
    for i, name in enumerate(names):
        template = read(os.path.join("rules", "templates", name))
        put("FuzzRuleBook", "shipped-" + name, empresa + b"\0" + regua + b"\0" + bytes([i]) + template)


def record(fields):
    rec = bytearray(b" " * 240)
    for start, text in fields:
        rec[start - 1:start - 1 + len(text)] = text.encode("ascii")
    assert len(rec) == 240
    return bytes(rec)


def alpha(text, width):
    return text[:width].ljust(width)


def num(value, width):
    return str(value).rjust(width, "0")


def return_file(bank, agency, account, agreement, events, file_kind="2"):
    itau = bank == "341"
    header = [(1, bank), (4, "00000"), (143, file_kind), (144, "12122026"), (158, num(77, 6))]
    if itau:
        header += [(54, num(agency, 4)), (66, num(account, 5))]
    elif bank == "104":  # Caixa: the convênio where the others have the account
        header += [(53, num(agency, 5)), (59, num(agreement, 6))]
    else:
        header += [(33, num(agreement, 9)), (53, num(agency, 5)), (59, num(account, 12))]
    out = [record(header), record([(1, bank), (4, "00011T")])]
    seq = 0
    for movement, nn, title, amount, paid, reasons, occurrence, credit in events:
        seq += 1
        t = [(1, bank), (4, "00013"), (9, num(seq, 5)), (14, "T"), (16, movement)]
        if itau:
            t += [(38, "109"), (41, num(nn, 8)), (59, alpha(title, 10)), (214, alpha(reasons, 8))]
        elif bank == "104":
            t += [(40, alpha(nn, 17)), (59, alpha(title, 11)), (214, alpha(reasons, 10))]
        else:
            t += [(38, alpha(nn, 20)), (59, alpha(title, 15)), (214, alpha(reasons, 10))]
        t += [(74, "10122026"), (82, num(amount, 15)), (106, alpha(title, 25))]
        out.append(record(t))
        seq += 1
        out.append(record([
            (1, bank), (4, "00013"), (9, num(seq, 5)), (14, "U"), (16, movement), (18, "0" * 60),
            (78, num(paid, 15)), (93, num(paid, 15)), (138, occurrence or "0" * 8), (146, credit or "0" * 8)]))
    out.append(record([(1, bank), (4, "00015"), (18, num(seq + 2, 6))]))
    out.append(record([(1, bank), (4, "99999"), (18, num(1, 6)), (24, num(len(out) + 1, 6))]))
    return out


def cnab():
    bb_events = [
        ("06", "12387980000000001", "FAT-001", 15000, 15300, "", "11122026", "14122026"),
        ("03", "12387980000000002", "FAT-002", 15000, 0, "4548", "11122026", None),
        ("02", "12387980000000003", "FAT-003", 15000, 0, "", "11122026", None),
    ]
    bb = return_file("001", "4042", "61900", "1238798", bb_events)
    put("FuzzCNABReturn", "bb-crlf", b"\0" + b"".join(r + b"\r\n" for r in bb))
    put("FuzzCNABReturn", "bb-lf", b"\0" + b"".join(r + b"\n" for r in bb))
    itau_events = [("06", "00000001", "FAT-001", 15000, 15000, "", "11122026", "14122026"),
                   ("02", "00000002", "FAT-002", 9900, 0, "", "11122026", None)]
    itau = return_file("341", "0810", "53678", "", itau_events)
    put("FuzzCNABReturn", "itau", b"\1" + b"".join(r + b"\r\n" for r in itau))
    caixa_events = [("06", "14000000000000001", "FAT-001", 15000, 15000, "", "11122026", "14122026")]
    caixa = return_file("104", "1234", "56789", "123456", caixa_events)
    put("FuzzCNABReturn", "caixa", b"\2" + b"".join(r + b"\r\n" for r in caixa))


def postfix_dsn(verp_id, recipient, action, status, message_id, crlf=False):
    """A bounce laid out as Postfix writes one (RFC 3464 multipart/report), built by Python's
    email package so that the MIME framing is not ours."""
    from email.message import EmailMessage
    from email.mime.base import MIMEBase
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    report = MIMEMultipart("report", report_type="delivery-status", boundary="B7E2A1F0.1764748313/mx.exemplo.com.br")
    report["Date"] = "Thu,  3 Dec 2026 07:51:53 +0000 (UTC)"
    report["From"] = "MAILER-DAEMON@mx.exemplo.com.br (Mail Delivery System)"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["To"] = "cobranca+%s@exemplo.com.br" % verp_id
    report.attach(MIMEText("This is the mail system at host mx.exemplo.com.br.\n", "plain"))
    from email import message_from_string
    status_part = MIMEBase("message", "delivery-status")
    status_part.set_payload([
        message_from_string(
            "Reporting-MTA: dns; mx.exemplo.com.br\n"
            "X-Postfix-Queue-ID: 4Z2X1Y0W\n"
            "X-Postfix-Sender: rfc822; cobranca+%s@exemplo.com.br\n"
            "Arrival-Date: Thu,  3 Dec 2026 07:51:50 +0000 (UTC)\n\n" % verp_id),
        message_from_string(
            "Final-Recipient: rfc822; %s\n"
            "Original-Recipient: rfc822;%s\n"
            "Action: %s\n"
            "Status: %s\n"
            "Diagnostic-Code: smtp; 550 5.1.1 <%s>: Recipient address rejected\n\n"
            % (recipient, recipient, action, status, recipient)),
    ])
    report.attach(status_part)
    headers = MIMEBase("text", "rfc822-headers")
    headers.set_payload("Return-Path: <cobranca+%s@exemplo.com.br>\nMessage-ID: <%s@exemplo.com.br>\nSubject: Aviso\n" % (verp_id, message_id))
    report.attach(headers)
    data = report.as_bytes()
    return data.replace(b"\n", b"\r\n") if crlf else data


def feedback():
    hard = postfix_dsn("R20261123-0123456789abcdef", "ana@exemplo.com.br", "failed", "5.1.1", "R20261123-0123456789abcdef")
    soft = postfix_dsn("R20261124-fedcba9876543210", "bia@exemplo.com.br", "delayed", "4.4.1 (timeout)", "R20261124-fedcba9876543210", crlf=True)
    put("FuzzFeedback", "dsn-hard", b"\0" + hard)
    put("FuzzFeedback", "dsn-soft-crlf", b"\0" + soft)
    mbox = b"From MAILER-DAEMON Thu Dec  3 07:51:53 2026\n" + hard + b"\n>From quoted\nFrom MAILER-DAEMON Thu Dec  3 07:51:54 2026\n" + soft
    put("FuzzFeedback", "mbox-two", b"\2" + mbox)
    put("FuzzFeedback", "dlr-header", b"\1" + b"message_id,status,at\nR20261123-0123456789abcdef,1,2026-11-23T08:00:01Z\nR20261123-0123456789abcdef,16,2026-11-23T08:00:05Z\n")
    put("FuzzFeedback", "dlr-bare", b"\1" + b"R20261123-0123456789abcdef,2,2026-11-23 08:00:01\r\n\"R2,x\",8,\n")
    put("FuzzFeedback", "returned", b"\3" + b"message_id,reason\nR20261123-0123456789abcdef,mudou-se\n")


ingest()
rulebook()
cnab()
feedback()
