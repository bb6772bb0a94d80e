// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/sql_syntax.h"

#include <QJsonDocument>
#include <pg_query.h>

namespace lockstep::sqlsyntax {

namespace {

// pg_query_scan returns a protobuf ScanResult. Its layout is small and fixed (ScanResult: 2 = repeated
// ScanToken; ScanToken: 1 start, 2 end, 4 token, 5 keyword_kind), so we read the wire format directly
// instead of depending on protobuf-c headers.
class WireReader {
public:
    WireReader(const uint8_t* data, size_t len) : m_p(data), m_end(data + len) {}
    bool atEnd() const { return m_p >= m_end; }
    bool varint(uint64_t* out)
    {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p >= m_end)
                return false;
            const uint8_t b = *m_p++;
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) {
                *out = v;
                return true;
            }
        }
        return false;
    }
    // Reads one field's key; for length-delimited fields also returns its payload.
    bool field(int* number, int* wireType, uint64_t* value, const uint8_t** payload, size_t* payloadLen)
    {
        uint64_t key = 0;
        if (!varint(&key))
            return false;
        *number = int(key >> 3);
        *wireType = int(key & 7);
        switch (*wireType) {
        case 0:
            return varint(value);
        case 1:
            return skip(8);
        case 5:
            return skip(4);
        case 2: {
            uint64_t len = 0;
            if (!varint(&len) || len > uint64_t(m_end - m_p))
                return false;
            *payload = m_p;
            *payloadLen = size_t(len);
            m_p += len;
            return true;
        }
        default:
            return false;
        }
    }

private:
    bool skip(size_t n)
    {
        if (size_t(m_end - m_p) < n)
            return false;
        m_p += n;
        return true;
    }
    const uint8_t* m_p;
    const uint8_t* m_end;
};

bool decodeToken(const uint8_t* data, size_t len, Token* token)
{
    WireReader r(data, len);
    while (!r.atEnd()) {
        int number = 0, wireType = 0;
        uint64_t value = 0;
        const uint8_t* payload = nullptr;
        size_t payloadLen = 0;
        if (!r.field(&number, &wireType, &value, &payload, &payloadLen))
            return false;
        if (wireType != 0)
            continue;
        switch (number) {
        case 1: token->start = int(value); break;
        case 2: token->end = int(value); break;
        case 4: token->kind = int(value); break;
        case 5: token->keywordKind = int(value); break;
        default: break;
        }
    }
    return true;
}

SyntaxError errorFrom(const PgQueryError* e)
{
    // cursorpos is 1-based (0 = unknown), like the server's error position.
    return SyntaxError{QString::fromUtf8(e->message), e->cursorpos > 0 ? e->cursorpos - 1 : -1};
}

} // namespace

bool scan(const QByteArray& sql, QVector<Token>* tokens, SyntaxError* error)
{
    tokens->clear();
    PgQueryScanResult result = pg_query_scan(sql.constData());
    bool ok = true;
    if (result.error) {
        *error = errorFrom(result.error);
        ok = false;
    } else {
        WireReader r(reinterpret_cast<const uint8_t*>(result.pbuf.data), result.pbuf.len);
        while (ok && !r.atEnd()) {
            int number = 0, wireType = 0;
            uint64_t value = 0;
            const uint8_t* payload = nullptr;
            size_t payloadLen = 0;
            if (!r.field(&number, &wireType, &value, &payload, &payloadLen)) {
                ok = false;
            } else if (number == 2 && wireType == 2) {
                Token t;
                ok = decodeToken(payload, payloadLen, &t);
                tokens->push_back(t);
            }
        }
        if (!ok)
            *error = SyntaxError{QStringLiteral("could not read the scanner's output"), -1};
    }
    pg_query_free_scan_result(result);
    return ok;
}

bool parse(const QByteArray& sql, QJsonObject* tree, SyntaxError* error)
{
    PgQueryParseResult result = pg_query_parse(sql.constData());
    bool ok = true;
    if (result.error) {
        *error = errorFrom(result.error);
        ok = false;
    } else {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(result.parse_tree), &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
            *error = SyntaxError{QStringLiteral("could not read the parser's output"), -1};
            ok = false;
        } else {
            *tree = doc.object();
        }
    }
    pg_query_free_parse_result(result);
    return ok;
}

QString nodeType(const QJsonObject& node)
{
    return node.size() == 1 ? node.begin().key() : QString();
}

} // namespace lockstep::sqlsyntax
