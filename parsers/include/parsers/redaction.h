// Redaction of a confidential complainant's identity (密件) in free text: the subject,
// summary, OCR text and the like of a case, before anyone but a revealing clerk sees them.
//
// One rule for every view and letter: the complainant's known name, phones, fax, e-mail,
// address and organisation, and any phone number, e-mail address or postal address the
// parsers' detectors find, become kRedactionMark. Labels stay ("電話：〔已遮蔽〕"), so the text
// still reads. Pure and untrusted-input safe: linear in the text, never throws.
#pragma once

#include <string>
#include <string_view>

namespace complaintd::parsers {

inline constexpr std::string_view kRedactionMark = "〔已遮蔽〕";

// What is known of the person to hide; empty fields are skipped.
struct KnownIdentity {
    std::string name;
    std::string email;
    std::string phone;
    std::string fax;
    std::string address;
    std::string organisation;
};

// `text` with everything that identifies the person replaced by kRedactionMark. A name is also
// hidden as surname and honorific (王先生 for 王小明), and a name written after a label
// (聯絡人：) or above a sign-off is hidden even when it is not the known one.
std::string redactIdentity(std::string_view text, const KnownIdentity& who);

}  // namespace complaintd::parsers
