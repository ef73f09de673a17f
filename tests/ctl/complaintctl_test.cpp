#include "ctl/complaintctl.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cases/deadlines.h"
#include "daemon/service.h"
#include "parsers/mime_parser.h"
#include "test_clock.h"
#include "test_mail.h"
#include "test_staff.h"

namespace complaintd::ctl {
namespace {

namespace fs = std::filesystem;

class ComplaintctlTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ =
            fs::temp_directory_path() / ("complaintctl-" + std::to_string(::getpid()) + "-" +
                                         std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "drop");
        std::ofstream(dir_ / "drop" / "1.eml", std::ios::binary)
            << testing::big5Complaint("c1@example.org", "紫楝路路燈不亮", "路燈壞了，請修理。");
        runDaemonCycle();
        for (const auto& person : testing::testStaff())
            ASSERT_EQ(run(testing::staffAddArguments(person)), kExitOk) << err_.str();
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
        fs::remove_all(dir_.string() + "-saved");
    }

    std::string stateDir() const { return "state_dir=" + dir_.string(); }
    // A folder of the clerk's for --output: complaintctl writes nothing under the state directory.
    fs::path savedDir() const {
        const fs::path saved = dir_.string() + "-saved";
        fs::create_directories(saved);
        return saved;
    }

    // One cycle of the daemon at the fixture's clock, which every complaintctl command shares.
    void runDaemonCycle() {
        std::atomic<bool> stopping{false};
        daemon::Service(center::loadSettings(std::nullopt, {stateDir()}).settings, clock_).runCycle(stopping);
    }

    int run(std::vector<std::string> args, std::istream* terminal = nullptr, std::istream* input = nullptr) {
        out_.str("");
        err_.str("");
        args.insert(args.begin(), {"-o", stateDir()});
        return runComplaintctl(args, out_, err_, terminal, input, &clock_);
    }

    Poco::JSON::Object::Ptr showJson(const std::string& number) {
        EXPECT_EQ(run({"show", number, "--json"}), kExitOk) << err_.str();
        return Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Object::Ptr>();
    }

    std::string status(const std::string& number) { return showJson(number)->getValue<std::string>("status"); }
    // The draft as `show` prints it, for approve --draft.
    std::string draftOf(const std::string& number) { return showJson(number)->getValue<std::string>("reply_revision"); }

    fs::path dir_;
    daemon::FixedClock clock_{daemon::utc(2026, 11, 30, 1)};  // 2026-11-30 09:00 in Taiwan
    std::ostringstream out_;
    std::ostringstream err_;
};

TEST_F(ComplaintctlTest, ListJsonCarriesTheCaseFields) {
    ASSERT_EQ(run({"list", "--json"}), kExitOk) << err_.str();
    const auto array = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(array->size(), 1u);
    const auto c = array->getObject(0);
    EXPECT_EQ(c->getValue<std::string>("number"), "115-001");
    EXPECT_EQ(c->getValue<std::string>("channel"), "email");
    EXPECT_EQ(c->getValue<std::string>("category"), "rights");
    EXPECT_EQ(c->getValue<std::string>("unit"), "public-works");
    EXPECT_EQ(c->getValue<std::string>("status"), "assigned");
    EXPECT_EQ(c->getValue<std::string>("subject"), "紫楝路路燈不亮");
    EXPECT_EQ(c->getValue<std::string>("received_at"), "2026-11-30T09:00:00+08:00");
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("name"), "王小明");
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("email"), "wang@example.org");
    EXPECT_EQ(c->getObject("routing")->getValue<std::string>("rule"), "streetlight");
    EXPECT_EQ(c->getObject("routing")->getArray("keywords")->getElement<std::string>(0), "路燈");
}

TEST_F(ComplaintctlTest, ListTextShowsNumberAndUnitName) {
    ASSERT_EQ(run({"list"}), kExitOk);
    EXPECT_NE(out_.str().find("115-001"), std::string::npos);
    EXPECT_NE(out_.str().find("工務組"), std::string::npos);
}

