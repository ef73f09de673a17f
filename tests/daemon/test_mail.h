// Complaint messages for tests, built the way real clients send them.
#pragma once

#include <iconv.h>

#include <stdexcept>
#include <string>

namespace complaintd::testing {

// UTF-8 text converted to `charset` with iconv.
inline std::string encodeAs(const std::string& utf8, const char* charset) {
    iconv_t cd = iconv_open(charset, "UTF-8");
    if (cd == iconv_t(-1)) throw std::runtime_error(std::string("no iconv for ") + charset);
    std::string out(utf8.size() * 4 + 16, '\0');
    char* in = const_cast<char*>(utf8.data());
    size_t inLeft = utf8.size();
    char* o = out.data();
    size_t outLeft = out.size();
    const auto rc = iconv(cd, &in, &inLeft, &o, &outLeft);
    iconv_close(cd);
    if (rc == size_t(-1)) throw std::runtime_error("iconv failed");
    out.resize(out.size() - outLeft);
    return out;
}

inline std::string base64(const std::string& bytes) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v =
            (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
        out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = (unsigned char)bytes[i] << 16;
        out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
        out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
    }
    return out;
}

// A complaint as a Taiwanese webmail sends it: Big5 body, Big5 B-encoded subject and name.
inline std::string big5Complaint(const std::string& messageId, const std::string& subject, const std::string& body,
                                 const std::string& name = "王小明", const std::string& address = "wang@example.org") {
    return "From: =?big5?B?" + base64(encodeAs(name, "BIG5")) + "?= <" + address +
           ">\r\n"
           "To: complaints@shugu.example\r\n"
           "Subject: =?big5?B?" +
           base64(encodeAs(subject, "BIG5")) +
           "?=\r\n"
           "Date: Mon, 30 Nov 2026 09:00:00 +0800\r\n"
           "Message-ID: <" +
           messageId +
           ">\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=big5\r\n"
           "Content-Transfer-Encoding: 8bit\r\n"
           "\r\n" +
           encodeAs(body, "BIG5") + "\r\n";
}

// A plain UTF-8 message with optional extra header lines (each ending in CRLF).
inline std::string utf8Mail(const std::string& messageId, const std::string& subject, const std::string& body,
                            const std::string& from = "Wang Xiaoming <wang@example.org>",
                            const std::string& extraHeaders = "") {
    return "From: " + from + "\r\nTo: complaints@shugu.example\r\nSubject: =?UTF-8?B?" + base64(subject) +
           "?=\r\nMessage-ID: <" + messageId + ">\r\n" + extraHeaders +
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
           body + "\r\n";
}

}  // namespace complaintd::testing
