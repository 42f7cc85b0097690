#!/usr/bin/env python3
"""Builds the corpus message test/mail/corpus/tnef-winmail.eml: an Outlook-style message whose
only part is a winmail.dat (application/ms-tnef) holding a plain body and one attached file.

The TNEF stream follows MS-OXTNEF: the signature 0x223E9F78, a legacy key, then attributes, each
    level (1 byte: 1 message, 2 attachment) | id (4 bytes LE: type << 16 | id) |
    length (4 bytes LE) | data | checksum (2 bytes LE: sum of the data bytes mod 65536).
An attachment starts with attAttachRenddata, then carries attAttachTitle (its file name) and
attAttachData (its bytes). Standard library only; run from anywhere:
    python3 test/mail/make_tnef.py
"""
import base64
import os
import struct

ATP_STRING, ATP_TEXT, ATP_BYTE, ATP_WORD, ATP_DWORD = 0x0001, 0x0002, 0x0006, 0x0007, 0x0008
LVL_MESSAGE, LVL_ATTACHMENT = 1, 2


def att(atp, ident):
    return (atp << 16) | ident


ATT_TNEF_VERSION = att(ATP_DWORD, 0x9006)
ATT_OEM_CODEPAGE = att(ATP_BYTE, 0x9007)
ATT_MESSAGE_CLASS = att(ATP_WORD, 0x8008)
ATT_BODY = att(ATP_TEXT, 0x800C)
ATT_ATTACH_RENDDATA = att(ATP_BYTE, 0x9002)
ATT_ATTACH_TITLE = att(ATP_STRING, 0x8010)
ATT_ATTACH_DATA = att(ATP_BYTE, 0x800F)


def attribute(level, ident, data):
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BII", level, ident, len(data)) + data + struct.pack("<H", checksum)


def tnef(body, filename, content):
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += attribute(LVL_MESSAGE, ATT_TNEF_VERSION, struct.pack("<I", 0x00010000))
    out += attribute(LVL_MESSAGE, ATT_OEM_CODEPAGE, struct.pack("<II", 1252, 0))
    out += attribute(LVL_MESSAGE, ATT_MESSAGE_CLASS, b"IPM.Microsoft Mail.Note\0")
    out += attribute(LVL_MESSAGE, ATT_BODY, body + b"\0")
    # renddata: atyp (2, file), position (4), width (2), height (2), flags (4).
    out += attribute(LVL_ATTACHMENT, ATT_ATTACH_RENDDATA,
                     struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0))
    out += attribute(LVL_ATTACHMENT, ATT_ATTACH_TITLE, filename + b"\0")
    out += attribute(LVL_ATTACHMENT, ATT_ATTACH_DATA, content)
    return out


def main():
    body = b"Hello support,\r\n\r\nthe report is attached.\r\n\r\nRegards\r\nKees\r\n"
    content = b"date,value\r\n2024-03-01,17\r\n2024-03-02,23\r\n"
    stream = tnef(body, b"report.csv", content)
    encoded = base64.encodebytes(stream).decode("ascii").replace("\n", "\r\n")
    message = (
        "From: Kees de Vries <kees@outlook-user.example>\r\n"
        "To: support@desk.example\r\n"
        "Subject: Monthly report\r\n"
        "Date: Fri, 08 Mar 2024 09:15:00 +0100\r\n"
        "Message-ID: <tnef-1@outlook-user.example>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=\"winmail.dat\"\r\n"
        "\r\n" + encoded)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "tnef-winmail.eml")
    with open(path, "wb") as f:
        f.write(message.encode("ascii"))
    print(f"{path}: TNEF stream {len(stream)} bytes, attachment {len(content)} bytes")


if __name__ == "__main__":
    main()
