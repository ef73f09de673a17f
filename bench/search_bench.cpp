// `complaintctl search` over a large register: the time of Store::searchCases("路燈") (the FTS5
// index of words and CJK character pairs, center/search_text.h) over N cases (default 100,000),
// each with a subject, a summary and the text of its message, against a baseline measured in the
// same run: a LIKE '%路燈%' scan over the subject and summary columns alone. Printed, not asserted.
//
// usage: search_bench [--cases N] [--runs R] [--keep]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "center/store.h"

namespace {

using namespace complaintd;
using Clock = std::chrono::steady_clock;

const char* const kTopics[] = {
    "路燈不亮",       "道路坑洞",     "工廠夜間噪音", "排水溝堵塞", "違規停車",     "垃圾未清運",
    "人行道地磚破損", "公園設施損壞", "空氣異味",     "招牌違建",   "交通號誌故障", "行道樹倒塌",
};
const char* const kPlaces[] = {"紫楝路", "南科三路", "樹谷大道", "新市區", "善化區", "安定區", "中山路"};

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

long long countOf(const std::string& database, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    long long count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return count;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // the figures as they come, also into a file
    long long cases = 100000;
    int runs = 5;
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--cases") && i + 1 < argc)
            cases = std::atoll(argv[++i]);
        else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--keep"))
            keep = true;
        else {
            std::fprintf(stderr, "usage: search_bench [--cases N] [--runs R] [--keep]\n");
            return 2;
        }
    }
    const auto dir = std::filesystem::temp_directory_path() / ("complaintd-search-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto database = (dir / "complaintd.sqlite").string();
    std::mt19937 random(115);
    const auto start = std::chrono::sys_days{std::chrono::year{2026} / 1 / 5};
    {
        center::Store store(database);
        const auto filling = Clock::now();
        std::printf("opening %lld cases...\n", cases);
        for (long long done = 0; done < cases;) {
            store.inOneTransaction([&] {
                for (int k = 0; k < 1000 && done < cases; ++k, ++done) {
                    const std::string topic = kTopics[random() % std::size(kTopics)];
                    const std::string place = kPlaces[random() % std::size(kPlaces)];
                    center::CaseDraft d;
                    d.fields.receivedAt = start + std::chrono::minutes(done * 3);
                    d.fields.subject = place + topic;
                    d.fields.summary = place + "附近" + topic + "，已持續" + std::to_string(1 + random() % 9) + "天。";
                    d.fields.unit = "public-works";
                    d.fields.status = cases::CaseStatus::Assigned;
                    d.text = d.fields.subject + "\n您好，" + d.fields.summary + "請儘速派員處理，謝謝。聯絡電話 06-" +
                             std::to_string(5000000 + random() % 999999) + "。";
                    store.openCase(
                        d, [](const cases::CaseNumber&) { return std::optional<center::QueuedLetter>(); },
                        d.fields.receivedAt);
                }
            });
        }
        std::printf("opened and indexed in %.1f s\n", msSince(filling) / 1000);
        store.inOneTransaction([] {});  // a checkpoint's worth: the size below is the database's
    }
    const auto wal = std::filesystem::path(database + "-wal");
    const double megabytes = double(std::filesystem::file_size(database) +
                                    (std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : 0)) /
                             (1024 * 1024);
    std::printf("register: %lld cases opened and indexed; database and WAL %.1f MB\n", cases, megabytes);
    std::vector<double> searched, matched, scanned;
    std::size_t found = 0;
    long long matchFound = 0, likeFound = 0;
    for (int r = 0; r < runs; ++r) {
        center::Store store(database);  // opened per run, as complaintctl does
        const auto t = Clock::now();
        found = store.searchCases("路燈").size();
        searched.push_back(msSince(t));
        const auto m = Clock::now();
        matchFound = countOf(database,
                             "SELECT count(DISTINCT t.case_id) FROM case_search s JOIN case_texts t ON t.id = s.rowid "
                             "WHERE case_search MATCH '\"路燈\"'");
        matched.push_back(msSince(m));
        const auto b = Clock::now();
        likeFound =
            countOf(database, "SELECT count(*) FROM cases WHERE subject LIKE '%路燈%' OR summary LIKE '%路燈%'");
        scanned.push_back(msSince(b));
    }
    std::printf(
        "Store::searchCases(\"路燈\") as complaintctl search runs it (index, then the %zu cases' fields): "
        "median %.1f ms over %d runs\n",
        found, median(searched), runs);
    std::printf("  the index alone (FTS5 MATCH, %lld cases): median %.1f ms\n", matchFound, median(matched));
    std::printf("baseline: LIKE '%%路燈%%' scan of subject and summary only (%lld cases): median %.1f ms\n", likeFound,
                median(scanned));
    if (!keep) std::filesystem::remove_all(dir);
    return 0;
}
