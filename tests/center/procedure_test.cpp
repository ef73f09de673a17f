// The case rules of the procedure, directly: center::Procedure over a temporary SQLite file,
// the embedded center book and a fixed clock. No daemon, no mail server, no folders.
#include "center/procedure.h"
#include "parsers/mime_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "cases/error.h"
#include "test_clock.h"
#include "test_staff_members.h"

namespace complaintd::center {
namespace {

using cases::CaseStatus;

class ProcedureTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("complaintd-procedure-rules-" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        settings_ =
            loadSettings(std::nullopt, {"state_dir=" + dir_.string(), "web.base_url=https://complaints.shugu.example/"})
                .settings;
        book_ = std::make_unique<CenterBook>(loadCenterBook(settings_));
        store_ = std::make_unique<Store>(settings_.databasePath);
        procedure_ = std::make_unique<Procedure>(*store_, settings_, *book_);
    }
    void TearDown() override {
        procedure_.reset();
        store_.reset();
        if (!HasFailure()) std::filesystem::remove_all(dir_);
    }

    // A complaint as staff or intake would have it, routed by the center's rules.
    CaseDraft complaint(const std::string& subject, const std::string& text, const std::string& email) {
        CaseDraft draft;
        draft.fields.channel = cases::Channel::Email;
        draft.fields.receivedAt = clock_.now();
        draft.fields.subject = subject;
        draft.fields.summary = text;
        draft.fields.complainant.name = "王小明";
        draft.fields.complainant.email = email;
        draft.fields.deadlines = cases::deadlinesFor(clock_.now(), settings_.deadlines, book_->calendar);
        applyRouting(book_->rules.route(subject, text), draft);
        return draft;
    }

    cases::CaseNumber openStreetlight(const std::string& email = "c1@example.org") {
        return procedure_->open(complaint("紫楝路路燈不亮", "路燈壞了三天，晚上很危險。", email), clock_.now()).number;
    }

    cases::CaseRecord record(const cases::CaseNumber& number) { return *store_->findCase(number); }

    // A fax as intake opens it: no text yet, at the intake desk, its pages waiting for OCR.
    cases::CaseNumber openFaxAwaitingOcr() {
        CaseDraft draft;
        draft.fields.channel = cases::Channel::Fax;
        draft.fields.receivedAt = clock_.now();
        draft.fields.subject = "傳真";
        draft.fields.summary = Store::kFaxSummaryPending;
        draft.fields.deadlines = cases::deadlinesFor(clock_.now(), settings_.deadlines, book_->calendar);
        applyRouting(book_->rules.route("傳真", ""), draft);
        draft.ocrPending = true;
        return procedure_->openWithoutLetter(draft, clock_.now());
    }
    OcrReading streetlightPages(bool needsManualSummary = false) {
        return {"陳情人：陳大文\n電話：06-5550123\n紫楝路路燈不亮，晚上很危險。",
                88,
                1,
                "[]",
                needsManualSummary,
                needsManualSummary ? std::vector<std::string>{"page 1: low confidence"} : std::vector<std::string>{}};
    }

    std::vector<OutboxItem> letters(const std::string& kind) {
        std::vector<OutboxItem> found;
        for (auto& item : store_->outbox())
            if (cases::idOf(item.kind) == kind) found.push_back(item);
        return found;
    }

    std::string drafted(const cases::CaseNumber& number) {
        return procedure_->draftReply(number, "已於12月1日派員更換燈泡。", testing::testMember("lin"), clock_.now());
    }

    std::filesystem::path dir_;
    Settings settings_;
    FixedClock clock_{utc(2026, 11, 30, 1)};
    std::unique_ptr<CenterBook> book_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Procedure> procedure_;
};

TEST_F(ProcedureTest, ARoutedComplaintOpensAssignedWithTheAcknowledgementThreadedToIt) {
    const auto opened = procedure_->open(complaint("紫楝路路燈不亮", "路燈壞了三天。", "c1@example.org"), clock_.now(),
                                         {{"complaint-1@example.org"}, std::nullopt});
    EXPECT_EQ(opened.number.toString(), "115-001");
    EXPECT_TRUE(opened.letterQueued);
    EXPECT_FALSE(opened.letterHeld);
    const auto r = record(opened.number);
    EXPECT_EQ(r.fields.status, CaseStatus::Assigned);
    EXPECT_EQ(r.fields.unit, "public-works");
    const auto acks = letters("acknowledgement");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].state, center::OutboxState::Queued);
    EXPECT_NE(acks[0].raw.find("In-Reply-To: <complaint-1@example.org>"), std::string::npos);
}

