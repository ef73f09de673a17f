#include "fax/fax_reply.h"

#include <gtest/gtest.h>

#include "cases/error.h"

namespace complaintd::fax {
namespace {

std::string addressOf(const ReplyRoute& route) {
    if (const auto* fax = std::get_if<ReplyByFax>(&route)) return fax->address;
    return "post or phone: " + std::get<ReplyByPostOrPhone>(route).reason;
}

TEST(FaxReply, GatewayAddressHoldsTheDigitsDialledInTaiwan) {
    const auto addressing = FaxReplyAddressing::parse("{number}@fax.example.tw", "fax.reply_gateway");
    EXPECT_TRUE(addressing.configured());
    EXPECT_EQ(addressOf(addressing.route("06-5050777")), "065050777@fax.example.tw");
    EXPECT_EQ(addressOf(addressing.route("02-2345-6789")), "0223456789@fax.example.tw");
    EXPECT_EQ(addressOf(addressing.route("0912-345-678")), "0912345678@fax.example.tw");
}

TEST(FaxReply, InternationalFormWhenTheGatewayWantsIt) {
    const auto addressing = FaxReplyAddressing::parse("fax-{e164}@efax.example.com", "fax.reply_gateway");
    EXPECT_EQ(addressOf(addressing.route("06-5050777")), "fax-88665050777@efax.example.com");
    EXPECT_EQ(addressOf(addressing.route("+81312345678")), "fax-81312345678@efax.example.com");
}

TEST(FaxReply, ByPostOrPhoneWithoutAGatewayOrANumber) {
    const auto none = FaxReplyAddressing::parse("", "fax.reply_gateway");
    EXPECT_FALSE(none.configured());
    EXPECT_EQ(addressOf(none.route("06-5050777")), "post or phone: no e-mail-to-fax gateway is configured");
    const auto addressing = FaxReplyAddressing::parse("{number}@fax.example.tw", "fax.reply_gateway");
    EXPECT_EQ(addressOf(addressing.route("")), "post or phone: the sender's fax number is not known");
    EXPECT_EQ(addressOf(addressing.route("+81312345678")),
              "post or phone: the gateway dials numbers in Taiwan only, the sender's is abroad");
}

TEST(FaxReply, MalformedPatternIsAConfigErrorNamingTheKey) {
    for (const char* pattern :
         {"fax.example.tw", "{number}", "{number}@", "{number}{e164}@fax.example.tw", "{number}@fax@example.tw",
          "a b{number}@fax.example.tw", "{number}@localhost", "{phone}@fax.example.tw"}) {
        try {
            FaxReplyAddressing::parse(pattern, "fax.reply_gateway");
            ADD_FAILURE() << pattern;
        } catch (const ConfigError& error) {
            EXPECT_EQ(std::string(error.what()).rfind("fax.reply_gateway: ", 0), 0u) << error.what();
        }
    }
}

}  // namespace
}  // namespace complaintd::fax
