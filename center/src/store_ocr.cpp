// The Store's OCR jobs of fax cases: pending, completed (deciding in its transaction what
// staff have not decided meanwhile) and failed.
#include <Poco/Data/RecordSet.h>
#include <Poco/Tuple.h>

#include "sql_statements.h"
#include "store_internal.h"

namespace complaintd::center {

using namespace store_detail;
using cases::CaseStatus;

std::vector<OcrJob> Store::pendingOcrJobs(std::size_t limit) {
    return guarded([&] {
        std::vector<Poco::Tuple<std::string, Int64, int>> rows;
        *session_ << "SELECT c.number, j.message_row, j.attempts FROM ocr_jobs j JOIN cases c ON c.id = j.case_id "
                     "WHERE j.state = 'pending' ORDER BY j.case_id LIMIT ?",
            bind(Int64(limit)), into(rows), now;
        std::vector<OcrJob> jobs;
        for (const auto& r : rows)
            jobs.push_back(
                {cases::CaseNumber::parse(r.get<0>()).value_or(cases::CaseNumber{}), r.get<1>(), r.get<2>()});
        return jobs;
    });
}

void Store::completeOcr(const cases::CaseNumber& number, const OcrOutcome& o, OcrApplied applied, cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        const auto& c = o.updated;
        std::string unit, status;
        *session_ << "SELECT unit, status FROM cases WHERE id = ?", bind(Int64(id)), into(unit), into(status), now;
        // What staff cannot type (the text's summary, the complainant read from the pages) fills only
        // what is still empty or a placeholder; 密件 is only ever added.
        // A category staff corrected stays theirs; else the text's, with its reason.
        *session_ << "UPDATE cases SET summary = CASE WHEN summary IN (?, ?) THEN ? ELSE summary END, "
                     "category = CASE WHEN category_reason = 'corrected by staff' THEN category ELSE ? END, "
                     "category_reason = CASE WHEN category_reason = 'corrected by staff' THEN category_reason "
                     "ELSE ? END, "
                     "complainant_name = CASE WHEN complainant_name = '' THEN ? ELSE complainant_name END, "
                     "phone = CASE WHEN phone = '' THEN ? ELSE phone END, "
                     "address = CASE WHEN address = '' THEN ? ELSE address END, "
                     "organisation = CASE WHEN organisation = '' THEN ? ELSE organisation END, "
                     "confidential = (confidential OR ?), ocr_text = ? WHERE id = ?",
            bind(std::string(kFaxSummaryPending)), bind(std::string(kFaxSummaryUnread)), bind(c.summary),
            bind(std::string(cases::idOf(c.category))), bind(c.routing.categoryReason), bind(c.complainant.name),
            bind(c.complainant.phone), bind(c.complainant.address), bind(c.complainant.organisation),
            bind(int(c.confidential)), bind(o.text), bind(Int64(id)), now;
        *session_ << "UPDATE ocr_jobs SET state = 'done', attempts = attempts + 1, confidence = ?, pages = ?, "
                     "updated_at = ? WHERE case_id = ?",
            bind(o.confidence), bind(o.pagesJson), bind(toEpoch(at)), bind(Int64(id)), now;
        const bool routed = applied == OcrApplied::Routed;
        addEvent(id, cases::EventKind::Ocr, "complaintd", o.note, at, "", routed ? c.unit : "");
        indexText(id, "ocr", o.text);
        if (routed) {
            *session_ << "UPDATE cases SET unit = ?, rule = ?, keywords = ? WHERE id = ?", bind(c.unit),
                bind(c.routing.rule), bind(toJson(c.routing.keywords)), bind(Int64(id)), now;
            return;
        }
        if (applied == OcrApplied::NothingToRoute) return;
        // Staff decided meanwhile: their unit and status stay, OCR's routing is a suggestion on the history.
        addEvent(id, cases::EventKind::OcrSuggestion, "complaintd",
                 "OCR suggests " + c.unit + " (" + std::string(cases::idOf(c.status)) + ", rule " + c.routing.rule +
                     "); kept " + unit + " (" + status + ") as staff set it: complaintctl reroute to follow it",
                 at, unit, c.unit);
    });
}

void Store::failOcr(const cases::CaseNumber& number, const std::string& error, int maxAttempts, cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        *session_ << "UPDATE ocr_jobs SET attempts = attempts + 1, last_error = ?, updated_at = ?, "
                     "state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE case_id = ?",
            bind(error), bind(toEpoch(at)), bind(maxAttempts), bind(Int64(id)), now;
        *session_ << "UPDATE cases SET summary = ? WHERE id = ? AND summary = ? "
                     "AND (SELECT state FROM ocr_jobs WHERE case_id = ?) = 'failed'",
            bind(std::string(kFaxSummaryUnread)), bind(Int64(id)), bind(std::string(kFaxSummaryPending)),
            bind(Int64(id)), now;
        addEvent(id, cases::EventKind::Ocr, "complaintd", "OCR failed: " + error, at);
    });
}

}  // namespace complaintd::center
