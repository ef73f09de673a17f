#include "cases/case_record.h"

namespace complaintd::cases {
namespace {

constexpr std::string_view kFax = "fax: ";
constexpr std::string_view kPostOrPhone = "post or phone: ";

}  // namespace

std::string ReplyRoute::toString() const {
    switch (way) {
        case Way::Fax:
            return std::string(kFax) + detail;
        case Way::PostOrPhone:
            return std::string(kPostOrPhone) + detail;
        case Way::EMail:
            break;
    }
    return "";
}

ReplyRoute ReplyRoute::parse(std::string_view text) {
    if (text.starts_with(kFax)) return byFax(std::string(text.substr(kFax.size())));
    if (text.starts_with(kPostOrPhone)) return byPostOrPhone(std::string(text.substr(kPostOrPhone.size())));
    // Written by hand or by an older version: kept as the reason, never mistaken for e-mail.
    if (!text.empty()) return byPostOrPhone(std::string(text));
    return {};
}

}  // namespace complaintd::cases