TEST_F(ComplaintctlTest, RerouteIsRecordedAndShown) {
    ASSERT_EQ(run({"reroute", "115-001", "環安組", "--reason", "其實是噪音問題", "--by", "lee"}), kExitOk)
        << err_.str();
    ASSERT_EQ(run({"show", "115-001"}), kExitOk);
    EXPECT_NE(out_.str().find("environment-safety (環安組)"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("lee"), std::string::npos);
    EXPECT_NE(out_.str().find("rerouted public-works -> environment-safety: 其實是噪音問題"), std::string::npos)
        << out_.str();
    ASSERT_EQ(run({"show", "115-001", "--json"}), kExitOk);
    const auto c = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(c->getArray("history")->size(), 4u);  // opened, public-works told, rerouted, the new unit told
}

TEST_F(ComplaintctlTest, UnknownUnitOrCaseIsRefusedWithWhatExists) {
    EXPECT_EQ(run({"reroute", "115-001", "nowhere", "--reason", "x"}), kExitInvalid);
    EXPECT_NE(err_.str().find("public-works (工務組)"), std::string::npos) << err_.str();
    EXPECT_EQ(run({"reroute", "115-099", "intake", "--reason", "x"}), kExitInvalid);
    EXPECT_NE(err_.str().find("no case 115-099"), std::string::npos);
    EXPECT_EQ(run({"show", "115-099"}), kExitInvalid);
    EXPECT_EQ(run({"reroute", "115-001", "intake"}), kExitInvalid);  // no --reason
    EXPECT_EQ(run({"frobnicate"}), kExitInvalid);
}

TEST_F(ComplaintctlTest, ConfigurationErrorExits78) {
    EXPECT_EQ(run({"-o", "poll_interval=never", "list"}), kExitConfig);
    EXPECT_NE(err_.str().find("poll_interval"), std::string::npos);
    EXPECT_EQ(run({"--config", "/nonexistent.conf", "list"}), kExitConfig);
}

TEST_F(ComplaintctlTest, ConfigPrintsEveryKeyWithOrigin) {
    ASSERT_EQ(run({"config"}), kExitOk);
    EXPECT_NE(out_.str().find("state_dir = " + dir_.string() + "    # from -o"), std::string::npos);
    EXPECT_NE(out_.str().find("imap.folder = INBOX"), std::string::npos);
}

TEST_F(ComplaintctlTest, PhoneComplaintWalksTheWholeProcedure) {
    ASSERT_EQ(run({"new", "--channel", "phone", "--name", "陳大文", "--phone", "06-5050123", "--address",
                   "台南市新市區紫楝路100號", "--summary", "工廠夜間噪音很大，影響附近居民睡眠，請派員稽查。",
                   "--receipt", "115/11/30 樹谷字第1150001號", "--by", "desk"}),
              kExitOk)
        << err_.str();
    EXPECT_NE(out_.str().find("115-002 opened: assigned, unit environment-safety"), std::string::npos) << out_.str();
    auto c = showJson("115-002");
    EXPECT_EQ(c->getValue<std::string>("channel"), "phone");
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("phone"), "06-5050123");
    EXPECT_EQ(c->getValue<std::string>("receipt_reference"), "115/11/30 樹谷字第1150001號");
    EXPECT_FALSE(c->getValue<std::string>("target_due").empty());

    ASSERT_EQ(run({"start", "115-002", "--by", "wu"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"reply", "115-002", "--text", "已派員稽查並要求廠商改善。", "--by", "wu"}), kExitOk) << err_.str();
    EXPECT_EQ(status("115-002"), "reply-drafted");
    ASSERT_EQ(run({"approve", "115-002", "--role", "supervisor", "--draft", draftOf("115-002"), "--by", "ho"}), kExitOk)
        << err_.str();
    EXPECT_EQ(status("115-002"), "reply-drafted");
    ASSERT_EQ(run({"approve", "115-002", "--role", "approver", "--draft", draftOf("115-002"), "--by", "huang"}),
              kExitOk)
        << err_.str();
    EXPECT_NE(out_.str().find("no e-mail address"), std::string::npos) << out_.str();
    EXPECT_EQ(status("115-002"), "signed-off");
    ASSERT_EQ(run({"replied", "115-002", "--via", "phone", "--by", "wu"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"close", "115-002", "--by", "desk"}), kExitOk) << err_.str();
    EXPECT_EQ(status("115-002"), "closed");
    ASSERT_EQ(run({"reopen", "115-002", "--reason", "陳情人來電表示仍有噪音", "--by", "desk"}), kExitOk);
    EXPECT_EQ(status("115-002"), "reopened");

    ASSERT_EQ(run({"history", "115-002"}), kExitOk);
    for (const std::string step : {"opened", "assigned -> in-progress", "reply drafted", "approved", "signed-off",
                                   "replied", "closed", "reopened: 陳情人來電表示仍有噪音"})
        EXPECT_NE(out_.str().find(step), std::string::npos) << step << " missing in\n" << out_.str();
    EXPECT_NE(out_.str().find("huang"), std::string::npos);
}

TEST_F(ComplaintctlTest, InvalidMoveIsRefusedWithWhatIsAllowed) {
    EXPECT_EQ(run({"close", "115-001"}), kExitInvalid);
    EXPECT_NE(err_.str().find("115-001 is assigned: it can go to in-progress, reply-drafted, filed or referred"),
              std::string::npos)
        << err_.str();
    EXPECT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", "0123456789ab", "--by", "chen"}),
              kExitInvalid);
    EXPECT_NE(err_.str().find("only a drafted reply"), std::string::npos) << err_.str();
}

