#include "fax/gateway_config.h"

#include <algorithm>
#include <array>

#include "cases/error.h"
#include "routing/section_file.h"
#include "time_text.h"

namespace complaintd::fax {
namespace {

constexpr std::array<std::pair<GatewayKind, std::string_view>, 5> kKinds{{
    {GatewayKind::HylaFax, "hylafax"},
    {GatewayKind::FaxService, "fax-service"},
    {GatewayKind::InternetFax, "internet-fax"},
    {GatewayKind::ScanToMail, "scan-to-mail"},
    {GatewayKind::Unknown, "unknown"},
}};

constexpr std::string_view kKnownKeys =
    "kind, match.FIELD, number.FIELD, pages.FIELD, received.FIELD, time_format, utc_offset "
    "(FIELD: subject, from, body)";

bool isGatewayId(std::string_view id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

std::optional<MailField> fieldFrom(std::string_view name) {
    if (name == "subject") return MailField::Subject;
    if (name == "from") return MailField::From;
    if (name == "body") return MailField::Body;
    return std::nullopt;
}

// `match.subject = ...` and its kin: compiles the pattern into the right list.
void addPattern(const routing::SectionFile& file, const routing::SectionEntry& entry, Gateway& gateway) {
    const auto dot = entry.key.find('.');
    const auto field = fieldFrom(dot == std::string::npos ? "" : std::string_view(entry.key).substr(dot + 1));
    if (!field) file.fail(entry.line, "unknown key `" + entry.key + "` (known: " + std::string(kKnownKeys) + ")");
    const std::string what = entry.key.substr(0, dot);
    if (what != "match" && what != "number" && what != "pages" && what != "received")
        file.fail(entry.line, "unknown key `" + entry.key + "` (known: " + std::string(kKnownKeys) + ")");
    std::optional<TextPattern> pattern;
    try {
        pattern = TextPattern::compile(entry.value);
    } catch (const ConfigError& error) {
        file.fail(entry.line, "pattern `" + entry.value + "`: " + error.what());
    }
    FieldPattern fieldPattern{*field, std::move(*pattern), entry.line};
    if (what == "match") {
        gateway.match.push_back(std::move(fieldPattern));
    } else if (what == "number" && fieldPattern.pattern.hasNumber()) {
        gateway.number.push_back(std::move(fieldPattern));
    } else if (what == "pages" && fieldPattern.pattern.hasPages()) {
        gateway.pages.push_back(std::move(fieldPattern));
    } else if (what == "received" && fieldPattern.pattern.hasTime()) {
        gateway.received.push_back(std::move(fieldPattern));
    } else {
        const std::string placeholder = what == "number" ? "{number}" : what == "pages" ? "{pages}" : "{time}";
        file.fail(entry.line, "`" + entry.key + "` needs a pattern with " + placeholder);
    }
}

void addSetting(const routing::SectionFile& file, const routing::SectionEntry& entry, Gateway& gateway,
                bool& kindSeen) {
    if (entry.key == "kind") {
        const auto kind = gatewayKindFrom(entry.value);
        if (!kind || *kind == GatewayKind::Unknown || kindSeen)
            file.fail(entry.line, "kind is given once, as hylafax, fax-service, internet-fax or scan-to-mail");
        gateway.kind = *kind;
        kindSeen = true;
    } else if (entry.key == "time_format") {
        if (const auto why = checkTimeFormat(entry.value); !why.empty()) file.fail(entry.line, why);
        gateway.timeFormats.push_back(entry.value);
    } else if (entry.key == "utc_offset") {
        const auto offset = parseUtcOffset(entry.value);
        if (!offset) file.fail(entry.line, "utc_offset looks like +08:00, got: " + entry.value);
        gateway.utcOffset = *offset;
    } else {
        addPattern(file, entry, gateway);
    }
}

Gateway parseGateway(const routing::SectionFile& file, const routing::Section& section) {
    if (!isGatewayId(section.id)) file.fail(section.line, "a gateway id uses a-z, 0-9, - and _: [" + section.id + "]");
    Gateway gateway;
    gateway.id = section.id;
    gateway.line = section.line;
    bool kindSeen = false;
    for (const auto& entry : section.entries) addSetting(file, entry, gateway, kindSeen);
    if (!kindSeen) file.fail(section.line, "[" + section.id + "] needs `kind = ...`");
    if (gateway.match.empty())
        file.fail(section.line, "[" + section.id + "] needs at least one `match.FIELD = ...` to be recognised by");
    if (!gateway.received.empty() && gateway.timeFormats.empty())
        file.fail(gateway.received.front().line, "[" + section.id + "] reads a {time}: give its `time_format`");
    return gateway;
}

}  // namespace

std::string_view idOf(GatewayKind kind) {
    for (const auto& [k, id] : kKinds)
        if (k == kind) return id;
    return "unknown";
}

std::optional<GatewayKind> gatewayKindFrom(std::string_view id) {
    for (const auto& [kind, name] : kKinds)
        if (name == id) return kind;
    return std::nullopt;
}

GatewaySet GatewaySet::parse(std::string_view text, const std::string& fileName) {
    const auto file = routing::SectionFile::parse(text, fileName, routing::RepeatedKeys::Keep);
    GatewaySet set;
    for (const auto& section : file.sections()) {
        if (set.find(section.id)) file.fail(section.line, "gateway [" + section.id + "] is given twice");
        set.gateways_.push_back(parseGateway(file, section));
    }
    return set;
}

const Gateway* GatewaySet::find(std::string_view id) const {
    for (const auto& gateway : gateways_)
        if (gateway.id == id) return &gateway;
    return nullptr;
}

}  // namespace complaintd::fax
