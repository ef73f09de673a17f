// Complainant details found in the text of a complaint: phone and fax
// numbers, postal address, name, company, and a request for confidentiality.
// Taiwanese conventions (06-5050123, (06)505-0123, 0912-345-678, +886,
// 分機123, 台南市新市區紫楝路100號, 聯絡人：, 請保密).
//
// Pure and untrusted-input safe: never throws; finds nothing rather than guessing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace complaintd::parsers {

struct ContactDetails {
    std::string name;                 // from 聯絡人：/姓名：/a signature line, else the display name
    std::vector<std::string> phones;  // normalised, e.g. "06-5050123", "0912-345-678", "06-5050123#123"
    std::vector<std::string> faxes;   // numbers labelled 傳真/fax, normalised the same way
    std::string address;              // the first postal address found
    std::string organisation;         // company or organisation (客訴人單位)
    bool confidential = false;        // the complainant asked for confidentiality (請保密, 勿公開, ...)
};

// `text` is the UTF-8 body (signature included); `displayName` the From display name (may be empty).
ContactDetails extractContactDetails(std::string_view text, std::string_view displayName);

}  // namespace complaintd::parsers