TEST_F(ComplaintctlTest, ApprovalNamesTheDraftAndADraftChangedSinceIsRefused) {
    ASSERT_EQ(run({"start", "115-001", "--by", "lin"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"reply", "115-001", "--text", "已派員更換燈泡。", "--by", "lin"}), kExitOk) << err_.str();
    const auto drafted = out_.str();
    const auto first = draftOf("115-001");
    ASSERT_EQ(first.size(), 12u);
    EXPECT_NE(drafted.find("reply drafted as draft " + first), std::string::npos) << drafted;
    ASSERT_EQ(run({"show", "115-001"}), kExitOk);
    EXPECT_NE(out_.str().find(first), std::string::npos) << out_.str();
    EXPECT_EQ(run({"approve", "115-001", "--role", "supervisor", "--by", "chen"}), kExitInvalid);
    EXPECT_NE(err_.str().find("name the draft you approve"), std::string::npos) << err_.str();

    ASSERT_EQ(run({"reply", "115-001", "--text", "另行函復。", "--by", "lin"}), kExitOk) << err_.str();
    const auto second = draftOf("115-001");
    EXPECT_NE(second, first);
    EXPECT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", first, "--by", "chen"}), kExitInvalid);
    EXPECT_NE(err_.str().find("the draft changed since you read it (you approve draft " + first +
                              ", the case now has draft " + second + " by lin)"),
              std::string::npos)
        << err_.str();
    EXPECT_EQ(showJson("115-001")->getValue<std::string>("supervisor"), "") << "nothing may be signed";
    EXPECT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", second, "--by", "chen"}), kExitOk)
        << err_.str();
    EXPECT_EQ(showJson("115-001")->getValue<std::string>("supervisor"), "chen");
}

TEST_F(ComplaintctlTest, FilingWithoutHandlingKeepsTheCaseRegistered) {
    // 得簽陳閱後予以存查: the handler's memo, then the same sign-off as a reply.
    ASSERT_EQ(run({"file", "115-001", "--reason", "2", "--note", "同一事由已答復", "--by", "lin"}), kExitOk)
        << err_.str();
    EXPECT_NE(out_.str().find("filing memo (簽陳存查) drafted"), std::string::npos) << out_.str();
    EXPECT_EQ(status("115-001"), "reply-drafted");
    ASSERT_EQ(run({"show", "115-001"}), kExitOk);
    EXPECT_NE(out_.str().find("同一事由已答復"), std::string::npos) << out_.str();  // what the signers read
    ASSERT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", draftOf("115-001"), "--by", "chen"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"approve", "115-001", "--role", "approver", "--draft", draftOf("115-001"), "--by", "huang"}),
              kExitOk)
        << err_.str();
    EXPECT_NE(out_.str().find("filed without handling (存查)"), std::string::npos) << out_.str();
    EXPECT_EQ(status("115-001"), "filed");
    EXPECT_EQ(showJson("115-001")->getValue<int>("filed_reason"), 2);
    EXPECT_EQ(run({"file", "115-001", "--reason", "5", "--note", "x"}), kExitInvalid);
}

TEST_F(ComplaintctlTest, ConfidentialComplainantIsRedactedUntilRevealedAndRevealIsAudited) {
    ASSERT_EQ(run({"new", "--channel", "in-person", "--name", "林小姐", "--phone", "0912-345-678", "--summary",
                   "檢舉承辦人員收受廠商招待，請保密處理。", "--confidential"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"list", "--json"}), kExitOk);
    EXPECT_EQ(out_.str().find("林小姐"), std::string::npos);
    EXPECT_EQ(out_.str().find("0912-345-678"), std::string::npos);
    ASSERT_EQ(run({"register", "--year", "2026", "--format", "csv"}), kExitOk);
    EXPECT_EQ(out_.str().find("林小姐"), std::string::npos);
    ASSERT_EQ(run({"show", "115-002"}), kExitOk);
    EXPECT_EQ(out_.str().find("林小姐"), std::string::npos);
    ASSERT_EQ(run({"show", "115-002", "--reveal", "--by", "director"}), kExitOk);
    EXPECT_NE(out_.str().find("林小姐"), std::string::npos);
    ASSERT_EQ(run({"history", "115-002"}), kExitOk);
    EXPECT_NE(out_.str().find("director"), std::string::npos);
    EXPECT_NE(out_.str().find("revealed"), std::string::npos);
}

TEST_F(ComplaintctlTest, RegisterCsvHasTheSeedColumnsAndABom) {
    ASSERT_EQ(run({"register", "--year", "2026", "--format", "csv"}), kExitOk) << err_.str();
    const auto csv = out_.str();
    ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
    const auto header = csv.substr(3, csv.find("\r\n") - 3);
    EXPECT_EQ(header, "項次,案件編號,日期,客訴人單位,客訴主旨說明,主辦單位,目前處理情形,預計完成期限,結案,存查建議");
    EXPECT_NE(csv.find("1,115-001,115/11/30,王小明,紫楝路路燈不亮,工務組,已分文,115/12/7,,"), std::string::npos) << csv;
}

TEST_F(ComplaintctlTest, NewAsksForMissingFieldsOnATerminalOnly) {
    EXPECT_EQ(run({"new", "--name", "王"}), kExitInvalid);
    EXPECT_NE(err_.str().find("--channel"), std::string::npos) << err_.str();
    std::istringstream answers("letter\n王大明\n06-5050111\n台南市新市區\n請修剪路樹，樹枝遮住路燈。\n");
    ASSERT_EQ(run({"new"}, &answers), kExitOk) << err_.str();
    const auto c = showJson("115-002");
    EXPECT_EQ(c->getValue<std::string>("channel"), "letter");
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("name"), "王大明");
    EXPECT_EQ(c->getValue<std::string>("unit"), "public-works");
}