TEST_F(ProcedureTest, AComplaintOutsideTheRemitOpensReferredWithTheReferralLetterOnly) {
    const auto opened =
        procedure_->open(complaint("健保卡遺失", "請問健保卡要怎麼補發？", "c1@example.org"), clock_.now());
    const auto r = record(opened.number);
    EXPECT_EQ(r.fields.status, CaseStatus::Referred);
    EXPECT_EQ(r.referral, "nhi");
    EXPECT_EQ(letters("referral").size(), 1u);
    EXPECT_TRUE(letters("acknowledgement").empty());
}

TEST_F(ProcedureTest, NoRuleLeavesTheCaseAtTheIntakeDesk) {
    const auto number = procedure_->open(complaint("請問", "想詢問一件事情。", "c1@example.org"), clock_.now()).number;
    EXPECT_EQ(record(number).fields.status, CaseStatus::Received);
    EXPECT_EQ(record(number).fields.unit, "intake");
}

TEST_F(ProcedureTest, AComplainantWithoutEMailGetsACaseAndNoLetter) {
    const auto opened = procedure_->open(complaint("紫楝路路燈不亮", "路燈壞了。", ""), clock_.now());
    EXPECT_FALSE(opened.letterQueued);
    EXPECT_TRUE(letters("acknowledgement").empty());
    EXPECT_EQ(record(opened.number).fields.status, CaseStatus::Assigned);
}

// 分文 by the rules: the unit a new case is given to is told, as it is of a reroute; not while the
// first letter is held for staff, and not a case left at the intake desk.
TEST_F(ProcedureTest, TheUnitTheRulesGiveANewCaseToIsTold) {
    const auto number = openStreetlight();
    const auto notices = letters("unit-notice");
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_EQ(notices[0].recipient, "works@shugu.example");
    const auto mail = std::get<parsers::ParsedMessage>(parsers::parseMessage(notices[0].raw));
    EXPECT_NE(mail.subject.find("[115-001] 新分派客訴案件"), std::string::npos) << mail.subject;
    EXPECT_NE(mail.textBody.find("https://complaints.shugu.example/cases/115-001"), std::string::npos);
    EXPECT_EQ(record(number).history.back().kind, cases::EventKind::UnitNotice);
    procedure_->open(complaint("紫楝路路燈不亮", "路燈壞了。", "c2@example.org"), clock_.now(),
                     {{}, std::string("flood")});
    procedure_->open(complaint("你好", "想問一件事", "c3@example.org"), clock_.now());  // the intake desk
    EXPECT_EQ(letters("unit-notice").size(), 1u);
}

TEST_F(ProcedureTest, AHeldFirstLetterWaitsForStaffWithItsReason) {
    const auto opened = procedure_->open(complaint("紫楝路路燈不亮", "路燈壞了。", "c1@example.org"), clock_.now(),
                                         {{}, std::string("sender not authenticated")});
    EXPECT_TRUE(opened.letterHeld);
    const auto acks = letters("acknowledgement");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].state, center::OutboxState::Held);
    EXPECT_EQ(acks[0].heldReason, "sender not authenticated");
}

TEST_F(ProcedureTest, OpeningWithoutLetterQueuesNothing) {
    const auto number =
        procedure_->openWithoutLetter(complaint("紫楝路路燈不亮", "路燈壞了。", "c1@example.org"), clock_.now());
    EXPECT_TRUE(store_->outbox().empty());
    EXPECT_EQ(record(number).fields.status, CaseStatus::Assigned);
}

TEST_F(ProcedureTest, ARerouteFromTheIntakeDeskAssignsAndAnUnknownUnitIsNamedWithTheUnits) {
    const auto number = procedure_->open(complaint("請問", "想詢問一件事情。", "c1@example.org"), clock_.now()).number;
    try {
        procedure_->reroute(number, "no-such-unit", testing::testMember("desk"), "wrong desk", clock_.now());
        FAIL() << "an unknown unit was accepted";
    } catch (const NotFoundError& e) {
        EXPECT_NE(std::string(e.what()).find("public-works (工務組)"), std::string::npos) << e.what();
    }
    const auto& unit = procedure_->reroute(number, "工務組", testing::testMember("desk"), "streetlight", clock_.now());
    EXPECT_EQ(unit.id, "public-works");
    const auto r = record(number);
    EXPECT_EQ(r.fields.unit, "public-works");
    EXPECT_EQ(r.fields.status, CaseStatus::Assigned);
}

