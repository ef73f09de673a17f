// Telephone and fax numbers as Taiwanese offices write them: the area code,
// a dash, the local number ("06-5050777", "02-2345-6789", "037-123456"), and
// mobiles as "0912-345-678". Gateways write the same number in many ways
// ("+886 6 5050777", "886-6-5050777", "(06)505-0777", "065050777",
// full-width digits); this module turns them into that one form.
//
// Pure. Input is untrusted text; a number that does not fit the Taiwanese
// numbering plan is not guessed at: the result is nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace complaintd::fax {

// The normalised form of `written`: Taiwanese numbers as above, numbers of
// other countries as "+" and digits ("+81312345678"). Accepts digits (ASCII or
// full-width), spaces, '-', '.', '/', parentheses and a leading '+', "00" or
// "886"; a "(0)" after the country code is dropped. Nullopt for anything else,
// for a local number without area code, and for a length the area code does
// not allow.
std::optional<std::string> normaliseFaxNumber(std::string_view written);

// The digits a fax machine in Taiwan dials for a normalised number:
// "065050777" for "06-5050777"; empty for numbers of other countries.
std::string nationalDigits(std::string_view normalised);

// The number in international form without '+': "88665050777" for
// "06-5050777", "81312345678" for "+81312345678".
std::string internationalDigits(std::string_view normalised);

}  // namespace complaintd::fax
