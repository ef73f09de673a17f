#include "parsers/authentication_results.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace complaintd::parsers {
namespace {

// Header fields in the forms the common receivers write them (addresses and keys changed).
constexpr const char* kGmail =
    " mx.google.com;\r\n"
    "       dkim=pass header.i=@example.org header.s=sel2024 header.b=AbCd12+/;\r\n"
    "       spf=pass (google.com: domain of alice@example.org designates 192.0.2.1 as permitted sender) "
    "smtp.mailfrom=alice@example.org;\r\n"
    "       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.org";
constexpr const char* kMicrosoft365 =
    " spf=pass (sender IP is 192.0.2.7)\r\n"
    " smtp.mailfrom=contoso.example; center.example; dkim=pass (signature was verified)\r\n"
    " header.d=contoso.example;dmarc=pass action=none header.from=contoso.example;compauth=pass reason=100";
constexpr const char* kOpenDmarc = " mail.center.example; dmarc=fail (p=reject dis=none) header.from=bank.example";
constexpr const char* kOpenDkim =
    " mail.center.example;\r\n"
    "\tdkim=pass (2048-bit key; unprotected) header.d=example.org header.i=@example.org header.b=\"AbCd1234\";\r\n"
    "\tdkim-atps=neutral";
constexpr const char* kPolicydSpf =
    " mail.center.example; spf=pass (mailfrom) smtp.mailfrom=lists.example.org (client-ip=192.0.2.1; "
    "helo=mx.example.org; envelope-from=bob@lists.example.org; receiver=<UNKNOWN>)";
constexpr const char* kRspamd =
    " mx.center.example;\r\n"
    "\tdkim=pass header.d=example.org header.s=dkim header.b=Xyz12345;\r\n"
    "\tspf=pass (mx.center.example: domain of bob@example.org designates 192.0.2.1 as permitted sender) "
    "smtp.mailfrom=bob@example.org;\r\n"
    "\tdmarc=pass (policy=reject) header.from=example.org";

std::string message(const std::vector<std::string>& fields, const std::string& from) {
    std::string raw = "Received: from mx.example.org by mail.center.example; Tue, 1 Dec 2026 10:00:00 +0800\r\n";
    for (const auto& f : fields) raw += "Authentication-Results:" + f + "\r\n";
    raw += "From: <" + from + ">\r\nSubject: test\r\n\r\nAuthentication-Results: mail.center.example; dmarc=pass\r\n";
    return raw;
}

TEST(AuthenticationResults, ReadsGmailField) {
    const auto parsed = parseAuthenticationResults(kGmail);
    EXPECT_EQ(parsed.authservId, "mx.google.com");
    ASSERT_EQ(parsed.results.size(), 3u);
    EXPECT_EQ(parsed.results[0].method, "dkim");
    EXPECT_EQ(parsed.results[0].property("header.i"), "@example.org");
    EXPECT_EQ(parsed.results[0].property("header.b"), "AbCd12+/");
    EXPECT_EQ(parsed.results[1].method, "spf");
    EXPECT_EQ(parsed.results[1].property("smtp.mailfrom"), "alice@example.org");
    EXPECT_EQ(parsed.results[2].result, "pass");
    EXPECT_EQ(parsed.results[2].property("header.from"), "example.org");
}

TEST(AuthenticationResults, ReadsMicrosoftFormWithTheIdAfterTheFirstResult) {
    const auto parsed = parseAuthenticationResults(kMicrosoft365);
    EXPECT_EQ(parsed.authservId, "center.example");
    ASSERT_EQ(parsed.results.size(), 4u);
    EXPECT_EQ(parsed.results[0].method, "spf");
    EXPECT_EQ(parsed.results[0].property("smtp.mailfrom"), "contoso.example");
    EXPECT_EQ(parsed.results[2].method, "dmarc");
    EXPECT_EQ(parsed.results[2].property("action"), "none");
    EXPECT_EQ(parsed.results[3].method, "compauth");
}

TEST(AuthenticationResults, ReadsMilterFieldsQuotedValuesAndNoResult) {
    const auto dkim = parseAuthenticationResults(kOpenDkim);
    EXPECT_EQ(dkim.authservId, "mail.center.example");
    ASSERT_EQ(dkim.results.size(), 2u);
    EXPECT_EQ(dkim.results[0].property("header.b"), "AbCd1234");
    EXPECT_EQ(dkim.results[1].method, "dkim-atps");
    const auto none = parseAuthenticationResults(" mail.center.example 1; none");
    EXPECT_EQ(none.authservId, "mail.center.example");
    EXPECT_TRUE(none.results.empty());
    const auto versioned = parseAuthenticationResults("mx.example (comment (nested) \\) here); dkim/1 = pass");
    EXPECT_EQ(versioned.authservId, "mx.example");
    ASSERT_EQ(versioned.results.size(), 1u);
    EXPECT_EQ(versioned.results[0].method, "dkim");
}

TEST(AuthenticationResults, GarbageYieldsWhatCanBeRead) {
    EXPECT_TRUE(parseAuthenticationResults("").results.empty());
    EXPECT_TRUE(parseAuthenticationResults(";;;===((((").results.empty());
    const auto parsed = parseAuthenticationResults("mx; spf; dkim=; =pass; dmarc=pass header.from=a.example extra");
    ASSERT_EQ(parsed.results.size(), 1u);
    EXPECT_EQ(parsed.results[0].property("header.from"), "a.example");
}

TEST(AuthenticationResults, FindsEveryFieldInTheHeaderBlockOnly) {
    const auto fields = authenticationResultsFields(message({kGmail, kOpenDmarc}, "a@example.org"));
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_EQ(parseAuthenticationResults(fields[0]).results.size(), 3u);  // folded lines joined
}

TEST(AuthenticationResults, TrustsOnlyTheCentersAuthservId) {
    const auto raw = message({kGmail}, "alice@example.org");
    EXPECT_EQ(authenticateSender(raw, "alice@example.org", "mx.google.com"), SenderAuthentication::Authenticated);
    // The same field, written by anyone else's server (or by the sender), is not believed.
    EXPECT_EQ(authenticateSender(raw, "alice@example.org", "mail.center.example"),
              SenderAuthentication::NotAuthenticated);
    EXPECT_EQ(authenticateSender(raw, "alice@example.org", ""), SenderAuthentication::Unchecked);
    EXPECT_EQ(authenticateSender(message({}, "a@example.org"), "a@example.org", "mx.google.com"),
              SenderAuthentication::NotAuthenticated);
}

TEST(AuthenticationResults, PassesDmarcOrAlignedSpfOrDkim) {
    EXPECT_EQ(authenticateSender(message({kRspamd}, "bob@example.org"), "bob@example.org", "MX.center.example"),
              SenderAuthentication::Authenticated);
    EXPECT_EQ(authenticateSender(message({kMicrosoft365}, "x@contoso.example"), "x@contoso.example", "center.example",
                                 AuthservIdForm::AlsoAfterFirstResult),
              SenderAuthentication::Authenticated);
    // OpenDKIM and policyd-spf write their own fields; a subdomain aligns (relaxed).
    EXPECT_EQ(authenticateSender(message({kOpenDkim}, "a@example.org"), "a@example.org", "mail.center.example"),
              SenderAuthentication::Authenticated);
    EXPECT_EQ(authenticateSender(message({kPolicydSpf}, "a@example.org"), "a@example.org", "mail.center.example"),
              SenderAuthentication::Authenticated);
}

// OpenDKIM's RemoveARFrom and OpenDMARC strip incoming fields by their leading id: one in
// Microsoft's form, the id after the first result, passes them untouched.
TEST(AuthenticationResults, MicrosoftFormIsBelievedOnlyWhenAskedFor) {
    const auto forged = " dmarc=pass header.from=gmail.com; mail.center.example";
    const auto raw = message({forged}, "victim@gmail.com");
    EXPECT_EQ(authenticateSender(raw, "victim@gmail.com", "mail.center.example"),
              SenderAuthentication::NotAuthenticated);
    EXPECT_EQ(authenticateSender(raw, "victim@gmail.com", "mail.center.example", AuthservIdForm::AlsoAfterFirstResult),
              SenderAuthentication::Authenticated);
    EXPECT_EQ(authenticateSender(message({kMicrosoft365}, "x@contoso.example"), "x@contoso.example", "center.example"),
              SenderAuthentication::NotAuthenticated);
}

TEST(AuthenticationResults, RefusesUnalignedPassesAndFailures) {
    // DKIM and SPF pass, but for the attacker's own domain, not the forged From.
    EXPECT_EQ(authenticateSender(message({kRspamd}, "victim@bank.example"), "victim@bank.example", "mx.center.example"),
              SenderAuthentication::NotAuthenticated);
    // A failing DMARC outweighs a pass someone smuggled in beside it.
    const auto forged =
        " mail.center.example; spf=pass smtp.mailfrom=bank.example; dmarc=pass header.from=bank.example";
    EXPECT_EQ(
        authenticateSender(message({kOpenDmarc, forged}, "x@bank.example"), "x@bank.example", "mail.center.example"),
        SenderAuthentication::NotAuthenticated);
    const auto softfail = " mail.center.example; spf=softfail smtp.mailfrom=bank.example; dkim=none";
    EXPECT_EQ(authenticateSender(message({softfail}, "x@bank.example"), "x@bank.example", "mail.center.example"),
              SenderAuthentication::NotAuthenticated);
    // Microsoft's "bestguesspass" (no DMARC record) is no DMARC pass.
    const auto guess = " spf=fail smtp.mailfrom=x.example; center.example; dmarc=bestguesspass header.from=x.example";
    EXPECT_EQ(authenticateSender(message({guess}, "a@x.example"), "a@x.example", "center.example",
                                 AuthservIdForm::AlsoAfterFirstResult),
              SenderAuthentication::NotAuthenticated);
}

TEST(AuthenticationResults, AlignsSameDomainAndSubdomainsOnly) {
    EXPECT_TRUE(alignedDomains("Example.org", "example.org."));
    EXPECT_TRUE(alignedDomains("mail.example.org", "example.org"));
    EXPECT_TRUE(alignedDomains("bob@example.org", "news.example.org"));
    EXPECT_FALSE(alignedDomains("example.org", "badexample.org"));
    EXPECT_FALSE(alignedDomains("org", "example.org"));  // a bare top-level domain aligns with nothing
    EXPECT_FALSE(alignedDomains("", "example.org"));
}

TEST(AuthenticationResults, TakesLinearTimeOnHostileFields) {
    for (const std::string unit : {"(", "a=", ";", "\\(", "\"", "x.y=z "}) {
        std::string value;
        while (value.size() < 2'000'000) value += unit;
        const auto start = std::chrono::steady_clock::now();
        (void)parseAuthenticationResults(value);
        const auto raw = "Authentication-Results: mx;" + value + "\r\n\r\n";
        (void)authenticateSender(raw, "a@example.org", "mx");
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3)) << "unit " << unit;
    }
}

}  // namespace
}  // namespace complaintd::parsers