TEST_F(ProcedureTest, TheReplyIsSignedOffByBothSignaturesOnOneDraftAndThenQueued) {
    const auto number = openStreetlight();
    const auto draft = drafted(number);
    const auto first =
        procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), draft, clock_.now());
    EXPECT_FALSE(first.signedOff);
    EXPECT_EQ(record(number).fields.status, CaseStatus::ReplyDrafted);
    EXPECT_TRUE(letters("reply").empty());
    const auto second =
        procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draft, clock_.now());
    EXPECT_TRUE(second.signedOff);
    EXPECT_TRUE(second.letterQueued);
    const auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::SignedOff);
    EXPECT_EQ(r.supervisor.by, "chen");
    EXPECT_EQ(r.approver.by, "huang");
    ASSERT_EQ(letters("reply").size(), 1u);
    EXPECT_NE(letters("reply")[0].raw.find("application/pdf"), std::string::npos);  // letter and survey
}

TEST_F(ProcedureTest, TheReplyAcceptedByTheMailServerRepliesTheCaseOnce) {
    const auto number = openStreetlight();
    const auto ack = letters("acknowledgement").at(0);
    EXPECT_TRUE(recordLetterAccepted(*store_, ack.id, ack.messageId, clock_.now()));
    EXPECT_EQ(record(number).fields.status, CaseStatus::Assigned);  // only the reply answers the case
    const auto draft = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), draft, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draft, clock_.now());
    const auto reply = letters("reply").at(0);
    EXPECT_FALSE(recordLetterAccepted(*store_, reply.id, "other@id", clock_.now()));  // not this letter
    EXPECT_TRUE(recordLetterAccepted(*store_, reply.id, reply.messageId, clock_.now()));
    EXPECT_FALSE(recordLetterAccepted(*store_, reply.id, reply.messageId, clock_.now()));  // a journal replayed
    const auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::Replied);
    EXPECT_EQ(r.history.back().toStatus, CaseStatus::Replied);
    EXPECT_EQ(std::count_if(r.history.begin(), r.history.end(),
                            [](const auto& e) { return e.toStatus == CaseStatus::Replied; }),
              1);
}

TEST_F(ProcedureTest, ANewDraftVoidsTheSignaturesAndAnOldDraftCannotBeSigned) {
    const auto number = openStreetlight();
    const auto old = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), old, clock_.now());
    const auto revised =
        procedure_->draftReply(number, "已更換燈泡並檢修線路。", testing::testMember("lin"), clock_.now());
    ASSERT_NE(revised, old);
    EXPECT_THROW(
        procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), old, clock_.now()),
        InvalidRequestError);
    const auto approver =
        procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), revised, clock_.now());
    EXPECT_FALSE(approver.signedOff);  // the supervisor signed the old draft only
    EXPECT_FALSE(record(number).supervisor.at);
    EXPECT_TRUE(letters("reply").empty());
}

TEST_F(ProcedureTest, ASignedOffReplyWithoutEMailIsRecordedWhenSentByPost) {
    const auto number = openStreetlight("");
    const auto draft = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), draft, clock_.now());
    const auto signOff =
        procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draft, clock_.now());
    EXPECT_TRUE(signOff.signedOff);
    EXPECT_FALSE(signOff.letterQueued);
    EXPECT_EQ(record(number).history.back().note, "no e-mail address: reply by post or phone");
    procedure_->recordRepliedBy(number, ReplyVia::Post, "掛號", testing::testMember("lin"), clock_.now());
    const auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::Replied);
    EXPECT_EQ(r.history.back().toStatus, CaseStatus::Replied);
    EXPECT_TRUE(r.history.back().note.ends_with("reply sent by post: 掛號")) << r.history.back().note;
}

