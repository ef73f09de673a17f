// Smoke tests of the integration-test harness itself: real Dovecot and aiosmtpd on 127.0.0.1.
#include "test_servers.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace complaintd::testing {
namespace {

using namespace std::chrono_literals;

const std::string kUtf8Message =
    "From: Jürgen Müller <juergen@example.org>\r\n"
    "To: complaints@example.org\r\n"
    "Subject: =?UTF-8?Q?L=C3=A4rm?=\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Grüße, the noise at night is unbearable: 夜の騒音 🙉\r\n"
    ".a line starting with a dot (SMTP dot-stuffing)\r\n"
    "\r\n";

class TestServers : public ::testing::Test {
protected:
    void TearDown() override {
        if (HasFailure()) dir_.keep();
    }
    std::string subdir(const std::string& name) const { return dir_.path() + "/" + name; }

    TempDir dir_;
};

bool contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

// Sends one mail the way the daemon will: libcurl, smtp://, MAIL FROM / RCPT TO.
CURLcode sendMail(const std::string& url, const std::string& from, const std::string& to, const std::string& message) {
    struct Source {
        const std::string* data;
        std::size_t offset;
    } source{&message, 0};
    auto read = +[](char* buffer, std::size_t size, std::size_t count, void* user) -> std::size_t {
        auto* src = static_cast<Source*>(user);
        const std::size_t n = std::min(size * count, src->data->size() - src->offset);
        std::memcpy(buffer, src->data->data() + src->offset, n);
        src->offset += n;
        return n;
    };
    CURL* curl = curl_easy_init();
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + from + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &source);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    const CURLcode result = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    return result;
}

TEST(TempDirTest, IsRemovedUnlessKept) {
    std::string removed, kept;
    {
        TempDir dir;
        removed = dir.path();
        std::ofstream(removed + "/file") << "x";
    }
    {
        TempDir dir;
        kept = dir.path();
        dir.keep();
    }
    EXPECT_FALSE(std::filesystem::exists(removed));
    EXPECT_TRUE(std::filesystem::exists(kept));
    std::filesystem::remove_all(kept);
}

TEST_F(TestServers, BothServersStartWithinTwoSeconds) {
    const auto begin = std::chrono::steady_clock::now();
    DovecotServer imap(subdir("imap"));
    SmtpServer smtp(subdir("smtp"));
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begin);
    RecordProperty("startup_ms", static_cast<int>(elapsed.count()));
    std::cout << "Dovecot + aiosmtpd started in " << elapsed.count() << " ms\n";
    EXPECT_LT(elapsed, 2s);
    EXPECT_NE(imap.port(), smtp.port());
    EXPECT_EQ(imap.url(), "imap://127.0.0.1:" + std::to_string(imap.port()));
    EXPECT_EQ(smtp.url(), "smtp://127.0.0.1:" + std::to_string(smtp.port()));
}

TEST_F(TestServers, DovecotOffersMoveAndUidplus) {
    DovecotServer imap(subdir("imap"));
    const auto capabilities = ImapTestClient(imap).capabilities();
    EXPECT_TRUE(contains(capabilities, "MOVE"));
    EXPECT_TRUE(contains(capabilities, "UIDPLUS"));
}

TEST_F(TestServers, DovecotStoresAndReturnsMessagesUnchanged) {
    DovecotServer imap(subdir("imap"));
    ImapTestClient client(imap);

    client.createFolder("Processed");
    client.createFolder("Processed");  // already there: fine
    const auto folders = client.folders();
    EXPECT_TRUE(contains(folders, "INBOX"));
    EXPECT_TRUE(contains(folders, "Processed"));

    const unsigned uid = client.append("Processed", kUtf8Message);
    EXPECT_EQ(client.uids("Processed"), std::vector<unsigned>{uid});
    EXPECT_EQ(client.fetch("Processed", uid), kUtf8Message);
    EXPECT_TRUE(client.flags("Processed", uid).empty()) << "appended unseen, and fetch must not set \\Seen";

    const unsigned seen = client.append("INBOX", kUtf8Message, {"\\Seen"});
    EXPECT_EQ(client.flags("INBOX", seen), std::vector<std::string>{"\\Seen"});
    EXPECT_THROW(client.fetch("INBOX", seen + 1), std::runtime_error);
}

TEST_F(TestServers, DovecotRejectsAWrongPassword) {
    DovecotServer imap(subdir("imap"));
    ImapTestClient intruder(imap.url(), imap.user(), "wrong");
    EXPECT_THROW(intruder.uids("INBOX"), std::runtime_error);
    ImapTestClient stranger(imap.url(), "someone-else", imap.password());
    EXPECT_THROW(stranger.uids("INBOX"), std::runtime_error);
}

TEST_F(TestServers, DovecotKeepsMailAcrossRestart) {
    DovecotServer imap(subdir("imap"));
    ImapTestClient client(imap);
    const unsigned uid = client.append("INBOX", kUtf8Message);

    imap.stop();
    EXPECT_FALSE(imap.running());
    EXPECT_THROW(client.uids("INBOX"), std::runtime_error);

    imap.start();
    EXPECT_EQ(client.uids("INBOX"), std::vector<unsigned>{uid});
}

TEST_F(TestServers, SmtpServerReceivesMailUnchanged) {
    SmtpServer smtp(subdir("smtp"));
    ASSERT_EQ(sendMail(smtp.url(), "complaints@example.org", "juergen@example.org", kUtf8Message), CURLE_OK);

    const auto mails = smtp.waitForMails(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].mailFrom, "complaints@example.org");
    EXPECT_EQ(mails[0].rcptTo, std::vector<std::string>{"juergen@example.org"});
    EXPECT_EQ(mails[0].data, kUtf8Message);
    EXPECT_EQ(smtp.receivedMessages(), std::vector<std::string>{kUtf8Message});
}

TEST_F(TestServers, SmtpServerCanBeStoppedAndStartedAgain) {
    SmtpServer smtp(subdir("smtp"));
    const int port = smtp.port();
    ASSERT_EQ(sendMail(smtp.url(), "a@example.org", "b@example.org", "Subject: first\r\n\r\n1\r\n"), CURLE_OK);

    smtp.stop();
    EXPECT_FALSE(smtp.running());
    EXPECT_NE(sendMail(smtp.url(), "a@example.org", "b@example.org", "Subject: lost\r\n\r\n-\r\n"), CURLE_OK);

    smtp.start();
    EXPECT_EQ(smtp.port(), port);
    ASSERT_EQ(sendMail(smtp.url(), "a@example.org", "b@example.org", "Subject: second\r\n\r\n2\r\n"), CURLE_OK);
    EXPECT_EQ(smtp.receivedMessages(),
              (std::vector<std::string>{"Subject: first\r\n\r\n1\r\n", "Subject: second\r\n\r\n2\r\n"}));
}

TEST_F(TestServers, PortsAreFreeAfterDestruction) {
    int imapPort = 0, smtpPort = 0;
    {
        DovecotServer imap(subdir("imap"));
        SmtpServer smtp(subdir("smtp"));
        imapPort = imap.port();
        smtpPort = smtp.port();
    }
    EXPECT_THROW(ImapTestClient("imap://127.0.0.1:" + std::to_string(imapPort), "u", "p").capabilities(),
                 std::runtime_error);
    EXPECT_NE(sendMail("smtp://127.0.0.1:" + std::to_string(smtpPort), "a@example.org", "b@example.org", "x\r\n"),
              CURLE_OK);
}

}  // namespace
}  // namespace complaintd::testing