// Long personal text never needs to be on the command line, where ps and the shell history see it.
TEST_F(ComplaintctlTest, ReplyAndSummaryComeFromAFileOrStandardInput) {
    std::istringstream summary("紫楝路100號旁工廠夜間噪音很大，\n影響附近居民睡眠，請派員稽查。\n");
    ASSERT_EQ(run({"new", "--channel", "letter", "--file", "-", "--by", "desk"}, nullptr, &summary), kExitOk)
        << err_.str();
    EXPECT_EQ(showJson("115-002")->getValue<std::string>("summary"),
              "紫楝路100號旁工廠夜間噪音很大，\n影響附近居民睡眠，請派員稽查。");
    const auto file = dir_ / "summary.txt";
    std::ofstream(file) << "人行道地磚破損，行人容易跌倒。\n";
    ASSERT_EQ(run({"new", "--channel", "phone", "--file", file.string()}), kExitOk) << err_.str();
    EXPECT_EQ(showJson("115-003")->getValue<std::string>("summary"), "人行道地磚破損，行人容易跌倒。");
    EXPECT_EQ(run({"new", "--channel", "phone", "--file", file.string(), "--summary", "x"}), kExitInvalid);
    EXPECT_EQ(run({"new", "--channel", "phone", "--file", (dir_ / "missing.txt").string()}), kExitInvalid);

    ASSERT_EQ(run({"start", "115-002"}), kExitOk) << err_.str();
    std::istringstream reply("已派員稽查，並要求廠商於夜間停工。\r\n");
    ASSERT_EQ(run({"reply", "115-002", "--file", "-", "--by", "wu"}, nullptr, &reply), kExitOk) << err_.str();
    EXPECT_EQ(status("115-002"), "reply-drafted");
    ASSERT_EQ(run({"history", "115-002"}), kExitOk);
    EXPECT_NE(out_.str().find("  wu  "), std::string::npos) << out_.str();
    EXPECT_EQ(showJson("115-002")->getValue<std::string>("reply"), "已派員稽查，並要求廠商於夜間停工。");
    // No standard input to read, or nothing in it: refused, nothing recorded.
    EXPECT_EQ(run({"reply", "115-003", "--file", "-"}), kExitInvalid);
    std::istringstream empty("");
    EXPECT_EQ(run({"reply", "115-003", "--file", "-"}, nullptr, &empty), kExitInvalid);
    EXPECT_NE(err_.str().find("the reply is empty"), std::string::npos) << err_.str();
}

TEST_F(ComplaintctlTest, HelpSaysLongTextCanComeFromAFileOrStandardInput) {
    ASSERT_EQ(run({"--help"}), kExitOk);
    EXPECT_NE(out_.str().find("reply CASE --file FILE|- | --text TEXT"), std::string::npos);
    EXPECT_NE(out_.str().find("--summary TEXT | --file FILE|-"), std::string::npos);
    EXPECT_NE(out_.str().find("ps"), std::string::npos);
}