TEST_F(ProcedureTest, ADissatisfiedSurveyReopensOnlyAnAnsweredCaseAndTellsTheUnitOnceADay) {
    const auto number = openStreetlight("");
    procedure_->reopenDissatisfied(record(number), "survey by paper", clock_.now());
    EXPECT_EQ(record(number).fields.status, CaseStatus::Assigned);  // not answered: nothing to reopen
    const auto draft = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), draft, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draft, clock_.now());
    procedure_->recordRepliedBy(number, ReplyVia::Phone, "", testing::testMember("lin"), clock_.now());
    procedure_->reopenDissatisfied(record(number), "survey by phone", clock_.now());
    const auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::Reopened);
    const auto reopening = std::find_if(r.history.rbegin(), r.history.rend(),
                                        [](const cases::CaseEvent& e) { return e.toStatus == CaseStatus::Reopened; });
    ASSERT_NE(reopening, r.history.rend());
    EXPECT_TRUE(reopening->note.ends_with("dissatisfied (survey by phone)")) << reopening->note;
    ASSERT_EQ(letters("dissatisfied").size(), 1u);
    EXPECT_EQ(letters("dissatisfied")[0].recipient, "works@shugu.example");
    // Answered again and again dissatisfied the same day: reopened, the unit not told twice.
    procedure_->changeStatus(number, CaseStatus::InProgress, testing::testMember("lin"), "", clock_.now());
    const auto again = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), again, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), again, clock_.now());
    procedure_->recordRepliedBy(number, ReplyVia::Phone, "", testing::testMember("lin"), clock_.now());
    procedure_->reopenDissatisfied(record(number), "survey by phone", clock_.now());
    EXPECT_EQ(record(number).fields.status, CaseStatus::Reopened);
    EXPECT_EQ(letters("dissatisfied").size(), 1u);
}

TEST_F(ProcedureTest, OcrRoutesAFaxNobodyRoutedAndFillsWhatIntakeLeftEmpty) {
    const auto number = openFaxAwaitingOcr();
    ASSERT_EQ(record(number).fields.status, CaseStatus::Received);
    EXPECT_EQ(procedure_->applyOcr(number, streetlightPages(), clock_.now()), OcrApplied::Routed);
    const auto r = record(number);
    EXPECT_EQ(r.fields.unit, "public-works");
    EXPECT_EQ(r.fields.status, CaseStatus::Assigned);
    EXPECT_EQ(r.fields.complainant.name, "陳大文");
    EXPECT_NE(r.fields.summary, Store::kFaxSummaryPending);
    const auto status = std::find_if(r.history.rbegin(), r.history.rend(),
                                     [](const auto& e) { return e.kind == cases::EventKind::Status; });
    ASSERT_NE(status, r.history.rend());  // through the one status writer
    EXPECT_EQ(status->toStatus, CaseStatus::Assigned);
    EXPECT_EQ(letters("unit-notice").size(), 1u);  // the unit OCR routed it to is told
}

TEST_F(ProcedureTest, OcrOnlySuggestsItsUnitWhenStaffRoutedTheFaxFirst) {
    const auto number = openFaxAwaitingOcr();
    std::string other;
    for (const auto& unit : book_->units.all())
        if (unit.id != "public-works" && unit.id != settings_.intakeUnit) other = unit.id;
    ASSERT_FALSE(other.empty());
    procedure_->reroute(number, other, testing::testMember("desk"), "read the pages myself", clock_.now());
    EXPECT_FALSE(routingUntouchedSinceIntake(record(number)));
    EXPECT_EQ(procedure_->applyOcr(number, streetlightPages(), clock_.now()), OcrApplied::Suggested);
    const auto r = record(number);
    EXPECT_EQ(r.fields.unit, other);
    EXPECT_EQ(r.history.back().kind, cases::EventKind::OcrSuggestion);
    EXPECT_EQ(r.history.back().toUnit, "public-works");
}

TEST_F(ProcedureTest, OcrThatNeedsAPersonRoutesNothing) {
    const auto number = openFaxAwaitingOcr();
    EXPECT_EQ(procedure_->applyOcr(number, streetlightPages(true), clock_.now()), OcrApplied::NothingToRoute);
    const auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::Received);
    EXPECT_NE(r.history.back().note.find("needs a manual summary: page 1: low confidence"), std::string::npos)
        << r.history.back().note;
}

