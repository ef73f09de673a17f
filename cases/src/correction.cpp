#include "cases/correction.h"

namespace complaintd::cases {
namespace {

void set(std::string& field, const std::optional<std::string>& value) {
    if (value) field = *value;
}

void compare(std::vector<FieldChange>& changes, const char* field, const std::string& from, const std::string& to) {
    if (from != to) changes.push_back({field, from, to});
}

}  // namespace

Case corrected(const Case& c, const CaseCorrection& k) {
    auto out = c;
    set(out.subject, k.subject);
    set(out.summary, k.summary);
    set(out.complainant.name, k.name);
    set(out.complainant.phone, k.phone);
    set(out.complainant.fax, k.fax);
    set(out.complainant.address, k.address);
    set(out.complainant.email, k.email);
    set(out.complainant.organisation, k.organisation);
    set(out.receiptReference, k.receipt);
    if (k.category && *k.category != out.category) {
        out.category = *k.category;
        out.routing.categoryReason = "corrected by staff";
    }
    if (k.confidential) out.confidential = *k.confidential;
    return out;
}

std::vector<FieldChange> changesBetween(const Case& a, const Case& b) {
    std::vector<FieldChange> changes;
    compare(changes, "subject", a.subject, b.subject);
    compare(changes, "summary", a.summary, b.summary);
    compare(changes, "name", a.complainant.name, b.complainant.name);
    compare(changes, "phone", a.complainant.phone, b.complainant.phone);
    compare(changes, "fax", a.complainant.fax, b.complainant.fax);
    compare(changes, "address", a.complainant.address, b.complainant.address);
    compare(changes, "email", a.complainant.email, b.complainant.email);
    compare(changes, "organisation", a.complainant.organisation, b.complainant.organisation);
    compare(changes, "receipt", a.receiptReference, b.receiptReference);
    compare(changes, "category", std::string(idOf(a.category)), std::string(idOf(b.category)));
    compare(changes, "confidential", a.confidential ? "yes" : "no", b.confidential ? "yes" : "no");
    return changes;
}

std::string historyNote(const FieldChange& change, bool confidential) {
    const bool personal = change.field != "category" && change.field != "confidential" && change.field != "receipt";
    if (confidential && personal) return change.field + " corrected (密件: the values are not recorded here)";
    auto shown = [](const std::string& v) { return v.empty() ? std::string("(empty)") : v; };
    return change.field + ": " + shown(change.from) + " -> " + shown(change.to);
}

}  // namespace complaintd::cases