TEST_F(ComplaintctlTest, DueListsOverdueCasesPerUnit) {
    ASSERT_EQ(run({"new", "--channel", "phone", "--name", "張先生", "--summary", "人行道地磚破損，行人容易跌倒。",
                   "--received", "2026-11-01 10:00"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"due"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("public-works (工務組)"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("115-002  overdue"), std::string::npos) << out_.str();
}

TEST_F(ComplaintctlTest, StatusShowsSourcesOutboxAndQuarantine) {
    std::ofstream(dir_ / "drop" / "bad.eml", std::ios::binary) << "not a message\x01\n";
    clock_.advance(std::chrono::hours(1));
    runDaemonCycle();
    ASSERT_EQ(run({"status"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("drop    last success 2026-11-30T10:00:00+08:00"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("queued 0, sent 2, failed 0"), std::string::npos)
        << out_.str();  // the acknowledgement and the unit notice
    EXPECT_NE(out_.str().find("1 messages"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"quarantine", "show", "2"}), kExitOk) << err_.str();
    EXPECT_EQ(out_.str(), "not a message^A\n");  // control characters are shown, not sent to the terminal
    // Never beside the database, never over a file: into a folder of one's own.
    EXPECT_EQ(run({"quarantine", "show", "2", "--output", (dir_ / "2.eml").string()}), kExitInvalid);
    EXPECT_NE(err_.str().find("the service's own files"), std::string::npos) << err_.str();
    EXPECT_FALSE(fs::exists(dir_ / "2.eml"));
    ASSERT_EQ(run({"quarantine", "show", "2", "--output", (savedDir() / "2.eml").string()}), kExitOk) << err_.str();
    EXPECT_EQ(run({"quarantine", "show", "2", "--output", (savedDir() / "2.eml").string()}), kExitInvalid);
    EXPECT_NE(err_.str().find("exists"), std::string::npos) << err_.str();
    fs::create_symlink(dir_ / "config-target", savedDir() / "link.eml");
    EXPECT_EQ(run({"quarantine", "show", "2", "--output", (savedDir() / "link.eml").string()}), kExitInvalid);
    EXPECT_FALSE(fs::exists(dir_ / "config-target"));  // a link is not followed
    std::ifstream saved(savedDir() / "2.eml", std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(saved), {}), "not a message\x01\n");
    EXPECT_EQ(run({"quarantine", "show", "1"}), kExitInvalid);  // a complaint read through its case
    ASSERT_EQ(run({"quarantine", "retry", "2"}), kExitOk) << err_.str();
    EXPECT_EQ(run({"quarantine", "retry", "2"}), kExitInvalid);
    EXPECT_EQ(run({"outbox", "retry", "1"}), kExitInvalid);  // it was sent, not failed
}

TEST_F(ComplaintctlTest, RetryingAFailedLetterIsRecordedWithWhoDidIt) {
    center::Store(dir_.string() + "/complaintd.sqlite").markFailed(1, "550 mailbox unavailable");
    ASSERT_EQ(run({"outbox", "retry", "1", "--by", "lee"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"history", "115-001"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("lee"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("failed letter 1 queued again"), std::string::npos) << out_.str();
}

TEST_F(ComplaintctlTest, ReleaseOpensAQuarantinedMessageAsACaseAtTheIntakeDesk) {
    std::ofstream(dir_ / "drop" / "bad.eml", std::ios::binary) << "not a message\x01\n";
    clock_.advance(std::chrono::hours(1));
    runDaemonCycle();
    ASSERT_EQ(run({"quarantine", "release", "2", "--by", "lee"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("opened from quarantined message 2 at the intake desk"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"quarantine", "list"}), kExitOk) << err_.str();
    EXPECT_EQ(out_.str(), "The quarantine is empty.\n");
    ASSERT_EQ(run({"list", "--json"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("（無法自動解析的來信）"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("\"intake\""), std::string::npos) << out_.str();
    EXPECT_EQ(run({"quarantine", "release", "2"}), kExitInvalid);  // not quarantined any more
}

TEST_F(ComplaintctlTest, AutomatedMailIsListedShownSafelyAuditedAndReleasedIntoTheNextCase) {
    std::ofstream(dir_ / "drop" / "2.eml", std::ios::binary)
        << testing::utf8Mail("away@example.org", "不在辦公室", "請洽\x1b]0;pwned\x07\x1b[2J王先生",
                             "Away <away@example.org>", "Auto-Submitted: auto-generated\r\nX-Trick: \x1b[31mred\r\n");
    std::ofstream(dir_ / "drop" / "3.eml", std::ios::binary)
        << testing::utf8Mail("spam@example.org", "中獎", "您中獎了", "Win <win@example.org>", "X-Spam-Flag: YES\r\n");
    daemon::FixedClock clock(daemon::utc(2026, 11, 30, 2));
    std::atomic<bool> stopping{false};
    daemon::Service(center::loadSettings(std::nullopt, {stateDir()}).settings, clock).runCycle(stopping);

    ASSERT_EQ(run({"automated", "list"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("away@example.org"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("Auto-Submitted: auto-generated"), std::string::npos) << out_.str();
    EXPECT_EQ(out_.str().find("win@example.org"), std::string::npos) << out_.str();  // spam has its own list
    ASSERT_EQ(run({"spam", "list", "--json"}), kExitOk) << err_.str();
    const auto spam = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(spam->size(), 1u);
    EXPECT_EQ(spam->getObject(0)->getValue<std::string>("sender"), "win@example.org");
    EXPECT_EQ(spam->getObject(0)->getValue<std::string>("reason"), "X-Spam-Flag: YES");
    ASSERT_EQ(run({"status"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("automated 1 (bounces 0, not released 1), spam 1 (not released 1)"), std::string::npos)
        << out_.str();

    ASSERT_EQ(run({"automated", "show", "2", "--by", "lee"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("Auto-Submitted: auto-generated"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("王先生"), std::string::npos) << out_.str();
    EXPECT_EQ(out_.str().find('\x1b'), std::string::npos) << out_.str();
    EXPECT_EQ(out_.str().find('\x07'), std::string::npos) << out_.str();
    EXPECT_EQ(run({"automated", "show", "3"}), kExitInvalid);  // spam, not automated mail
    ASSERT_EQ(run({"automated", "release", "2", "--by", "lee"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("115-002 opened from automated message 2"), std::string::npos) << out_.str();
    EXPECT_EQ(run({"automated", "release", "2"}), kExitInvalid);  // once
    ASSERT_EQ(run({"automated", "show", "2"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("lee         shown: automated show"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("lee         released: as case 115-002"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("released as 115-002 by lee"), std::string::npos) << out_.str();
    const auto released = showJson("115-002");
    EXPECT_EQ(released->getObject("complainant")->getValue<std::string>("email"), "away@example.org");
    ASSERT_EQ(run({"history", "115-002"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("released: from message 2, held as auto-reply"), std::string::npos) << out_.str();

    ASSERT_EQ(run({"spam", "release", "3", "--by", "lee"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("115-003 opened from spam message 3"), std::string::npos) << out_.str();
    EXPECT_EQ(run({"spam", "frobnicate", "3"}), kExitInvalid);
}

TEST_F(ComplaintctlTest, AutoReplyToAConfidentialCaseIsRedactedUntilRevealed) {
    std::ofstream(dir_ / "drop" / "2.eml", std::ios::binary) << testing::utf8Mail(
        "secret@example.org", "檢舉", "檢舉承辦人員收受廠商招待，請保密處理。", "Informant <informant@example.org>");
    daemon::FixedClock clock(daemon::utc(2026, 11, 30, 2));
    std::atomic<bool> stopping{false};
    const auto settings = center::loadSettings(std::nullopt, {stateDir()}).settings;
    daemon::Service(settings, clock).runCycle(stopping);
    ASSERT_TRUE(showJson("115-002")->getValue<bool>("confidential"));
    std::ofstream(dir_ / "drop" / "3.eml", std::ios::binary)
        << testing::utf8Mail("away@example.org", "Re: [115-002] 自動回覆", "我休假中。",
                             "Informant <informant@example.org>", "Auto-Submitted: auto-replied\r\n");
    daemon::Service(settings, clock).runCycle(stopping);
    ASSERT_EQ(run({"automated", "list"}), kExitOk) << err_.str();
    EXPECT_EQ(out_.str().find("informant"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("belongs to 115-002"), std::string::npos) << out_.str();
    EXPECT_EQ(run({"automated", "show", "3"}), kExitInvalid);
    ASSERT_EQ(run({"automated", "show", "3", "--reveal", "--by", "lee"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("informant@example.org"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"history", "115-002"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("revealed: automated show 3 --reveal"), std::string::npos) << out_.str();
    // Released as a case of its own, it carries the informant still: it stays confidential.
    ASSERT_EQ(run({"automated", "release", "3", "--by", "lee"}), kExitOk) << err_.str();
    EXPECT_TRUE(showJson("115-003")->getValue<bool>("confidential"));
    ASSERT_EQ(run({"list"}), kExitOk) << err_.str();
    EXPECT_EQ(out_.str().find("informant"), std::string::npos) << out_.str();
}

TEST_F(ComplaintctlTest, HeldMailThatAsksForConfidentialityNeedsRevealToBeRead) {
    std::ofstream(dir_ / "drop" / "2.eml", std::ios::binary)
        << testing::utf8Mail("list-secret@example.org", "檢舉", "檢舉承辦人員收受招待，請保密處理。",
                             "Informant <informant@example.org>", "List-Id: <neighbours.example.org>\r\n");
    clock_.advance(std::chrono::hours(1));
    runDaemonCycle();
    ASSERT_EQ(run({"automated", "list", "--json"}), kExitOk) << err_.str();
    ASSERT_NE(out_.str().find("（密件）"), std::string::npos) << out_.str();
    EXPECT_EQ(out_.str().find("informant"), std::string::npos) << out_.str();
    const auto id = std::to_string(Poco::JSON::Parser()
                                       .parse(out_.str())
                                       .extract<Poco::JSON::Array::Ptr>()
                                       ->getObject(0)
                                       ->getValue<long long>("id"));
    EXPECT_EQ(run({"automated", "show", id}), kExitInvalid);
    EXPECT_NE(err_.str().find("asks for confidentiality"), std::string::npos) << err_.str();
    ASSERT_EQ(run({"automated", "show", id, "--reveal", "--by", "lee"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("revealed"), std::string::npos) << out_.str();  // in its history
}

TEST_F(ComplaintctlTest, ListAndShowFlagAPossibleDuplicate) {
    std::ofstream(dir_ / "drop" / "2.eml", std::ios::binary)
        << testing::big5Complaint("c1@example.org", "水溝堵塞", "側溝堵塞，下雨就積水。");
    daemon::FixedClock clock(daemon::utc(2026, 11, 30, 2));
    std::atomic<bool> stopping{false};
    daemon::Service(center::loadSettings(std::nullopt, {stateDir()}).settings, clock).runCycle(stopping);
    ASSERT_EQ(run({"list"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("[possible duplicate: same Message-ID as message 1 (case 115-001)]"), std::string::npos)
        << out_.str();
    ASSERT_EQ(run({"show", "115-002"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("Duplicate?:"), std::string::npos) << out_.str();
    EXPECT_EQ(showJson("115-002")->getValue<std::string>("possible_duplicate"),
              "same Message-ID as message 1 (case 115-001)");
}

TEST_F(ComplaintctlTest, StatusWarnsOfAnExpiringRefreshToken) {
    ASSERT_EQ(run({"status"}), kExitOk) << err_.str();
    EXPECT_EQ(out_.str().find("refresh token"), std::string::npos) << out_.str();
    const auto today = cases::localDate(clock_.now());
    const auto inFiveDays = cases::formatDate(std::chrono::sys_days(today) + std::chrono::days(5));
    ASSERT_EQ(run({"-o", "smtp.url=smtp://mail.example.tw:587", "-o", "smtp.auth=xoauth2", "-o",
                   "smtp.user=complaints@example.tw", "-o", "smtp.token_command=oauth2-refresh", "-o",
                   "smtp.refresh_token_expires=" + inFiveDays, "status"}),
              kExitOk)
        << err_.str();
    EXPECT_NE(out_.str().find("Warnings\n  smtp.refresh_token_expires = " + inFiveDays +
                              ": the OAuth2 refresh token behind smtp.token_command expires in 5 day(s)"),
              std::string::npos)
        << out_.str();
}

TEST_F(ComplaintctlTest, SignedOffReplyCarriesLetterAndSurveyAsPdfAndText) {
    ASSERT_EQ(run({"reply", "115-001", "--text", "已於12月1日派員更換燈泡，路燈已恢復照明。", "--by", "lin"}), kExitOk);
    ASSERT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", draftOf("115-001"), "--by", "chen"}),
              kExitOk);
    ASSERT_EQ(run({"approve", "115-001", "--role", "approver", "--draft", draftOf("115-001"), "--by", "huang"}),
              kExitOk)
        << err_.str();
    center::Store store(dir_.string() + "/complaintd.sqlite");
    std::optional<center::OutboxItem> reply;
    for (const auto& item : store.outbox())
        if (item.kind == cases::LetterKind::Reply) reply = item;
    ASSERT_TRUE(reply);
    const auto parsed = parsers::parseMessage(reply->raw);
    ASSERT_TRUE(std::holds_alternative<parsers::ParsedMessage>(parsed));
    const auto& mail = std::get<parsers::ParsedMessage>(parsed);
    EXPECT_NE(mail.textBody.find("已於12月1日派員更換燈泡"), std::string::npos);
    EXPECT_NE(mail.textBody.find("（ ）非常滿意"), std::string::npos) << mail.textBody;
    ASSERT_EQ(mail.attachments.size(), 2u);
    EXPECT_EQ(mail.attachments[0].filename, "115-001-函復.pdf");
    EXPECT_EQ(mail.attachments[0].data.rfind("%PDF", 0), 0u);
    EXPECT_EQ(mail.attachments[1].data.rfind("%PDF", 0), 0u);
}

TEST_F(ComplaintctlTest, SurveyFromPaperIsStoredAndDissatisfactionReopens) {
    ASSERT_EQ(run({"reply", "115-001", "--text", "已修復。"}), kExitOk);
    ASSERT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", draftOf("115-001"), "--by", "chen"}),
              kExitOk);
    ASSERT_EQ(run({"approve", "115-001", "--role", "approver", "--draft", draftOf("115-001"), "--by", "huang"}),
              kExitOk);
    clock_.advance(std::chrono::days(2));
    runDaemonCycle();
    EXPECT_EQ(status("115-001"), "replied");
    EXPECT_EQ(run({"survey", "115-001", "--set", "6=天氣很好"}), kExitInvalid);
    ASSERT_EQ(run({"survey", "115-001", "--set", "3=10天內", "--set", "5=完全沒有解決", "--set", "6=不滿意", "--via",
                   "phone"}),
              kExitOk)
        << err_.str();
    EXPECT_NE(out_.str().find("reopened"), std::string::npos) << out_.str();
    EXPECT_EQ(status("115-001"), "reopened");
    ASSERT_EQ(run({"survey", "115-001", "--set", "6-1=問題未解決,處理時間太慢", "--via", "phone"}), kExitOk)
        << err_.str();
    ASSERT_EQ(run({"survey", "115-001"}), kExitOk);
    EXPECT_NE(out_.str().find("不滿意"), std::string::npos) << out_.str();
    // Several choices of 6-1 as the form prints them.
    EXPECT_NE(out_.str().find("問題未解決 (not-solved)、處理時間太慢 (too-slow)"), std::string::npos) << out_.str();

    // Answered again after the new reply: a new round from blank; the first stays.
    ASSERT_EQ(run({"reply", "115-001", "--text", "已全面更新線路。", "--by", "lin"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"approve", "115-001", "--role", "supervisor", "--draft", draftOf("115-001"), "--by", "chen"}),
              kExitOk);
    ASSERT_EQ(run({"approve", "115-001", "--role", "approver", "--draft", draftOf("115-001"), "--by", "huang"}),
              kExitOk);
    EXPECT_EQ(status("115-001"), "signed-off");
    clock_.advance(std::chrono::days(2));
    runDaemonCycle();
    ASSERT_EQ(run({"survey", "115-001", "--set", "6=滿意", "--via", "paper"}), kExitOk) << err_.str();
    EXPECT_EQ(status("115-001"), "replied");
    ASSERT_EQ(run({"survey", "115-001"}), kExitOk);
    EXPECT_EQ(out_.str().find("處理時間太慢"), std::string::npos) << out_.str();  // not carried into round 2
    EXPECT_NE(out_.str().find("Rounds"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("by phone  dissatisfied"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("3. "), std::string::npos) << out_.str();  // two entries of round 1, then round 2
}

TEST_F(ComplaintctlTest, ReviewFormAndAnnualReport) {
    ASSERT_EQ(run({"review", "115-001", "--format", "text"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("客訴案件檢討分析表"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("115-001"), std::string::npos);
    ASSERT_EQ(run({"report", "annual", "--year", "2026", "--format", "json"}), kExitOk) << err_.str();
    const auto report = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Object::Ptr>();
    EXPECT_FALSE(report.isNull());
    const auto pdf = (savedDir() / "report.pdf").string();
    ASSERT_EQ(run({"report", "annual", "--year", "2026", "--format", "pdf", "--output", pdf}), kExitOk) << err_.str();
    std::ifstream in(pdf, std::ios::binary);
    std::string head(4, '\0');
    in.read(head.data(), 4);
    EXPECT_EQ(head, "%PDF");
}

TEST_F(ComplaintctlTest, HelpExitsZero) {
    EXPECT_EQ(runComplaintctl({"--help"}, out_, err_), kExitOk);
    EXPECT_NE(out_.str().find("reroute CASE UNIT --reason TEXT"), std::string::npos);
}

TEST_F(ComplaintctlTest, ListFiltersAndSearchFindTheCasesAClerkAsksFor) {
    ASSERT_EQ(run({"new", "--channel", "phone", "--summary", "工廠夜間噪音很大，請派員稽查。", "--by", "desk"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"list", "--unit", "工務組", "--json"}), kExitOk) << err_.str();
    auto array = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(array->size(), 1u);
    EXPECT_EQ(array->getObject(0)->getValue<std::string>("number"), "115-001");
    ASSERT_EQ(run({"list", "--channel", "phone", "--json"}), kExitOk);
    array = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(array->size(), 1u);
    EXPECT_EQ(array->getObject(0)->getValue<std::string>("number"), "115-002");
    ASSERT_EQ(run({"list", "--overdue", "--json"}), kExitOk);
    EXPECT_EQ(Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>()->size(), 0u);
    clock_.advance(std::chrono::days(20));  // past the 7-day target of both
    ASSERT_EQ(run({"list", "--overdue", "--status", "assigned", "--since", "2026-11-30", "--json"}), kExitOk);
    EXPECT_EQ(Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>()->size(), 2u);
    EXPECT_EQ(run({"list", "--since", "yesterday"}), kExitInvalid);

    ASSERT_EQ(run({"search", "路燈"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("115-001"), std::string::npos) << out_.str();
    EXPECT_EQ(out_.str().find("115-002"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"search", "夜間噪音"}), kExitOk);
    EXPECT_NE(out_.str().find("115-002"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"search", "捷運"}), kExitOk);
    EXPECT_NE(out_.str().find("No case holds"), std::string::npos) << out_.str();
    EXPECT_EQ(run({"search", "燈"}), kExitInvalid);
    EXPECT_NE(err_.str().find("at least two Chinese characters"), std::string::npos) << err_.str();
}

TEST_F(ComplaintctlTest, YearIsGregorianOrRoc) {
    ASSERT_EQ(run({"register", "--year", "115", "--format", "json"}), kExitOk) << err_.str();
    const auto roc = out_.str();
    ASSERT_EQ(run({"register", "--year", "2026", "--format", "json"}), kExitOk) << err_.str();
    EXPECT_EQ(out_.str(), roc);
    EXPECT_NE(roc.find("115-001"), std::string::npos) << roc;
    EXPECT_EQ(run({"register", "--year", "next"}), kExitInvalid);
    EXPECT_NE(err_.str().find("ROC year 115"), std::string::npos) << err_.str();
}

TEST_F(ComplaintctlTest, StatusWarnsWhileTheCentersPhoneIsThePlaceholder) {
    ASSERT_EQ(run({"status"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("center.phone is the placeholder (06) 000-0000"), std::string::npos) << out_.str();
    ASSERT_EQ(run({"-o", "center.phone=(06) 505-0101", "status"}), kExitOk) << err_.str();
    EXPECT_EQ(out_.str().find("center.phone is the placeholder"), std::string::npos) << out_.str();
}

TEST_F(ComplaintctlTest, ManagementsOpinionIsOnTheReviewForm) {
    EXPECT_EQ(run({"review", "115-001", "--set", "檢討意見=應加強路燈巡檢", "--by", "lin"}), kExitInvalid);
    EXPECT_NE(err_.str().find("a supervisor (主管) or an approver (批准)"), std::string::npos) << err_.str();
    ASSERT_EQ(run({"review", "115-001", "--set", "檢討意見=應加強路燈巡檢", "--by", "chen"}), kExitOk) << err_.str();
    ASSERT_EQ(run({"review", "115-001"}), kExitOk) << err_.str();
    EXPECT_NE(out_.str().find("應加強路燈巡檢（chen）"), std::string::npos) << out_.str();
    EXPECT_EQ(run({"review", "115-001", "--set", "3=x"}), kExitInvalid);
}

TEST_F(ComplaintctlTest, AConfidentialCaseIsSearchedOnlyWithReveal) {
    ASSERT_EQ(run({"new", "--channel", "phone", "--name", "林志明", "--phone", "0912-345-678", "--summary",
                   "路燈不亮，請保密。", "--confidential", "--by", "desk"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(run({"search", "路燈", "--json"}), kExitOk) << err_.str();
    auto found = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ(found->getObject(0)->getValue<std::string>("number"), "115-001");
    ASSERT_EQ(run({"search", "林志明", "--json"}), kExitOk);
    EXPECT_EQ(Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>()->size(), 0u);
    ASSERT_EQ(run({"search", "林志明", "--reveal", "--json", "--by", "desk"}), kExitOk) << err_.str();
    found = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ(found->getObject(0)->getValue<std::string>("number"), "115-002");
    EXPECT_NE(run({"search", "林志明", "--reveal", "--by", "lee"}), kExitOk);  // the intake desk of another unit
}

}  // namespace
}  // namespace complaintd::ctl