// 附表一 (批准：　主管：　承辦：): three signatures by three persons, the supervisor of the handling unit.
TEST_F(ProcedureTest, TheDrafterTheSupervisorAndTheApproverAreThreePersons) {
    const auto number = openStreetlight();
    const auto draft = drafted(number);  // by lin, handler of public-works
    auto linAsSupervisor = testing::testMember("lin");
    linAsSupervisor.roles.push_back(cases::Role::Supervisor);
    EXPECT_THROW(procedure_->approve(number, cases::ApprovalRole::Supervisor, linAsSupervisor, draft, clock_.now()),
                 NotPermittedError);
    auto chenAlsoApprover = testing::testMember("chen");
    chenAlsoApprover.roles.push_back(cases::Role::Approver);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, chenAlsoApprover, draft, clock_.now());
    try {
        procedure_->approve(number, cases::ApprovalRole::Approver, chenAlsoApprover, draft, clock_.now());
        FAIL() << "one person signed as supervisor and as approver";
    } catch (const NotPermittedError& e) {
        EXPECT_NE(std::string(e.what()).find("three persons"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(letters("reply").empty());
    EXPECT_TRUE(
        procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draft, clock_.now())
            .signedOff);
}

TEST_F(ProcedureTest, ASupervisorOrHandlerOfAnotherUnitIsRefused) {
    const auto number = openStreetlight();  // public-works
    try {
        procedure_->draftReply(number, "由環安組回覆。", testing::testMember("wu"), clock_.now());
        FAIL() << "a handler of environment-safety drafted for public-works";
    } catch (const NotPermittedError& e) {
        EXPECT_NE(std::string(e.what()).find("handler (承辦人) or supervisor of unit public-works"), std::string::npos)
            << e.what();
    }
    const auto draft = drafted(number);
    try {
        procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("ho"), draft, clock_.now());
        FAIL() << "the supervisor of environment-safety signed for public-works";
    } catch (const NotPermittedError& e) {
        EXPECT_NE(std::string(e.what()).find("not a supervisor (主管) of unit public-works"), std::string::npos)
            << e.what();
    }
    EXPECT_TRUE(record(number).supervisor.by.empty());
    EXPECT_THROW(
        procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("chen"), draft, clock_.now()),
        NotPermittedError);  // chen is no approver
    auto gone = testing::testMember("chen");
    gone.disabled = true;
    EXPECT_THROW(procedure_->approve(number, cases::ApprovalRole::Supervisor, gone, draft, clock_.now()),
                 NotPermittedError);
}

// 得簽陳閱後予以存查: filing without handling is the handler's memo, signed off like a reply.
TEST_F(ProcedureTest, FilingWithoutHandlingNeedsTheSameSignOffWithItsReason) {
    const auto number = openStreetlight();
    const auto memo = procedure_->proposeFiling(number, cases::FilingReason::AlreadyAnswered, "同一事項已於上月答覆",
                                                testing::testMember("lin"), clock_.now());
    auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::ReplyDrafted);
    EXPECT_EQ(r.proposedFiling, cases::FilingReason::AlreadyAnswered);
    EXPECT_NE(r.replyText.find("同一事項已於上月答覆"), std::string::npos);  // the signers read reason and note
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), memo, clock_.now());
    EXPECT_EQ(record(number).fields.status, CaseStatus::ReplyDrafted);  // one signature files nothing
    const auto signOff =
        procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), memo, clock_.now());
    EXPECT_TRUE(signOff.filed);
    EXPECT_FALSE(signOff.letterQueued);
    r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::Filed);
    EXPECT_EQ(r.filedReason, cases::FilingReason::AlreadyAnswered);
    EXPECT_NE(r.history.back().note.find("signed off by chen (主管) and huang (批准)"), std::string::npos)
        << r.history.back().note;
    EXPECT_TRUE(letters("reply").empty());
}

