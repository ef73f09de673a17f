// The case rules of the procedure, directly: center::Procedure over a temporary SQLite file,
// the embedded center book and a fixed clock. No daemon, no mail server, no folders.
#include "center/procedure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "cases/error.h"
#include "test_clock.h"

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
        settings_ = loadSettings(std::nullopt, {"state_dir=" + dir_.string()}).settings;
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
        return procedure_->draftReply(number, "已於12月1日派員更換燈泡。", "lin", clock_.now());
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
    EXPECT_TRUE(store_->outbox().empty());
    EXPECT_EQ(record(opened.number).fields.status, CaseStatus::Assigned);
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
        procedure_->reroute(number, "no-such-unit", "chen", "wrong desk", clock_.now());
        FAIL() << "an unknown unit was accepted";
    } catch (const NotFoundError& e) {
        EXPECT_NE(std::string(e.what()).find("public-works (工務組)"), std::string::npos) << e.what();
    }
    const auto& unit = procedure_->reroute(number, "工務組", "chen", "streetlight", clock_.now());
    EXPECT_EQ(unit.id, "public-works");
    const auto r = record(number);
    EXPECT_EQ(r.fields.unit, "public-works");
    EXPECT_EQ(r.fields.status, CaseStatus::Assigned);
}

TEST_F(ProcedureTest, TheReplyIsSignedOffByBothSignaturesOnOneDraftAndThenQueued) {
    const auto number = openStreetlight();
    const auto draft = drafted(number);
    const auto first = procedure_->approve(number, cases::ApprovalRole::Supervisor, "chen", draft, clock_.now());
    EXPECT_FALSE(first.signedOff);
    EXPECT_EQ(record(number).fields.status, CaseStatus::ReplyDrafted);
    EXPECT_TRUE(letters("reply").empty());
    const auto second = procedure_->approve(number, cases::ApprovalRole::Approver, "huang", draft, clock_.now());
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
    procedure_->approve(number, cases::ApprovalRole::Supervisor, "chen", draft, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, "huang", draft, clock_.now());
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
    procedure_->approve(number, cases::ApprovalRole::Supervisor, "chen", old, clock_.now());
    const auto revised = procedure_->draftReply(number, "已更換燈泡並檢修線路。", "lin", clock_.now());
    ASSERT_NE(revised, old);
    EXPECT_THROW(procedure_->approve(number, cases::ApprovalRole::Approver, "huang", old, clock_.now()),
                 InvalidRequestError);
    const auto approver = procedure_->approve(number, cases::ApprovalRole::Approver, "huang", revised, clock_.now());
    EXPECT_FALSE(approver.signedOff);  // the supervisor signed the old draft only
    EXPECT_FALSE(record(number).supervisor.at);
    EXPECT_TRUE(letters("reply").empty());
}

TEST_F(ProcedureTest, ASignedOffReplyWithoutEMailIsRecordedWhenSentByPost) {
    const auto number = openStreetlight("");
    const auto draft = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, "chen", draft, clock_.now());
    const auto signOff = procedure_->approve(number, cases::ApprovalRole::Approver, "huang", draft, clock_.now());
    EXPECT_TRUE(signOff.signedOff);
    EXPECT_FALSE(signOff.letterQueued);
    EXPECT_EQ(record(number).history.back().note, "no e-mail address: reply by post or phone");
    procedure_->recordRepliedBy(number, ReplyVia::Post, "掛號", "lin", clock_.now());
    const auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::Replied);
    EXPECT_EQ(r.history.back().toStatus, CaseStatus::Replied);
    EXPECT_TRUE(r.history.back().note.ends_with("reply sent by post: 掛號")) << r.history.back().note;
}

TEST_F(ProcedureTest, FilingWithoutHandlingKeepsTheReason) {
    const auto number = openStreetlight();
    procedure_->file(number, cases::FilingReason::AlreadyAnswered, "同 115-000", "lin", clock_.now());
    const auto r = record(number);
    EXPECT_EQ(r.fields.status, CaseStatus::Filed);
    EXPECT_EQ(r.filedReason, cases::FilingReason::AlreadyAnswered);
}

TEST_F(ProcedureTest, ADissatisfiedSurveyReopensOnlyAnAnsweredCaseAndTellsTheUnitOnceADay) {
    const auto number = openStreetlight("");
    procedure_->reopenDissatisfied(record(number), "survey by paper", clock_.now());
    EXPECT_EQ(record(number).fields.status, CaseStatus::Assigned);  // not answered: nothing to reopen
    const auto draft = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, "chen", draft, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, "huang", draft, clock_.now());
    procedure_->recordRepliedBy(number, ReplyVia::Phone, "", "lin", clock_.now());
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
    procedure_->changeStatus(number, {CaseStatus::InProgress, "lin", "", clock_.now()});
    const auto again = drafted(number);
    procedure_->approve(number, cases::ApprovalRole::Supervisor, "chen", again, clock_.now());
    procedure_->approve(number, cases::ApprovalRole::Approver, "huang", again, clock_.now());
    procedure_->recordRepliedBy(number, ReplyVia::Phone, "", "lin", clock_.now());
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
    EXPECT_EQ(r.history.back().kind, cases::EventKind::Status);  // through the one status writer
    EXPECT_EQ(r.history.back().toStatus, CaseStatus::Assigned);
}

TEST_F(ProcedureTest, OcrOnlySuggestsItsUnitWhenStaffRoutedTheFaxFirst) {
    const auto number = openFaxAwaitingOcr();
    std::string other;
    for (const auto& unit : book_->units.all())
        if (unit.id != "public-works" && unit.id != settings_.intakeUnit) other = unit.id;
    ASSERT_FALSE(other.empty());
    procedure_->reroute(number, other, "chen", "read the pages myself", clock_.now());
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

}  // namespace
}  // namespace complaintd::center
