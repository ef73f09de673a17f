// The center's people through the procedure, as staff do it: complaintctl against the real
// daemon with a real Dovecot and a real SMTP server. The intake desk hands a mailed complaint
// to another unit (which is told by mail), that unit's handler drafts, and the letter needs a
// supervisor of that unit and an approver, three different persons, before it goes out.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "mail_desk.h"
#include "parsers/mime_parser.h"
#include "run_program.h"
#include "test_mail.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

class StaffWalkthroughTest : public ::testing::Test {
protected:
    RunResult ctl(const std::vector<std::string>& args) { return desk_.ctl(args); }
    std::string draftOf(const std::string& number) {
        return desk_.ctlJsonObject({"show", number})->getValue<std::string>("reply_revision");
    }
    std::vector<ReceivedMail> mailsTo(const std::string& address) {
        std::vector<ReceivedMail> found;
        for (const auto& mail : desk_.smtp().receivedMails())
            if (std::find(mail.rcptTo.begin(), mail.rcptTo.end(), address) != mail.rcptTo.end()) found.push_back(mail);
        return found;
    }

    MailDesk desk_{"outbox.retry_initial = 1\nweb.base_url = https://complaints.shugu.example\n"};
};

TEST_F(StaffWalkthroughTest, ARerouteTellsTheUnitAndTheLetterNeedsThreePersonsOfTheRightUnit) {
    ImapTestClient(desk_.dovecot())
        .append("INBOX", big5Complaint("walk-1@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。"));
    ASSERT_EQ(desk_.complaintd().exitCode, 0);
    desk_.smtp().waitForMails(1);  // the acknowledgement
    const auto number = desk_.ctlJsonArray({"list"})->getObject(0)->getValue<std::string>("number");

    // 分文: the intake desk gives it to environment-safety, which is told by mail with the link.
    auto r = ctl({"reroute", number, "environment-safety", "--reason", "其實是噪音問題"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(desk_.complaintd().exitCode, 0);
    desk_.smtp().waitForMails(2);
    const auto notices = mailsTo("env-safety@shugu.example");
    ASSERT_EQ(notices.size(), 1u);
    const auto notice = std::get<parsers::ParsedMessage>(parsers::parseMessage(notices[0].data));
    EXPECT_NE(notice.subject.find("[" + number + "] 改分客訴案件"), std::string::npos) << notice.subject;
    EXPECT_NE(notice.textBody.find("https://complaints.shugu.example/cases/" + number), std::string::npos)
        << notice.textBody;

    // A handler of another unit may not draft; the unit's handler does.
    r = ctl({"reply", number, "--text", "已派員處理。", "--by", "lin"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("handler (承辦人) or supervisor of unit environment-safety"), std::string::npos) << r.err;
    ASSERT_EQ(ctl({"staff", "edit", "wu", "--phone", "(06) 505-0101", "--by", "admin"}).exitCode, 0);
    r = ctl({"reply", number, "--text", "已派員稽查並要求廠商夜間停工。", "--by", "wu"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto draft = draftOf(number);

    // The supervisor of public-works is refused: the case is environment-safety's.
    r = ctl({"approve", number, "--role", "supervisor", "--draft", draft, "--by", "chen"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("not a supervisor (主管) of unit environment-safety"), std::string::npos) << r.err;
    r = ctl({"approve", number, "--role", "supervisor", "--draft", draft, "--by", "ho"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    // The drafter and the supervisor are not the approver, even holding the role.
    ASSERT_EQ(ctl({"staff", "roles", "ho", "supervisor,approver", "--by", "admin"}).exitCode, 0);
    r = ctl({"approve", number, "--role", "approver", "--draft", draft, "--by", "ho"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("three persons"), std::string::npos) << r.err;
    ASSERT_EQ(desk_.complaintd().exitCode, 0);
    EXPECT_TRUE(mailsTo("wang@example.org").size() == 1u) << "a reply went out with two signatures";

    r = ctl({"approve", number, "--role", "approver", "--draft", draft, "--by", "huang"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(desk_.complaintd().exitCode, 0);
    desk_.smtp().waitForMails(3);
    const auto toComplainant = mailsTo("wang@example.org");
    ASSERT_EQ(toComplainant.size(), 2u);  // the acknowledgement, then the signed reply
    EXPECT_NE(toComplainant[1].data.find("application/pdf"), std::string::npos);
    // 聯絡人: the drafter, with the phone the directory has for them.
    const auto reply = std::get<parsers::ParsedMessage>(parsers::parseMessage(toComplainant[1].data));
    EXPECT_NE(reply.textBody.find("聯絡人：吳承辦 (06) 505-0101"), std::string::npos) << reply.textBody;

    // Who signed is in the history, each as the registered person.
    const auto history = ctl({"history", number});
    for (const std::string who : {"desk", "wu", "ho", "huang"})
        EXPECT_NE(history.out.find(who), std::string::npos) << who << " missing in\n" << history.out;
    EXPECT_NE(history.out.find("signed off by ho (主管) and huang (批准)"), std::string::npos) << history.out;
}

TEST_F(StaffWalkthroughTest, TheDirectoryIsKeptByAnAdministratorAndEveryChangeIsRecorded) {
    auto r =
        ctl({"staff", "add", "tsai", "--name", "蔡承辦", "--roles", "handler", "--unit", "investment", "--by", "lin"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("an administrator"), std::string::npos) << r.err;
    r = ctl({"staff", "add", "tsai", "--name", "蔡承辦", "--roles", "handler", "--unit", "no-such", "--by", "admin"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("no unit \"no-such\""), std::string::npos) << r.err;
    r = ctl(
        {"staff", "add", "tsai", "--name", "蔡承辦", "--roles", "handler", "--unit", "投資服務組", "--by", "admin"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(ctl({"staff", "disable", "tsai", "--by", "admin"}).exitCode, 0);
    r = ctl({"staff", "disable", "admin", "--by", "admin"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("no enabled administrator"), std::string::npos) << r.err;
    const auto staff = desk_.ctlJsonArray({"staff", "list"});
    bool found = false;
    for (std::size_t i = 0; i < staff->size(); ++i) {
        const auto m = staff->getObject(unsigned(i));
        if (m->getValue<std::string>("id") != "tsai") continue;
        found = true;
        EXPECT_EQ(m->getValue<std::string>("unit"), "investment");
        EXPECT_TRUE(m->getValue<bool>("disabled"));
    }
    EXPECT_TRUE(found);
    const auto history = ctl({"staff", "history", "tsai"});
    EXPECT_NE(history.out.find("by admin: added: name 蔡承辦, roles handler, unit investment"), std::string::npos)
        << history.out;
    EXPECT_NE(history.out.find("by admin: disabled"), std::string::npos) << history.out;
}

// 收文 to 移送 by hand: what arrived is all readable (a follow-up's whole text, an attachment as
// sent), a correction is on the history with old and new value, and a referral made by hand
// reaches the complainant with the authority to contact.
TEST_F(StaffWalkthroughTest, FollowUpsAreReadableCorrectionsAuditedAndAManualReferralIsMailed) {
    const std::string photo = "\xFF\xD8\xFF\xE0 not really a JPEG \x01\x02";
    ImapTestClient imap(desk_.dovecot());
    imap.append(
        "INBOX",
        "From: Wang <wang@example.org>\r\nTo: complaints@shugu.example\r\nSubject: =?UTF-8?B?" +
            base64("紫楝路路燈不亮") +
            "?=\r\nMessage-ID: <walk-2@example.org>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n\r\n路燈壞了三天，照片如附件。\r\n--b\r\n"
            "Content-Type: image/jpeg; name=photo.jpg\r\nContent-Disposition: attachment; filename=photo.jpg\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" +
            base64(photo) + "\r\n--b--\r\n");
    ASSERT_EQ(desk_.complaintd().exitCode, 0);
    const auto number = desk_.ctlJsonArray({"list"})->getObject(0)->getValue<std::string>("number");
    imap.append("INBOX", utf8Mail("walk-2b@example.org", "Re: [" + number + "] 紫楝路路燈不亮",
                                  "補充：路燈編號 A-123，位於紫楝路與南科三路口。", "Wang <wang@example.org>"));
    ASSERT_EQ(desk_.complaintd().exitCode, 0);

    auto r = ctl({"messages", number});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("2 messages"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("路燈壞了三天，照片如附件。"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("follow-up"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("補充：路燈編號 A-123，位於紫楝路與南科三路口。"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Attachment 1: photo.jpg (image/jpeg"), std::string::npos) << r.out;
    const auto saved = desk_.path("photo.jpg");
    r = ctl({"attachment", number, "1", "--output", saved});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::ifstream in(saved, std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), photo);

    r = ctl({"edit", number, "--phone", "06-5050123", "--category", "inquiry"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(ctl({"edit", number, "--phone", "06-5050123"}).exitCode, 0);  // nothing to correct
    auto history = ctl({"history", number}).out;
    EXPECT_NE(history.find("corrected: phone: (empty) -> 06-5050123"), std::string::npos) << history;
    EXPECT_NE(history.find("category: rights -> inquiry"), std::string::npos) << history;

    r = ctl({"refer", number, "nhi", "--note", "健保卡問題，非本中心權責"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(desk_.complaintd().exitCode, 0);
    desk_.smtp().waitForMails(2);
    const auto toComplainant = mailsTo("wang@example.org");
    ASSERT_EQ(toComplainant.size(), 2u);  // the acknowledgement, then the referral
    const auto referral = std::get<parsers::ParsedMessage>(parsers::parseMessage(toComplainant[1].data));
    EXPECT_NE(referral.textBody.find("中央健康保險署"), std::string::npos) << referral.textBody;
    EXPECT_EQ(desk_.ctlJsonObject({"show", number})->getValue<std::string>("status"), "referred");
}

// 郵寄: a phone complaint has no e-mail; its signed-off reply is printed for the post (the daily
// batch, then a reprint of the same letter) and waits for `replied --via post`.
TEST_F(StaffWalkthroughTest, APhoneComplaintsReplyIsPrintedForThePostAndRecordedAsSent) {
    auto r = ctl({"new", "--channel", "phone", "--name", "陳大文", "--phone", "06-5550123", "--address",
                  "744 臺南市新市區中山路100號", "--subject", "中山路路燈不亮", "--summary", "中山路路燈不亮已一週。",
                  "--unit", "public-works", "--by", "lee"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto number = desk_.ctlJsonArray({"list"})->getObject(0)->getValue<std::string>("number");
    ASSERT_EQ(ctl({"reply", number, "--text", "已於12月2日完成更換。", "--by", "lin"}).exitCode, 0);
    const auto draft = draftOf(number);
    ASSERT_EQ(ctl({"approve", number, "--role", "supervisor", "--draft", draft, "--by", "chen"}).exitCode, 0);
    r = ctl({"approve", number, "--role", "approver", "--draft", draft, "--by", "huang"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("no e-mail address"), std::string::npos) << r.out;

    const auto dir = desk_.path("post");
    std::filesystem::create_directories(dir);
    r = ctl({"print", "--pending", "--dir", dir, "--by", "lee"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("1 letter to post"), std::string::npos) << r.out;
    const auto pdf = dir + "/" + number + ".pdf";
    const auto text = runProgram("/usr/bin/pdftotext", {"-enc", "UTF-8", pdf, "-"});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    std::string compact;
    for (char c : text.out)
        if (c != ' ' && c != '\n' && c != '\f') compact += c;
    for (const auto* expected : {"發文字號：樹谷服字第", "依據臺端", "電話陳情辦理", "已於12月2日完成更換。",
                                 "客訴案件處理情形調查表", "744臺南市新市區中山路100號", "陳大文君收", "回寄地址"})
        EXPECT_NE(compact.find(expected), std::string::npos) << expected << "\n" << compact;
    EXPECT_NE(ctl({"print", "--pending", "--dir", dir, "--by", "lee"}).out.find("no signed-off reply waits"),
              std::string::npos);  // printed once
    r = ctl({"print", number, "--output", pdf, "--by", "lee"});
    EXPECT_NE(r.exitCode, 0);  // never over a file
    EXPECT_NE(r.err.find("exists"), std::string::npos) << r.err;
    ASSERT_EQ(ctl({"print", number, "--output", dir + "/again.pdf", "--by", "lee"}).exitCode, 0);

    EXPECT_EQ(desk_.ctlJsonObject({"show", number})->getValue<std::string>("document_number"),
              "樹谷服字第" + number.substr(0, 3) + "00001號");
    ASSERT_EQ(ctl({"replied", number, "--via", "post", "--note", "掛號", "--by", "lin"}).exitCode, 0);
    EXPECT_EQ(desk_.ctlJsonObject({"show", number})->getValue<std::string>("status"), "replied");
    const auto history = ctl({"history", number}).out;
    EXPECT_NE(history.find("printed for the post"), std::string::npos) << history;
    ASSERT_EQ(desk_.complaintd().exitCode, 0);
    for (const auto& mail : desk_.smtp().receivedMails())  // the complainant has no e-mail: only staff get mail
        for (const auto& to : mail.rcptTo) EXPECT_TRUE(to.ends_with("@shugu.example")) << to;
}

}  // namespace
}  // namespace complaintd::testing