// 分送各承辦組室: the unit a case is rerouted to is told, with the case's due dates and its link.
TEST_F(ProcedureTest, TheUnitACaseIsReroutedToIsToldWithTheDueDatesAndTheLink) {
    const auto number = openStreetlight();  // public-works
    procedure_->reroute(number, "environment-safety", testing::testMember("desk"), "其實是噪音問題", clock_.now());
    const auto notices = letters("unit-notice");
    ASSERT_EQ(notices.size(), 2u);  // public-works when it opened, then environment-safety
    EXPECT_EQ(notices[1].recipient, "env-safety@shugu.example");
    const auto mail = std::get<parsers::ParsedMessage>(parsers::parseMessage(notices[1].raw));
    EXPECT_NE(mail.subject.find("[115-001] 改分客訴案件"), std::string::npos) << mail.subject;
    EXPECT_NE(mail.textBody.find("紫楝路路燈不亮"), std::string::npos) << mail.textBody;
    EXPECT_NE(mail.textBody.find("說明：其實是噪音問題"), std::string::npos) << mail.textBody;
    const auto r = record(number);
    EXPECT_NE(mail.textBody.find(cases::formatDate(r.fields.deadlines->legal)), std::string::npos) << mail.textBody;
    EXPECT_NE(mail.textBody.find("https://complaints.shugu.example/cases/115-001"), std::string::npos) << mail.textBody;
    EXPECT_EQ(r.history.back().kind, cases::EventKind::UnitNotice);
}

TEST_F(ProcedureTest, AConfidentialCaseIsNoticedByNumberAndDueDatesOnly) {
    auto draft = complaint("紫楝路路燈不亮，請保密", "王小明住紫楝路100號，路燈壞了。", "c1@example.org");
    draft.fields.confidential = true;
    const auto number = procedure_->open(draft, clock_.now()).number;
    procedure_->reroute(number, "environment-safety", testing::testMember("desk"), "王小明來電", clock_.now());
    const auto notices = letters("unit-notice");
    ASSERT_EQ(notices.size(), 2u);  // when it opened, and the reroute
    for (const auto& notice : notices) {
        const auto mail = std::get<parsers::ParsedMessage>(parsers::parseMessage(notice.raw));
        for (const std::string secret : {"王小明", "紫楝路", "路燈"}) {
            EXPECT_EQ(mail.subject.find(secret), std::string::npos) << mail.subject;
            EXPECT_EQ(mail.textBody.find(secret), std::string::npos) << mail.textBody;
        }
    }
    const auto mail = std::get<parsers::ParsedMessage>(parsers::parseMessage(notices[1].raw));
    EXPECT_NE(mail.textBody.find("115-001"), std::string::npos);
    EXPECT_NE(mail.textBody.find(cases::formatDate(record(number).fields.deadlines->target)), std::string::npos);
}

TEST_F(ProcedureTest, ACaseReopenedByHandIsTheUnitsAgainAndItIsTold) {
    const auto number = openStreetlight("");
    const auto draft = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), draft, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draft, clock_.now());
    procedure_->recordRepliedBy(number, ReplyVia::Phone, "", testing::testMember("lin"), clock_.now());
    EXPECT_EQ(letters("unit-notice").size(), 1u);  // when it opened
    procedure_->changeStatus(number, CaseStatus::Reopened, testing::testMember("lin"), "陳情人來電表示仍未修復",
                             clock_.now());
    const auto notices = letters("unit-notice");
    ASSERT_EQ(notices.size(), 2u);
    EXPECT_EQ(notices[1].recipient, "works@shugu.example");
    EXPECT_NE(notices[1].raw.find("Auto-Submitted: auto-generated"), std::string::npos);
    const auto mail = std::get<parsers::ParsedMessage>(parsers::parseMessage(notices[1].raw));
    EXPECT_NE(mail.subject.find("客訴案件續辦"), std::string::npos) << mail.subject;
}

// 更正: a correction is audited with old and new value, except a confidential case's values.
TEST_F(ProcedureTest, ACorrectionIsAuditedAndAConfidentialCasesValuesStayOutOfTheHistory) {
    const auto number = openStreetlight();
    cases::CaseCorrection phone;
    phone.phone = "06-5050123";
    const auto changes = procedure_->correct(number, phone, testing::testMember("lin"), clock_.now());
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(record(number).fields.complainant.phone, "06-5050123");
    EXPECT_EQ(record(number).history.back().note, "phone: (empty) -> 06-5050123");
    EXPECT_THROW(procedure_->correct(number, phone, testing::testMember("lin"), clock_.now()), InvalidRequestError);
    EXPECT_THROW(procedure_->correct(number, phone, testing::testMember("wu"), clock_.now()), NotPermittedError);

    cases::CaseCorrection secret;
    secret.confidential = true;
    secret.name = "林志明";
    procedure_->correct(number, secret, testing::testMember("desk"), clock_.now());
    const auto r = record(number);
    EXPECT_TRUE(r.fields.confidential);
    EXPECT_EQ(r.fields.complainant.name, "林志明");
    for (const auto& e : r.history) EXPECT_EQ(e.note.find("林志明"), std::string::npos) << e.note;
}

