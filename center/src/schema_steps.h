// The schema of the store as a list of released steps. Step N takes a database from
// PRAGMA user_version N - 1 to N. A released step is frozen: its statements never change
// again (databases made by it exist), so a change to the schema is a new step at the end of
// the list, with its version, and nothing else to edit.
#pragma once

#include <string>
#include <vector>

namespace Poco::Data {
class Session;
}

namespace complaintd::center::schema {

struct Step {
    int version = 0;
    std::vector<const char*> statements;
    // What SQL cannot compute, run after the statements (nullptr: nothing).
    void (*finish)(Poco::Data::Session&) = nullptr;
};

// Every released step, oldest first: steps()[i].version == i + 1.
const std::vector<Step>& steps();

// The version a database has once every step is applied.
int currentVersion();

// Runs one step's statements and finish, then sets user_version to its version. The caller
// holds the transaction; Poco::Data exceptions go through.
void apply(Poco::Data::Session& session, const Step& step);

}  // namespace complaintd::center::schema
