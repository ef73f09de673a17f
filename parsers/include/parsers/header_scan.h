// A quick look at one header of a raw message without parsing it: used at
// intake time, before the full parse, to dedupe by Message-ID. Reads only the
// header block (up to the first empty line). Never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace complaintd::parsers {

// The unfolded raw value of the first header named `name` (case-insensitive), or "".
std::string rawHeaderValue(std::string_view message, std::string_view name);

// The unfolded raw values of every header named `name`, in order: one pass over the header block.
std::vector<std::string> rawHeaderValues(std::string_view message, std::string_view name);

// The Message-ID without angle brackets or white space, or "" when absent or empty.
std::string messageIdOf(std::string_view message);

}  // namespace complaintd::parsers
