#include "fax/gateway_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "cases/error.h"

namespace complaintd::fax {
namespace {

std::string shippedGateways() {
    std::ifstream in(COMPLAINTD_SOURCE_DIR "/fax/gateways.conf");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The ConfigError message for `text`, or "" when it parses.
std::string errorOf(std::string_view text) {
    try {
        GatewaySet::parse(text, "gateways.conf");
    } catch (const ConfigError& error) {
        return error.what();
    }
    return {};
}

TEST(GatewayConfig, ShippedFileCoversTheFourFormats) {
    const auto set = GatewaySet::parse(shippedGateways(), "fax/gateways.conf");
    ASSERT_TRUE(set.find("hylafax"));
    EXPECT_EQ(set.find("hylafax")->kind, GatewayKind::HylaFax);
    EXPECT_EQ(set.find("internet-fax")->kind, GatewayKind::InternetFax);
    EXPECT_EQ(set.find("fax-service")->kind, GatewayKind::FaxService);
    EXPECT_EQ(set.find("fax-service-zh")->kind, GatewayKind::FaxService);
    EXPECT_EQ(set.find("scan-to-mail")->kind, GatewayKind::ScanToMail);
    EXPECT_EQ(set.gateways().front().id, "hylafax");  // tried first
}

TEST(GatewayConfig, RepeatedKeysAreAlternativesInFileOrder) {
    const auto set = GatewaySet::parse(
        "[gw]\nkind = fax-service\nmatch.subject = Fax\nnumber.body = A: {number}\nnumber.body = B: {number}\n"
        "received.body = At: {time}\ntime_format = %Y-%m-%d %H:%M\ntime_format = %d %b %Y %H:%M\nutc_offset = +09:00\n",
        "gateways.conf");
    const Gateway& gateway = set.gateways().at(0);
    ASSERT_EQ(gateway.number.size(), 2u);
    EXPECT_EQ(gateway.number[0].pattern.text(), "A: {number}");
    EXPECT_EQ(gateway.number[1].line, 5);
    EXPECT_EQ(gateway.timeFormats.size(), 2u);
    EXPECT_EQ(gateway.utcOffset, std::chrono::minutes(9 * 60));
}

TEST(GatewayConfig, MistakesNameFileAndLine) {
    EXPECT_EQ(errorOf("[gw]\nkind = fax-service\nmatch.subject = Fax\nnumbr.body = {number}\n"),
              "gateways.conf:4: unknown key `numbr.body` (known: kind, match.FIELD, number.FIELD, pages.FIELD, "
              "received.FIELD, time_format, utc_offset (FIELD: subject, from, body))");
    EXPECT_EQ(errorOf("[gw]\nkind = fax-service\nmatch.header = Fax\n").substr(0, 18), "gateways.conf:3: u");
    EXPECT_EQ(errorOf("[gw]\nkind = telex\nmatch.subject = Fax\n"),
              "gateways.conf:2: kind is given once, as hylafax, fax-service, internet-fax or scan-to-mail");
    EXPECT_EQ(errorOf("\n[gw]\nmatch.subject = Fax\n"), "gateways.conf:2: [gw] needs `kind = ...`");
    EXPECT_EQ(errorOf("[gw]\nkind = hylafax\n"),
              "gateways.conf:1: [gw] needs at least one `match.FIELD = ...` to be recognised by");
    EXPECT_EQ(errorOf("[gw]\nkind = hylafax\nmatch.subject = Fax\nnumber.body = Sender:\n"),
              "gateways.conf:4: `number.body` needs a pattern with {number}");
    EXPECT_EQ(errorOf("[gw]\nkind = hylafax\nmatch.subject = Fax\nreceived.body = At: {time}\n"),
              "gateways.conf:4: [gw] reads a {time}: give its `time_format`");
    EXPECT_EQ(errorOf("[gw]\nkind = hylafax\nmatch.subject = Fax\ntime_format = %Y-%q\n"),
              "gateways.conf:4: unknown directive `%q` (use %Y %R %m %d %H %I %M %S %a %b %p %z %%)");
    EXPECT_EQ(errorOf("[gw]\nkind = hylafax\nmatch.subject = Fax\nutc_offset = 8\n"),
              "gateways.conf:4: utc_offset looks like +08:00, got: 8");
    EXPECT_EQ(errorOf("[gw]\nkind = hylafax\nmatch.subject = Fax\n[gw]\nkind = hylafax\nmatch.subject = F\n"),
              "gateways.conf:4: gateway [gw] is given twice");
    EXPECT_EQ(errorOf("[Big Gateway]\nkind = hylafax\n"),
              "gateways.conf:1: a gateway id uses a-z, 0-9, - and _: [Big Gateway]");
    EXPECT_EQ(errorOf("[gw]\nkind = hylafax\nmatch.subject = Fax {nr}\n"),
              "gateways.conf:3: pattern `Fax {nr}`: unknown placeholder `{nr}` (use {number}, {pages} or {time})");
    EXPECT_EQ(errorOf("kind = hylafax\n"), "gateways.conf:1: `key = value` before the first [section]");
}

TEST(GatewayConfig, KindsHaveStableIds) {
    for (auto kind : {GatewayKind::HylaFax, GatewayKind::FaxService, GatewayKind::InternetFax, GatewayKind::ScanToMail,
                      GatewayKind::Unknown})
        EXPECT_EQ(gatewayKindFrom(idOf(kind)), kind);
}

}  // namespace
}  // namespace complaintd::fax