// 移送 by hand: the referral letter is queued whatever automatic letters went before.
TEST_F(ProcedureTest, AReferralByHandQueuesTheReferralLetter) {
    const auto number = openStreetlight();
    EXPECT_THROW(procedure_->refer(number, "no-such", "", testing::testMember("lin"), clock_.now()), NotFoundError);
    EXPECT_TRUE(procedure_->refer(number, "nhi", "健保問題", testing::testMember("lin"), clock_.now()));
    const auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::Referred);
    EXPECT_EQ(r.referral, "nhi");
    ASSERT_EQ(letters("referral").size(), 1u);
    EXPECT_EQ(letters("referral")[0].recipient, "c1@example.org");
}

// Simplified Chinese is routed by the same Traditional keywords; the case keeps the text as sent.
TEST_F(ProcedureTest, SimplifiedChineseMailIsRoutedByTheTraditionalKeywords) {
    const auto decision = book_->route("紫楝路路灯不亮", "路灯坏了三天，晚上很危险。");
    EXPECT_EQ(decision.unitId, "public-works");
    EXPECT_EQ(book_->route("工厂夜间噪音", "噪音很大").unitId, "environment-safety");
    EXPECT_EQ(book_->traditional.of("软件"), "軟體");  // s2twp: Taiwan's words, not only its characters
    auto draft = complaint("紫楝路路灯不亮", "路灯坏了三天。", "c1@example.org");
    applyRouting(book_->route(draft.fields.subject, draft.fields.summary), draft);
    const auto number = procedure_->open(draft, clock_.now()).number;
    EXPECT_EQ(record(number).fields.subject, "紫楝路路灯不亮");
    EXPECT_EQ(record(number).fields.unit, "public-works");
}

// A reroute voids the signatures: they were the old unit's, and 主管 signs for the handling unit.
TEST_F(ProcedureTest, ARerouteVoidsTheSignaturesOfTheOldUnit) {
    const auto number = openStreetlight();  // public-works
    const auto draft = drafted(number);     // by lin
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), draft, clock_.now());
    procedure_->reroute(number, "environment-safety", testing::testMember("desk"), "其實是噪音", clock_.now());
    EXPECT_TRUE(record(number).supervisor.by.empty());
    EXPECT_FALSE(
        procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draft, clock_.now())
            .signedOff);
    EXPECT_TRUE(
        procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("ho"), draft, clock_.now())
            .signedOff);
    EXPECT_EQ(record(number).supervisor.by, "ho");
}

// Clearing 密件 shows the complainant to everyone: only one who may reveal the case does it.
TEST_F(ProcedureTest, OnlyOneWhoMayRevealTheCaseClearsItsConfidentiality) {
    auto draft = complaint("紫楝路路燈不亮", "路燈壞了。", "c1@example.org");
    draft.fields.confidential = true;
    const auto number = procedure_->open(draft, clock_.now()).number;  // public-works
    cases::CaseCorrection open;
    open.confidential = false;
    EXPECT_THROW(procedure_->correct(number, open, testing::testMember("lee"), clock_.now()), NotPermittedError);
    EXPECT_TRUE(record(number).fields.confidential);
    procedure_->correct(number, open, testing::testMember("lin"), clock_.now());
    EXPECT_FALSE(record(number).fields.confidential);
}

