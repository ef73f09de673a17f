// Contact details: so far only the name, taken from the From display name.
#include "parsers/contact_details.h"

namespace complaintd::parsers {

ContactDetails extractContactDetails(std::string_view /*text*/, std::string_view displayName) {
    ContactDetails details;
    details.name = std::string(displayName);
    return details;
}

}  // namespace complaintd::parsers
