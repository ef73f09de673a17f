// OCR after staff (issue 12, "Staff and the daemon do not overwrite each other"): a fax case is
// routed and started by staff while its pages still wait for OCR; when OCR finishes it keeps
// staff's unit and status and leaves its own routing as a suggestion on the history. Real
// complaintd (intake with fax.ocr = no, then OCR in a later run), complaintctl and Dovecot.
#include <gtest/gtest.h>

#include <cstdlib>

#include "fax_fixtures.h"
#include "mail_desk.h"

namespace complaintd::testing {
namespace {

namespace fixtures = complaintd::fax::fixtures;

std::string streetlightFax() {
    const auto tiff = fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, fixtures::FaxMode::Fine)},
                                          fixtures::TiffCompression::G4);
    return fixtures::buildMail({{"From", "The HylaFAX Receive Agent <fax@fax.shugu.example>"},
                                {"To", "complaints-fax@shugu.example"},
                                {"Subject", "Facsimile received from +886 6 5050777"},
                                {"Message-ID", "<hylafax-overlap@fax.shugu.example>"}},
                               "Recv from +886 6 5050777\n        Sender: +886 6 5050777\n         Pages: 1\n",
                               {{"image/tiff", "fax000000078.tif", tiff}});
}

TEST(OcrOverwriteFaultTest, OcrKeepsTheUnitAndStatusStaffSetAndRecordsItsSuggestion) {
    ::setenv("OMP_THREAD_LIMIT", "1", 1);  // one OCR thread, as the service unit sets it
    MailDesk desk("fax.imap_folder = Fax\n");
    ImapTestClient imap(desk.dovecot());
    imap.createFolder("Fax");
    imap.append("Fax", streetlightFax());

    // Intake alone: the case opens at the intake desk, its OCR job waits.
    const auto intake = desk.complaintd({"-o", "fax.ocr=no"});
    ASSERT_EQ(intake.exitCode, 0) << intake.err;
    const auto list = desk.ctlJsonArray({"list"});
    ASSERT_EQ(list->size(), 1u);
    const auto number = list->getObject(0)->getValue<std::string>("number");
    auto opened = desk.ctlJsonObject({"show", number});
    ASSERT_EQ(opened->getValue<std::string>("unit"), "intake");
    ASSERT_EQ(opened->getValue<std::string>("status"), "received");

    // Staff route it to another unit than the text's rule would, and that unit starts on it.
    ASSERT_EQ(desk.ctl({"reroute", number, "environment-safety", "--reason", "phoned in", "--by", "desk"}).exitCode, 0);
    ASSERT_EQ(desk.ctl({"start", number, "--by", "wu"}).exitCode, 0);

    const auto ocr = desk.complaintd();
    ASSERT_EQ(ocr.exitCode, 0) << ocr.err;
    const auto after = desk.ctlJsonObject({"show", number, "--reveal"});
    EXPECT_EQ(after->getValue<std::string>("unit"), "environment-safety") << "OCR moved staff's case";
    EXPECT_EQ(after->getValue<std::string>("status"), "in-progress") << "OCR changed staff's status";
    EXPECT_NE(after->getValue<std::string>("summary").find("路燈"), std::string::npos)
        << "OCR still fills the summary it read";
    bool suggested = false, ocrRan = false;
    const auto history = after->getArray("history");
    for (std::size_t i = 0; i < history->size(); ++i) {
        const auto event = history->getObject(unsigned(i));
        const auto kind = event->getValue<std::string>("kind");
        ocrRan = ocrRan || kind == "ocr";
        if (kind != "ocr-suggestion") continue;
        suggested = true;
        EXPECT_EQ(event->getValue<std::string>("to_unit"), "public-works");
        EXPECT_NE(event->getValue<std::string>("note").find("streetlight"), std::string::npos)
            << event->getValue<std::string>("note");
    }
    EXPECT_TRUE(ocrRan) << ocr.err;
    EXPECT_TRUE(suggested) << "OCR's routing is not on the history";
}

// Untouched by staff, the same fax is routed by OCR as before.
TEST(OcrOverwriteFaultTest, OcrRoutesAFaxNobodyTouched) {
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    MailDesk desk("fax.imap_folder = Fax\n");
    ImapTestClient imap(desk.dovecot());
    imap.createFolder("Fax");
    imap.append("Fax", streetlightFax());
    ASSERT_EQ(desk.complaintd({"-o", "fax.ocr=no"}).exitCode, 0);
    const auto ocr = desk.complaintd();
    ASSERT_EQ(ocr.exitCode, 0) << ocr.err;
    const auto list = desk.ctlJsonArray({"list"});
    ASSERT_EQ(list->size(), 1u);
    const auto c = desk.ctlJsonObject({"show", list->getObject(0)->getValue<std::string>("number")});
    EXPECT_EQ(c->getValue<std::string>("unit"), "public-works") << ocr.err;
    EXPECT_EQ(c->getValue<std::string>("status"), "assigned");
    EXPECT_EQ(c->getObject("routing")->getValue<std::string>("rule"), "streetlight");
}

}  // namespace
}  // namespace complaintd::testing