// 郵寄: a signed-off reply without e-mail is printed for the post, with the 發文字號 of its year.
TEST_F(ProcedureTest, ASignedOffReplyForThePostIsPrintedOnceWithItsDocumentNumber) {
    auto draft = complaint("紫楝路路燈不亮", "路燈壞了三天。", "");
    draft.fields.complainant.address = "744 臺南市新市區中山路100號";
    const auto number = procedure_->open(draft, clock_.now()).number;
    const auto& desk = testing::testMember("lee");  // the intake desk posts the letters
    EXPECT_THROW(procedure_->printForPost(number, desk, clock_.now()), InvalidRequestError);  // nothing signed
    const auto text = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), text, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), text, clock_.now());
    EXPECT_EQ(record(number).documentNumber, "樹谷服字第11500001號");
    EXPECT_EQ(store_->repliesToPrint(), std::vector<cases::CaseNumber>{number});
    EXPECT_THROW(procedure_->printForPost(number, testing::testMember("wu"), clock_.now()), NotPermittedError);
    const auto pdf = procedure_->printForPost(number, desk, clock_.now());
    EXPECT_TRUE(pdf.starts_with("%PDF"));
    EXPECT_TRUE(store_->repliesToPrint().empty());  // printed since the sign-off
    const auto r = record(number);
    EXPECT_EQ(r.history.back().kind, cases::EventKind::Printed);
    EXPECT_EQ(r.history.back().actor, "lee");
    EXPECT_NE(r.history.back().note.find("樹谷服字第11500001號"), std::string::npos);

    // The next letter of the year has the next number; one by e-mail is never pending for the post.
    const auto mailed = openStreetlight();
    const auto second = drafted(mailed);
    procedure_->approve(mailed, cases::ApprovalRole::Supervisor, testing::testMember("chen"), second, clock_.now());
    procedure_->approve(mailed, cases::ApprovalRole::Approver, testing::testMember("huang"), second, clock_.now());
    EXPECT_EQ(record(mailed).documentNumber, "樹谷服字第11500002號");
    EXPECT_TRUE(store_->repliesToPrint().empty());
    EXPECT_NE(letters("reply").at(0).raw.find("application/pdf"), std::string::npos);
}

TEST_F(ProcedureTest, AReplyForThePostNeedsAnAddress) {
    const auto number = openStreetlight("");
    const auto text = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), text, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), text, clock_.now());
    try {
        procedure_->printForPost(number, testing::testMember("lee"), clock_.now());
        FAIL() << "printed without an address";
    } catch (const InvalidRequestError& e) {
        EXPECT_NE(std::string(e.what()).find("edit " + number.toString() + " --address"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(store_->repliesToPrint().size(), 1u);  // still pending
}

// A PDF that could not be written (a full disk) is not recorded as printed: the reply stays pending.
TEST_F(ProcedureTest, AReplyWhoseFileCannotBeWrittenIsNotRecordedAsPrinted) {
    auto draft = complaint("紫楝路路燈不亮", "路燈壞了三天。", "");
    draft.fields.complainant.address = "744 臺南市新市區中山路100號";
    const auto number = procedure_->open(draft, clock_.now()).number;
    const auto text = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), text, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), text, clock_.now());
    EXPECT_THROW(procedure_->printForPost(number, testing::testMember("lee"), clock_.now(),
                                          [](const std::string&) { throw InvalidRequestError("disk full"); }),
                 InvalidRequestError);
    EXPECT_EQ(store_->repliesToPrint(), std::vector<cases::CaseNumber>{number});
    EXPECT_NE(record(number).history.back().kind, cases::EventKind::Printed);
}

// 續辦: a reopened case is handled within the procedure's days again; reports keep the first deadlines.
TEST_F(ProcedureTest, AReopenedCaseGetsNewDeadlinesAndKeepsTheFirstForTheReports) {
    const auto number = openStreetlight("");
    const auto first = *record(number).fields.deadlines;
    const auto text = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), text, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), text, clock_.now());
    procedure_->recordRepliedBy(number, ReplyVia::Phone, "", testing::testMember("lin"), clock_.now());
    clock_.advance(std::chrono::days(20));
    procedure_->changeStatus(number, CaseStatus::Reopened, testing::testMember("lin"), "仍未修復", clock_.now());
    const auto r = record(number);
    const auto renewed = cases::deadlinesFor(clock_.now(), settings_.deadlines, book_->calendar);
    ASSERT_TRUE(r.fields.deadlines);
    EXPECT_EQ(r.fields.deadlines->target, renewed.target);
    EXPECT_EQ(r.fields.deadlines->legal, renewed.legal);
    ASSERT_TRUE(r.firstDeadlines);
    EXPECT_EQ(r.firstDeadlines->target, first.target);
    EXPECT_TRUE(std::any_of(r.history.begin(), r.history.end(),
                            [](const auto& e) { return e.kind == cases::EventKind::DeadlinesRenewed; }));
}

}  // namespace
}  // namespace complaintd::center
