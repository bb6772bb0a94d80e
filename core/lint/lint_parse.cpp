// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lint/lint_parse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <pg_query.h>

namespace lockstep::lint {

namespace {

// charAt[b] = QString index of the character that starts at UTF-8 byte b (and of the end at utf8.size()).
QVector<int> byteToCharMap(const QByteArray& utf8)
{
    QVector<int> map(utf8.size() + 1, 0);
    int units = 0;
    int i = 0;
    while (i < utf8.size()) {
        const auto lead = static_cast<unsigned char>(utf8[i]);
        const int bytes = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        for (int k = 0; k < bytes && i + k < utf8.size(); ++k)
            map[i + k] = units;
        i += bytes;
        units += bytes == 4 ? 2 : 1;   // outside the BMP a character is a surrogate pair in a QString
    }
    map[utf8.size()] = units;
    return map;
}

int charAt(const QVector<int>& map, int byte)
{
    return map.at(qBound(0, byte, map.size() - 1));
}

// QString index of the code point number `codePoint` (they differ after a character outside the BMP).
int codePointToIndex(const QString& text, int codePoint)
{
    int index = 0;
    for (int n = 0; n < codePoint && index < text.size(); ++n)
        index += text.at(index).isHighSurrogate() && index + 1 < text.size() ? 2 : 1;
    return qMin(index, static_cast<int>(text.size()));
}

// Index of the first character of `text` from `from` on that is neither blank nor inside a comment.
int skipBlanksAndComments(const QString& text, int from, int end)
{
    int i = from;
    while (i < end) {
        if (text.at(i).isSpace()) {
            ++i;
        } else if (QStringView(text).mid(i, 2) == QLatin1String("--")) {
            while (i < end && text.at(i) != QLatin1Char('\n'))
                ++i;
        } else if (QStringView(text).mid(i, 2) == QLatin1String("/*")) {
            int depth = 0;   // PostgreSQL's block comments nest
            do {
                if (QStringView(text).mid(i, 2) == QLatin1String("/*")) {
                    ++depth;
                    i += 2;
                } else if (QStringView(text).mid(i, 2) == QLatin1String("*/")) {
                    --depth;
                    i += 2;
                } else {
                    ++i;
                }
            } while (depth > 0 && i < end);
        } else {
            break;
        }
    }
    return qMin(i, end);
}

// psql meta-command lines blanked out (same length, so every offset stays valid).
QString withoutMetaCommands(const QString& sql)
{
    static const QRegularExpression metaLine(QStringLiteral("^[ \\t]*\\\\[^\\n]*"), QRegularExpression::MultilineOption);
    QString out = sql;
    auto it = metaLine.globalMatch(sql);
    while (it.hasNext()) {
        const auto m = it.next();
        for (int i = m.capturedStart(); i < m.capturedEnd(); ++i)
            out[i] = QLatin1Char(' ');
    }
    return out;
}

ParsedText parseOnce(const QString& original, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    const QVector<int> map = byteToCharMap(utf8);
    PgQueryParseResult r = pg_query_parse(utf8.constData());
    ParsedText out;
    if (r.error) {
        ParseError e;
        e.message = QString::fromUtf8(r.error->message);
        // Unlike stmt_location, cursorpos counts characters (code points, as PostgreSQL's error position
        // does), 1-based; 0 when the parser names no position.
        if (r.error->cursorpos > 0) {
            e.offset = codePointToIndex(text, r.error->cursorpos - 1);
            lineAndColumn(original, e.offset, &e.line, &e.column);
        }
        out.error = e;
        pg_query_free_parse_result(r);
        return out;
    }
    const QJsonObject tree = QJsonDocument::fromJson(QByteArray(r.parse_tree)).object();
    pg_query_free_parse_result(r);
    // Lines are counted on from the previous statement (statements come in text order): counting from
    // the top for each one made a 10,000-statement file take seconds.
    int countedTo = 0;
    int line = 1;
    for (const auto& v : tree.value(QStringLiteral("stmts")).toArray()) {
        const QJsonObject raw = v.toObject();
        const QJsonObject node = raw.value(QStringLiteral("stmt")).toObject();
        if (node.isEmpty())
            continue;
        const int startByte = raw.value(QStringLiteral("stmt_location")).toInt(0);
        const int lenBytes = raw.value(QStringLiteral("stmt_len")).toInt(0);   // 0: to the end of the text
        const int endByte = lenBytes > 0 ? startByte + lenBytes : utf8.size();
        ParsedStatement s;
        s.type = node.keys().first();
        s.node = node.value(s.type).toObject();
        // `text` (meta-commands blanked) finds the edges; `original` gives the words.
        const int start = skipBlanksAndComments(text, charAt(map, startByte), charAt(map, endByte));
        int end = charAt(map, endByte);
        while (end > start && (text.at(end - 1).isSpace() || text.at(end - 1) == QLatin1Char(';')))
            --end;
        s.offset = start;
        s.length = end - start;
        s.sql = original.mid(start, end - start);
        if (start >= countedTo) {
            line += static_cast<int>(QStringView(original).mid(countedTo, start - countedTo).count(QLatin1Char('\n')));
            countedTo = start;
        }
        s.line = line;
        out.statements.append(s);
    }
    return out;
}

} // namespace

void lineAndColumn(const QString& text, int offset, int* line, int* column)
{
    const int at = qBound(0, offset, text.size());
    const int lineStart = at == 0 ? 0 : text.lastIndexOf(QLatin1Char('\n'), at - 1) + 1;
    *line = 1 + static_cast<int>(QStringView(text).left(at).count(QLatin1Char('\n')));
    *column = at - lineStart + 1;
}

ParsedText parseSqlText(const QString& sql)
{
    ParsedText first = parseOnce(sql, sql);
    if (!first.error)
        return first;
    const QString blanked = withoutMetaCommands(sql);
    if (blanked == sql)
        return first;
    ParsedText second = parseOnce(sql, blanked);
    return second.error ? first : second;
}

} // namespace lockstep::lint
